-- The sync epoch of each association: part of every pull cursor, and renewed when the data is restored from
-- a backup (`npm run admin -- restore`, or `npm run admin -- restored` after a PostgreSQL restore). A restored
-- server hands out again version numbers it had handed out before the restore, for other changes; a cursor
-- of the old epoch is then refused (resync_required) and the device pulls again from the start, rather than
-- trusting a version number that no longer means what it meant.
ALTER TABLE association_versions
  ADD COLUMN epoch text NOT NULL DEFAULT substr(md5(random()::text || clock_timestamp()::text), 1, 12);
