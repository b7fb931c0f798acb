// The association's version counter (migration 003): every change to a record takes the next version, under
// the association's advisory lock, held to commit, so that versions are handed out in commit order and a
// pull cursor never skips a change that commits late.
import type { Queryable } from './db';

export interface VersionCounter {
  /** The next version. */
  next: () => number;
  /** Writes the counter back; call once, before the transaction commits. */
  save: () => Promise<void>;
}

/** Takes the association's lock (to the end of `tx`) and its version counter. */
export async function takeVersions(tx: Queryable, associationId: string): Promise<VersionCounter> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [associationId]);
  // Created on first use and read in one statement (the no-op update makes RETURNING give the row).
  const counter = (
    await tx.query<{ version: string | number }>(
      `INSERT INTO association_versions (association_id, version) VALUES ($1, 0)
       ON CONFLICT (association_id) DO UPDATE SET version = association_versions.version RETURNING version`,
      [associationId],
    )
  )[0];
  let version = Number(counter?.version ?? 0);
  return {
    next: () => (version += 1),
    save: async () => {
      await tx.query('UPDATE association_versions SET version = $2 WHERE association_id = $1', [
        associationId,
        version,
      ]);
    },
  };
}

/**
 * The association's sync epoch and head version: where a pull cursor must stand (migration 017); and the
 * epoch of cursors made before epochs (null when there can be none).
 */
export async function syncHead(
  db: Queryable,
  associationId: string,
): Promise<{ version: number; epoch: string; v1Epoch: string | null }> {
  const read = () =>
    db.query<{ version: string | number; epoch: string; v1_epoch: string | null }>(
      'SELECT version, epoch, v1_epoch FROM association_versions WHERE association_id = $1',
      [associationId],
    );
  let [row] = await read();
  if (row === undefined) {
    // Before the association's first change its counter does not exist yet: its epoch starts here.
    await db.query(
      'INSERT INTO association_versions (association_id, version) VALUES ($1, 0) ON CONFLICT DO NOTHING',
      [associationId],
    );
    [row] = await read();
  }
  return { version: Number(row?.version ?? 0), epoch: row?.epoch ?? '', v1Epoch: row?.v1_epoch ?? null };
}

/**
 * Starts a new sync epoch for every association, after the data was restored from a backup: every device's
 * cursor is then refused and it pulls again from the start. Returns how many associations.
 */
export async function renewSyncEpochs(db: Queryable): Promise<number> {
  const rows = await db.query(
    `UPDATE association_versions SET epoch = substr(md5(random()::text || clock_timestamp()::text), 1, 12)
     RETURNING association_id`,
  );
  return rows.length;
}
