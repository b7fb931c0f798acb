-- PDPL rights and retention (L-RIGHTS, L-RETAIN, L-SENSITIVE).

-- A record destroyed at the data subject's request, or at the end of its retention period: a tombstone
-- with no data, marked so that every device removes its copy (and any unsent change to it) at next sync,
-- and so that a late change from a device can never bring it back.
ALTER TABLE records ADD COLUMN purged_at timestamptz;

-- Correction history: for each applied change, the fields it changed with their values before and after.
-- Personal data, so it is destroyed with its record.
CREATE TABLE record_history (
  id bigserial PRIMARY KEY,
  association_id uuid NOT NULL REFERENCES associations (id),
  entity text NOT NULL,
  record_id uuid NOT NULL,
  version bigint NOT NULL,
  at timestamptz NOT NULL,
  user_id uuid NOT NULL,
  device_id uuid NOT NULL,
  -- create, update or delete
  op text NOT NULL CHECK (op IN ('create', 'update', 'delete')),
  -- { field: { "before": value, "after": value } }, for the fields the change touched
  changes jsonb NOT NULL
);
CREATE INDEX record_history_record_idx ON record_history (association_id, entity, record_id, version);

-- The register of rights requests handled, and of retention runs: who exported or destroyed whose file, when
-- and why. It names the beneficiary only by record id, so it outlives the destruction it records.
CREATE TABLE rights_requests (
  id bigserial PRIMARY KEY,
  association_id uuid NOT NULL REFERENCES associations (id),
  -- null for a retention run, which may reach many files
  beneficiary_id uuid,
  kind text NOT NULL CHECK (kind IN ('export', 'destroy', 'retention')),
  reason text NOT NULL,
  records integer NOT NULL,
  files integer NOT NULL,
  user_id uuid,
  at timestamptz NOT NULL
);
CREATE INDEX rights_requests_association_idx ON rights_requests (association_id, at);

-- The audit log learns the new actions (its rows still cannot change: ALTER TABLE is not an UPDATE), and
-- whether what was read or written held sensitive fields (L-SENSITIVE).
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
  CHECK (action IN ('pull', 'write', 'export', 'destroy', 'purge'));
ALTER TABLE audit_log ADD COLUMN sensitive boolean NOT NULL DEFAULT false;
-- A purge job acts for no user and from no device.
ALTER TABLE audit_log ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN device_id DROP NOT NULL;
