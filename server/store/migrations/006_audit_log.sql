-- Who read or changed which record, from which device, when: enough to tell, after a device is lost,
-- exactly which records it held (L-BREACH). Append-only: triggers refuse UPDATE, DELETE and TRUNCATE
-- for every role, the table's owner included, and no privilege to do them is granted to anyone.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  association_id uuid NOT NULL REFERENCES associations (id),
  user_id uuid NOT NULL,
  device_id uuid NOT NULL,
  -- pull: the record was sent to the device; write: the device's change was applied.
  action text NOT NULL CHECK (action IN ('pull', 'write')),
  entity text NOT NULL,
  record_id text NOT NULL,
  version bigint NOT NULL
);
CREATE INDEX audit_log_device_idx ON audit_log (association_id, device_id, at);
CREATE INDEX audit_log_record_idx ON audit_log (association_id, entity, record_id, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
