-- Issue 21: a pull is audited as one row per page (device, user, scope, version range, count) instead of one
-- audit_log row per record sent, the largest write volume of the server under many devices. What a lost
-- device held (L-BREACH) is derived, record by record and version by version, from these ranges and the
-- versions log below, and is exactly what the per-record rows would have said (audit_trail, at the end).

-- Every version of every record as it was stored: its branch, its author, and what makes it sensitive. Written
-- by triggers on `records`, so no writer (sync, import, public complaint, destruction) can forget it. Unlike
-- record_history (personal data, destroyed with its record), it holds only ids and flags, and, like the
-- audit log, outlives the destruction of the record it names.
CREATE TABLE record_versions (
  association_id uuid NOT NULL REFERENCES associations (id),
  version bigint NOT NULL,
  entity text NOT NULL,
  record_id uuid NOT NULL,
  branch_id uuid,
  created_by uuid,
  deleted boolean NOT NULL,
  -- An attachment's requirementId (a sensitive document when the profile lists it), else null.
  requirement_id text,
  -- The record is live and its `sensitive` field holds something (L-SENSITIVE).
  sensitive_fields boolean NOT NULL
);
CREATE INDEX record_versions_version_idx ON record_versions (association_id, version);
CREATE INDEX record_versions_record_idx ON record_versions (association_id, entity, record_id, version);

-- One row per page of a pull that sent at least one record. A record version in [first_version,
-- last_version] was sent by the page when it passes the page's scope and was the record's latest version in
-- the snapshot the page was read from (every version up to snapshot_version: versions commit in order).
CREATE TABLE pull_ranges (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  association_id uuid NOT NULL REFERENCES associations (id),
  user_id uuid NOT NULL,
  device_id uuid NOT NULL,
  first_version bigint NOT NULL,
  last_version bigint NOT NULL,
  snapshot_version bigint NOT NULL,
  -- How many records the page sent.
  count integer NOT NULL CHECK (count > 0),
  -- The scope: the branches the caller read besides the association-wide records (null: every branch)...
  branches uuid[],
  -- ...the entities kept from them but for the records they wrote themselves...
  hidden_entities text[] NOT NULL,
  -- ...whether they received sensitive fields and documents, and the profile's sensitive ids at the time.
  sensitive_too boolean NOT NULL,
  sensitive_ids text[] NOT NULL,
  CHECK (first_version <= last_version AND last_version <= snapshot_version)
);
CREATE INDEX pull_ranges_device_idx ON pull_ranges (association_id, device_id, at);

CREATE FUNCTION record_versions_of(r records) RETURNS record_versions LANGUAGE sql IMMUTABLE AS $$
  SELECT r.association_id, r.version, r.entity, r.record_id, r.branch_id, r.created_by, r.deleted,
         CASE WHEN r.entity = 'attachment' AND jsonb_typeof(r.data -> 'requirementId') = 'string'
              THEN r.data ->> 'requirementId' END,
         NOT r.deleted AND COALESCE(CASE jsonb_typeof(r.data -> 'sensitive')
                                      WHEN 'object' THEN r.data -> 'sensitive' <> '{}'::jsonb
                                      WHEN 'array' THEN jsonb_array_length(r.data -> 'sensitive') > 0
                                      ELSE false END, false)
$$;

-- The records as they stand now; older versions were audited row by row in audit_log.
INSERT INTO record_versions SELECT v.* FROM records r CROSS JOIN LATERAL record_versions_of(r) v;

CREATE FUNCTION record_versions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO record_versions SELECT v.* FROM new_rows n CROSS JOIN LATERAL record_versions_of(n) v;
  RETURN NULL;
END;
$$;
-- A record changes only at a new version (every writer takes the association's next one); a change that
-- kept its version would escape the log, so it is refused.
CREATE FUNCTION record_versions_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o USING (association_id, entity, record_id)
              WHERE n.version = o.version
                AND record_versions_of(n) IS DISTINCT FROM record_versions_of(o)) THEN
    RAISE EXCEPTION 'a record changes only at a new version';
  END IF;
  INSERT INTO record_versions
  SELECT v.* FROM new_rows n JOIN old_rows o USING (association_id, entity, record_id)
         CROSS JOIN LATERAL record_versions_of(n) v
   WHERE n.version <> o.version;
  RETURN NULL;
END;
$$;
CREATE TRIGGER records_versions_insert AFTER INSERT ON records
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_versions_inserted();
CREATE TRIGGER records_versions_update AFTER UPDATE ON records
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION record_versions_updated();

-- Both are append-only, as audit_log is (migration 006).
CREATE FUNCTION pull_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER record_versions_no_change BEFORE UPDATE OR DELETE ON record_versions
  FOR EACH ROW EXECUTE FUNCTION pull_audit_append_only();
CREATE TRIGGER record_versions_no_truncate BEFORE TRUNCATE ON record_versions
  FOR EACH STATEMENT EXECUTE FUNCTION pull_audit_append_only();
CREATE TRIGGER pull_ranges_no_change BEFORE UPDATE OR DELETE ON pull_ranges
  FOR EACH ROW EXECUTE FUNCTION pull_audit_append_only();
CREATE TRIGGER pull_ranges_no_truncate BEFORE TRUNCATE ON pull_ranges
  FOR EACH STATEMENT EXECUTE FUNCTION pull_audit_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON record_versions, pull_ranges FROM PUBLIC;

-- The audit as it reads row by row: audit_log's rows, and one 'pull' row for each record version a page sent,
-- as the pull used to write it (sensitive: what was sent held sensitive fields or was a sensitive document).
CREATE VIEW audit_trail AS
  SELECT at, association_id, user_id, device_id, action, entity, record_id, version, sensitive FROM audit_log
  UNION ALL
  SELECT p.at, p.association_id, p.user_id, p.device_id, 'pull', v.entity, v.record_id::text, v.version,
         p.sensitive_too
           AND (v.sensitive_fields OR (NOT v.deleted AND COALESCE(v.requirement_id = ANY (p.sensitive_ids), false)))
    FROM pull_ranges p
    JOIN record_versions v
      ON v.association_id = p.association_id AND v.version BETWEEN p.first_version AND p.last_version
   WHERE (v.branch_id IS NULL OR p.branches IS NULL OR v.branch_id = ANY (p.branches))
     AND (v.entity <> ALL (p.hidden_entities) OR v.created_by = p.user_id)
     AND (p.sensitive_too OR v.requirement_id IS NULL OR v.requirement_id <> ALL (p.sensitive_ids))
     AND NOT EXISTS (SELECT 1 FROM record_versions later
                      WHERE later.association_id = v.association_id AND later.entity = v.entity
                        AND later.record_id = v.record_id
                        AND later.version > v.version AND later.version <= p.snapshot_version);
