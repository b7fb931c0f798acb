-- Issue 19: the association runs itself. Its policy profile is its own data, every version kept with who
-- changed it and when; staff accounts can be disabled with a reason and given a temporary password;
-- branches can close. An association created before this migration gets its version 1 from the template
-- it followed (profile_code) the first time its profile is read (server/services/profiles.ts).
CREATE TABLE association_profiles (
  association_id uuid NOT NULL REFERENCES associations (id),
  version integer NOT NULL CHECK (version >= 1),
  profile jsonb NOT NULL,
  changed_by uuid REFERENCES users (id),
  changed_at timestamptz NOT NULL DEFAULT now(),
  -- The paths of the profile this version changed, for the history and the change notice (K-INFO-c).
  changes jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (association_id, version)
);

ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN disabled_reason text;
ALTER TABLE users ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE branches ADD COLUMN closed_at timestamptz;

-- The caseload imported from an association's spreadsheets: one row per file (by the SHA-256 of its
-- bytes), so the same file imported twice creates nothing new.
CREATE TABLE imports (
  association_id uuid NOT NULL REFERENCES associations (id),
  file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  imported_by uuid NOT NULL REFERENCES users (id),
  imported_at timestamptz NOT NULL DEFAULT now(),
  beneficiaries integer NOT NULL,
  household_members integer NOT NULL,
  PRIMARY KEY (association_id, file_sha256)
);
