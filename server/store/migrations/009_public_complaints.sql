-- The public complaint form (K-CMPL-a): a complaint sent from the website is written by no user, so a
-- record's author may be empty; the complainant asks where it stands by its reference. References are
-- random (50 bits), so they are not declared unique: a device's push must never fail on one.
ALTER TABLE records ALTER COLUMN created_by DROP NOT NULL;
ALTER TABLE records ALTER COLUMN updated_by DROP NOT NULL;
CREATE INDEX records_complaint_reference_idx ON records (association_id, (data->>'reference'))
  WHERE entity = 'complaint';
