-- Issue 21: a lost or stolen device is a possible personal-data breach (L-BREACH). Its incident records when the
-- association became aware of it (the PDPL's 72 hours to notify the regulator run from there), who reported it,
-- and when the regulator was notified, by whose record. What the device held is not copied here: it is derived
-- from the audit (audit_trail) whenever the incident is read.
CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  association_id uuid NOT NULL REFERENCES associations (id),
  device_id uuid NOT NULL,
  reported_by uuid NOT NULL REFERENCES users (id),
  -- Given by the administrator (default: when they report it); never later than the report itself.
  aware_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  notes text NOT NULL,
  -- When the regulator was notified (as the administrator says), and when and by whom that was recorded here.
  regulator_notified_at timestamptz,
  regulator_recorded_at timestamptz,
  regulator_recorded_by uuid REFERENCES users (id),
  regulator_reference text,
  FOREIGN KEY (association_id, device_id) REFERENCES devices (association_id, id),
  -- One incident per device: a device once lost is revoked for good.
  UNIQUE (association_id, device_id),
  CHECK (aware_at <= created_at),
  CHECK (
    (regulator_notified_at IS NULL AND regulator_recorded_at IS NULL AND regulator_recorded_by IS NULL)
    OR (regulator_notified_at IS NOT NULL AND regulator_recorded_at IS NOT NULL AND regulator_recorded_by IS NOT NULL
        AND regulator_notified_at >= aware_at)
  )
);
CREATE INDEX incidents_association_idx ON incidents (association_id, created_at);
