// The association's version counter (migration 003): every change to a record takes the next version, under
// the lock of the counter's row, held to commit, so that versions are handed out in commit order and a pull
// cursor never skips a change that commits late.
import { Params, type Queryable } from './db';

export interface VersionCounter {
  /** The next version. */
  next: () => number;
  /** Writes the counter back; call once, before the transaction commits. */
  save: () => Promise<void>;
  /** The counter as it will be saved. */
  readonly current: number;
}

/**
 * The statement that locks the association's counter (to the end of the transaction) and reads it: created on
 * first use, the update, a no-op, takes the row's lock (a second writer waits here until the first commits,
 * then reads what it saved) and makes RETURNING give the row. `aid` is the association's placeholder.
 */
export function lockCounterSql(aid: string): string {
  return `INSERT INTO association_versions (association_id, version) VALUES (${aid}::uuid, 0)
     ON CONFLICT (association_id) DO UPDATE SET version = association_versions.version RETURNING version`;
}

/** Locks the association's counter (to the end of `tx`) and takes it. */
export async function takeVersions(tx: Queryable, associationId: string): Promise<VersionCounter> {
  const [row] = await tx.query<{ version: string | number }>(lockCounterSql('$1'), [associationId]);
  return versionCounter(tx, associationId, Number(row?.version ?? 0));
}

/** The counter of an association whose lock `tx` holds, at `version` as locked. */
export function versionCounter(tx: Queryable, associationId: string, version: number): VersionCounter {
  let current = version;
  return {
    next: () => (current += 1),
    save: async () => {
      const p = new Params();
      await tx.query(saveVersionSql(p, associationId, current), p.values);
    },
    get current() {
      return current;
    },
  };
}

/** The statement writing a counter back (VersionCounter.save, or one part of a push's: sync-store.ts). */
export function saveVersionSql(p: Params, associationId: string, version: number): string {
  return `UPDATE association_versions SET version = ${p.add(version)} WHERE association_id = ${p.add(associationId)}`;
}

/** Creates the association's counter, and so its sync epoch, unless it exists (before its first change). */
export async function ensureCounter(db: Queryable, associationId: string): Promise<void> {
  await db.query(
    'INSERT INTO association_versions (association_id, version) VALUES ($1, 0) ON CONFLICT DO NOTHING',
    [associationId],
  );
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
