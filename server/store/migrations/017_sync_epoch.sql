-- The sync epoch of each association: part of every pull cursor, and renewed when the data is restored from
-- a backup (`npm run admin -- restore`, or `npm run admin -- restored` after a PostgreSQL restore). A restored
-- server hands out again version numbers it had handed out before the restore, for other changes; a cursor
-- of the old epoch is then refused (resync_required) and the device pulls again from the start, rather than
-- trusting a version number that no longer means what it meant.
ALTER TABLE association_versions
  ADD COLUMN epoch text NOT NULL DEFAULT substr(md5(random()::text || clock_timestamp()::text), 1, 12);
-- Cursors made before epochs (v1) carry none: they belong to the epoch this migration began, and are refused
-- once a restore has renewed it. An association created since has no such cursors (null).
ALTER TABLE association_versions ADD COLUMN v1_epoch text;
UPDATE association_versions SET v1_epoch = epoch;
