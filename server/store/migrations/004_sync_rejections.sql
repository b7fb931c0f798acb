-- Rejected mutations, kept so that a retried push (whose first response was lost) can be told the original
-- outcome instead of a bare "duplicate": a rejection is never dropped silently.
CREATE TABLE sync_rejections (
  client_id uuid NOT NULL,
  seq bigint NOT NULL,
  association_id uuid NOT NULL,
  entity text NOT NULL,
  record_id uuid NOT NULL,
  error jsonb NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (client_id, seq)
);
CREATE UNIQUE INDEX sync_conflicts_client_seq_idx ON sync_conflicts (client_id, seq);
