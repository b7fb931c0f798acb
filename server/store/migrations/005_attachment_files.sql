-- Attachment files (document photos, signatures), content-addressed: one row per association and SHA-256,
-- so the same file is stored once however often it is sent. The bytes live in the database, like the rest
-- of the association's data: API instances stay stateless and one backup holds everything. Uploads in
-- progress live in DATA_DIR/uploads (tus) until their bytes are checked against the hash and moved here.
CREATE TABLE attachment_files (
  association_id uuid NOT NULL REFERENCES associations (id),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  mime_type text NOT NULL,
  size integer NOT NULL CHECK (size > 0),
  data bytea NOT NULL,
  uploaded_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (association_id, sha256)
);

-- Who may read a file depends on the attachment records that name it.
CREATE INDEX records_attachment_sha256_idx ON records (association_id, (data->>'sha256'))
  WHERE entity = 'attachment';
