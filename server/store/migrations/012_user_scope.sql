-- A change of a user's role or branch changes what their devices may hold: the association's version at
-- that moment is kept, and a device whose pull cursor is older starts its pull over (410 resync_required),
-- so that it receives what the new scope lets it see.
ALTER TABLE users ADD COLUMN scope_version bigint NOT NULL DEFAULT 0;
