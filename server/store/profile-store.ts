// The versions of an association's policy profile (association_profiles): each written once, never changed.
// SQL only: reading, seeding and validating profiles is records.ts's and the association service's.
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import { firstRow, type Queryable } from './db';

/** The association's names and the template it was created with. */
export function associationTemplate(
  db: Queryable,
  associationId: string,
): Promise<{ code: string; name_ar: string; name_en: string; profile_code: string | null } | undefined> {
  return firstRow<{
    code: string;
    name_ar: string;
    name_en: string;
    profile_code: string | null;
  }>(db, 'SELECT code, name_ar, name_en, profile_code FROM associations WHERE id = $1', [associationId]);
}

/** Writes version 1, unless there is one already (concurrent first reads race harmlessly). */
export async function insertFirstVersion(
  db: Queryable,
  associationId: string,
  profile: PolicyProfile,
  changes: readonly string[],
): Promise<void> {
  await db.query(
    `INSERT INTO association_profiles (association_id, version, profile, changes)
     VALUES ($1, 1, $2::jsonb, $3::jsonb) ON CONFLICT DO NOTHING`,
    [associationId, JSON.stringify(profile), JSON.stringify(changes)],
  );
}

/**
 * The number of the latest version (null: none yet). The profile itself is read by versionOf, once per version
 * and process (records.ts): sending it with every request was a good part of a sync's cost.
 */
export async function latestVersion(db: Queryable, associationId: string): Promise<number | null> {
  const row = await firstRow<{ version: string | number | null }>(
    db,
    `SELECT ${latestVersionSql('$1')} AS version`,
    [associationId],
  );
  return row?.version === undefined || row.version === null ? null : Number(row.version);
}

/** The latest version's number as an expression, for a statement that reads it with more (`aid`: a placeholder). */
export function latestVersionSql(aid: string): string {
  return `(SELECT max(version) FROM association_profiles WHERE association_id = ${aid}::uuid)`;
}

/** One version, unparsed. */
export function versionOf(
  db: Queryable,
  associationId: string,
  version: number,
): Promise<{ profile: unknown } | undefined> {
  return firstRow<{ profile: unknown }>(
    db,
    'SELECT profile FROM association_profiles WHERE association_id = $1 AND version = $2',
    [associationId, version],
  );
}

/** Every version, the latest first, with who made it and what it changed. */
export function versionHistory(
  db: Queryable,
  associationId: string,
): Promise<{ version: number; changed_at: Date; name: string | null; changes: string[] }[]> {
  return db.query<{
    version: number;
    changed_at: Date;
    name: string | null;
    changes: string[];
  }>(
    `SELECT p.version, p.changed_at, u.display_name AS name, p.changes
           FROM association_profiles p LEFT JOIN users u ON u.id = p.changed_by
          WHERE p.association_id = $1 ORDER BY p.version DESC`,
    [associationId],
  );
}

/** Locks the association's row to the end of `tx`: one profile save at a time. */
export async function lockAssociation(tx: Queryable, associationId: string): Promise<void> {
  await tx.query('SELECT 1 FROM associations WHERE id = $1 FOR UPDATE', [associationId]);
}

/** Writes a new version, made by `changedBy` at `at`. */
export async function insertVersion(
  tx: Queryable,
  v: {
    associationId: string;
    version: number;
    profile: PolicyProfile;
    changedBy: string;
    at: Date;
    changes: readonly string[];
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO association_profiles (association_id, version, profile, changed_by, changed_at, changes)
           VALUES ($1, $2, $3::jsonb, $4, $5, $6::jsonb)`,
    [v.associationId, v.version, JSON.stringify(v.profile), v.changedBy, v.at, JSON.stringify(v.changes)],
  );
}
