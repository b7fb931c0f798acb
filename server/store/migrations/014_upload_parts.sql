-- Uploads in progress (tus), kept in the database rather than on one instance's disk, so that a device's
-- next request may land on any instance behind the proxy: the upload, and its bytes in the order they came.
-- A part is written together with the offset it moves, in one transaction, and only if the offset is still
-- the one the writer started from: two instances writing the same upload cannot interleave its bytes.
CREATE TABLE uploads (
  id text PRIMARY KEY,
  size bigint NOT NULL,
  "offset" bigint NOT NULL DEFAULT 0 CHECK ("offset" <= size),
  metadata jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX uploads_created_at ON uploads (created_at);

CREATE TABLE upload_parts (
  upload_id text NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
  start bigint NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (upload_id, start)
);
