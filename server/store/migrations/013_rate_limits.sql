-- The hit counters of the limits on public complaints (per address), duplicate checks and imports (per user),
-- kept here rather than in one process's memory, so that every instance behind a proxy counts the same hits.
-- A counter lives for its window (minutes): an address is personal data, and the rows past their window are
-- deleted as the next window starts.
CREATE TABLE rate_limit_hits (
  scope text NOT NULL,
  key text NOT NULL,
  -- The window's start, in milliseconds since the epoch (fixed windows: floor(now / length) * length).
  window_start bigint NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (scope, key, window_start)
);
CREATE INDEX rate_limit_hits_window ON rate_limit_hits (window_start);
