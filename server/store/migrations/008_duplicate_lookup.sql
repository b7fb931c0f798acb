-- The duplicate check at registration (src/protocol/duplicates.ts): a national ID is looked up among the
-- association's beneficiaries and household members, a mobile among its beneficiaries. Partial expression
-- indexes keep each lookup to a few index pages however many records the association holds.
CREATE INDEX records_national_id_idx ON records (association_id, (data->>'nationalId'))
  WHERE entity IN ('beneficiary', 'household_member') AND NOT deleted;
CREATE INDEX records_mobile_idx ON records (association_id, (data->>'mobile'))
  WHERE entity = 'beneficiary' AND NOT deleted;

-- lookup: a record was named in the answer to a duplicate check (only what the answer revealed is logged;
-- the number looked up is not, so the log holds no personal data).
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
  CHECK (action IN ('pull', 'write', 'export', 'destroy', 'purge', 'lookup'));
