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
