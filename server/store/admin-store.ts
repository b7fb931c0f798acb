// Tenants as the CLI and demo seeding create them (admin-service): associations, their branches by code, and
// users. SQL only: the rules are the admin service's.
import type { Role } from '../../src/protocol/auth';
import { firstRow, type Queryable } from './db';

/** The id of the association with this code. */
export async function associationIdByCode(db: Queryable, code: string): Promise<string | undefined> {
  return (await firstRow<{ id: string }>(db, 'SELECT id FROM associations WHERE code = $1', [code]))?.id;
}

/** Adds an association; returns its id. */
export async function insertAssociation(
  db: Queryable,
  a: { code: string; nameAr: string; nameEn: string; profileCode: string },
): Promise<string | undefined> {
  return (
    await firstRow<{ id: string }>(
      db,
      'INSERT INTO associations (code, name_ar, name_en, profile_code) VALUES ($1, $2, $3, $4) RETURNING id',
      [a.code, a.nameAr, a.nameEn, a.profileCode],
    )
  )?.id;
}

/** The id of the association's branch with this code. */
export async function branchIdByCode(
  db: Queryable,
  associationId: string,
  code: string,
): Promise<string | undefined> {
  return (
    await firstRow<{ id: string }>(db, 'SELECT id FROM branches WHERE association_id = $1 AND code = $2', [
      associationId,
      code,
    ])
  )?.id;
}

/** Adds a user; returns their id. */
export async function insertUser(
  db: Queryable,
  u: {
    associationId: string;
    branchId: string | null;
    username: string;
    displayName: string;
    role: Role;
    passwordHash: string;
  },
): Promise<string | undefined> {
  return (
    await firstRow<{ id: string }>(
      db,
      `INSERT INTO users (association_id, branch_id, username, display_name, role, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [u.associationId, u.branchId, u.username, u.displayName, u.role, u.passwordHash],
    )
  )?.id;
}

/** How many associations there are. */
export async function countAssociations(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM associations');
  return rows[0]?.n ?? 0;
}
