-- The sync store. Each record is kept once, at its latest version; versions come from one counter per
-- association, taken under that association's advisory lock, so a pull cursor never skips a change that
-- commits late. A deleted record stays as a tombstone (deleted, no data).

CREATE TABLE association_versions (
  association_id uuid PRIMARY KEY REFERENCES associations (id),
  version bigint NOT NULL DEFAULT 0
);

CREATE TABLE records (
  association_id uuid NOT NULL REFERENCES associations (id),
  entity text NOT NULL,
  record_id uuid NOT NULL,
  -- The branch whose staff see the record; NULL for records of the whole association.
  branch_id uuid,
  version bigint NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  data jsonb,
  -- For each top-level field, the version that last changed it: field-level conflict detection.
  field_versions jsonb NOT NULL DEFAULT '{}',
  created_by uuid NOT NULL,
  updated_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (association_id, entity, record_id)
);
CREATE INDEX records_pull_idx ON records (association_id, version);
CREATE INDEX records_branch_pull_idx ON records (association_id, branch_id, version);

-- The last mutation seq applied for each client (one installation of the app for one user).
CREATE TABLE sync_clients (
  client_id uuid PRIMARY KEY,
  association_id uuid NOT NULL REFERENCES associations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  last_seq bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL
);

-- Attempts that conflicted with the server's values, kept for review.
CREATE TABLE sync_conflicts (
  id bigserial PRIMARY KEY,
  association_id uuid NOT NULL,
  client_id uuid NOT NULL,
  seq bigint NOT NULL,
  entity text NOT NULL,
  record_id uuid NOT NULL,
  base_version bigint NOT NULL,
  server_version bigint NOT NULL,
  fields jsonb NOT NULL,
  attempted jsonb NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX sync_conflicts_record_idx ON sync_conflicts (association_id, entity, record_id);
