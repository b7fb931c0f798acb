// An association's branches and people as its administrator manages them (association-service, issue 19),
// and what a profile save checks against its records. SQL only: the rules are the association service's.
import type { Role } from '../../src/domain/permissions';
import { firstRow, type Queryable } from './db';

export interface BranchDbRow {
  id: string;
  code: string;
  name_ar: string;
  name_en: string;
  closed_at: Date | null;
  beneficiaries: number;
  open_requests: number;
}

export interface UserDbRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  branch_id: string | null;
  disabled_at: Date | null;
  disabled_reason: string | null;
  must_change_password: boolean;
}

const userColumns =
  'id, username, display_name, role, branch_id, disabled_at, disabled_reason, must_change_password';

/** When the association's branch was closed (null: open); undefined when it has no such branch. */
export function branchClosedAt(
  db: Queryable,
  associationId: string,
  branchId: string,
): Promise<{ closed_at: Date | null } | undefined> {
  return firstRow<{ closed_at: Date | null }>(
    db,
    'SELECT closed_at FROM branches WHERE association_id = $1 AND id = $2',
    [associationId, branchId],
  );
}

/** Is there a branch (or user) with this id in any association? */
export async function existsAnywhere(
  db: Queryable,
  table: 'branches' | 'users',
  id: string,
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(`SELECT id FROM ${table} WHERE id = $1`, [id]);
  return rows.length > 0;
}

/** The association's branches (or the one of `branchId`), with their beneficiaries and open requests. */
export function branchRows(
  db: Queryable,
  associationId: string,
  openStatuses: readonly string[],
  branchId?: string,
): Promise<BranchDbRow[]> {
  return db.query<BranchDbRow>(
    `SELECT b.id, b.code, b.name_ar, b.name_en, b.closed_at,
              (SELECT count(*)::int FROM records r WHERE r.association_id = b.association_id
                 AND r.branch_id = b.id AND r.entity = 'beneficiary' AND NOT r.deleted) AS beneficiaries,
              (SELECT count(*)::int FROM records r WHERE r.association_id = b.association_id
                 AND r.branch_id = b.id AND r.entity = 'case' AND NOT r.deleted
                 AND r.data->>'status' = ANY($2::text[])) AS open_requests
         FROM branches b
        WHERE b.association_id = $1 AND ($3::uuid IS NULL OR b.id = $3::uuid)
        ORDER BY b.closed_at IS NOT NULL, b.code`,
    [associationId, openStatuses, branchId ?? null],
  );
}

/** Adds a branch; returns its id. */
export async function insertBranch(
  db: Queryable,
  associationId: string,
  b: { code: string; nameAr: string; nameEn: string },
): Promise<string | undefined> {
  return (
    await firstRow<{ id: string }>(
      db,
      'INSERT INTO branches (association_id, code, name_ar, name_en) VALUES ($1, $2, $3, $4) RETURNING id',
      [associationId, b.code, b.nameAr, b.nameEn],
    )
  )?.id;
}

/** Renames a branch; a name left null stays as it is. */
export async function renameBranch(
  db: Queryable,
  associationId: string,
  branchId: string,
  names: { nameAr: string | null; nameEn: string | null },
): Promise<void> {
  await db.query(
    `UPDATE branches SET name_ar = COALESCE($3, name_ar), name_en = COALESCE($4, name_en)
          WHERE association_id = $1 AND id = $2`,
    [associationId, branchId, names.nameAr, names.nameEn],
  );
}

/** Closes a branch at `at`, unless it is closed already. */
export async function closeBranch(
  db: Queryable,
  associationId: string,
  branchId: string,
  at: Date,
): Promise<void> {
  await db.query(
    'UPDATE branches SET closed_at = COALESCE(closed_at, $3) WHERE association_id = $1 AND id = $2',
    [associationId, branchId, at],
  );
}

/** The usernames of a branch's active staff. */
export function activeStaffOfBranch(
  db: Queryable,
  associationId: string,
  branchId: string,
): Promise<{ username: string }[]> {
  return db.query<{ username: string }>(
    'SELECT username FROM users WHERE association_id = $1 AND branch_id = $2 AND disabled_at IS NULL ORDER BY username',
    [associationId, branchId],
  );
}

/** One of the association's users. */
export function findUser(
  db: Queryable,
  associationId: string,
  userId: string,
): Promise<UserDbRow | undefined> {
  return firstRow<UserDbRow>(db, `SELECT ${userColumns} FROM users WHERE association_id = $1 AND id = $2`, [
    associationId,
    userId,
  ]);
}

/** The association's users, the active ones first, by username. */
export function listUsers(db: Queryable, associationId: string): Promise<UserDbRow[]> {
  return db.query<UserDbRow>(
    `SELECT ${userColumns} FROM users WHERE association_id = $1 ORDER BY disabled_at IS NOT NULL, username`,
    [associationId],
  );
}

/** Adds a user who must change their (temporary) password at their first sign-in. */
export function insertUser(
  db: Queryable,
  u: {
    associationId: string;
    branchId: string | null;
    username: string;
    name: string;
    role: Role;
    passwordHash: string;
  },
): Promise<UserDbRow[]> {
  return db.query<UserDbRow>(
    `INSERT INTO users (association_id, branch_id, username, display_name, role, password_hash, must_change_password)
           VALUES ($1, $2, $3, $4, $5, $6, true) RETURNING ${userColumns}`,
    [u.associationId, u.branchId, u.username, u.name, u.role, u.passwordHash],
  );
}

/** Sets a user's name, role and branch; `scopeVersion`, when not null, marks a change of their scope. */
export function updateUser(
  db: Queryable,
  u: {
    associationId: string;
    userId: string;
    name: string;
    role: Role;
    branchId: string | null;
    at: Date;
    scopeVersion: number | null;
  },
): Promise<UserDbRow[]> {
  return db.query<UserDbRow>(
    `UPDATE users SET display_name = $3, role = $4, branch_id = $5, updated_at = $6,
                  scope_version = COALESCE($7, scope_version)
            WHERE association_id = $1 AND id = $2 RETURNING ${userColumns}`,
    [u.associationId, u.userId, u.name, u.role, u.branchId, u.at, u.scopeVersion],
  );
}

export function disableUser(
  db: Queryable,
  associationId: string,
  userId: string,
  at: Date,
  reason: string,
): Promise<UserDbRow[]> {
  return db.query<UserDbRow>(
    `UPDATE users SET disabled_at = COALESCE(disabled_at, $3), disabled_reason = $4, updated_at = $3
            WHERE association_id = $1 AND id = $2 RETURNING ${userColumns}`,
    [associationId, userId, at, reason],
  );
}

export function enableUser(
  db: Queryable,
  associationId: string,
  userId: string,
  at: Date,
): Promise<UserDbRow[]> {
  return db.query<UserDbRow>(
    `UPDATE users SET disabled_at = NULL, disabled_reason = NULL, updated_at = $3
            WHERE association_id = $1 AND id = $2 RETURNING ${userColumns}`,
    [associationId, userId, at],
  );
}

/** Sets a temporary password, which the user must change at their next sign-in. */
export function setTemporaryPassword(
  db: Queryable,
  associationId: string,
  userId: string,
  passwordHash: string,
  at: Date,
): Promise<UserDbRow[]> {
  return db.query<UserDbRow>(
    `UPDATE users SET password_hash = $3, must_change_password = true, updated_at = $4
            WHERE association_id = $1 AND id = $2 RETURNING ${userColumns}`,
    [associationId, userId, passwordHash, at],
  );
}

/** Ends every session of a user still open, at `at`, for `reason`. */
export async function endUserSessions(
  db: Queryable,
  userId: string,
  at: Date,
  reason: string,
): Promise<void> {
  await db.query(
    'UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE user_id = $1 AND revoked_at IS NULL',
    [userId, at, reason],
  );
}

/**
 * Those of these files the association holds as library documents: uploaded by a user of one of `roles`,
 * and named by no attachment record.
 */
export async function libraryFiles(
  db: Queryable,
  associationId: string,
  shas: readonly string[],
  roles: readonly Role[],
): Promise<string[]> {
  const rows = await db.query<{ sha256: string }>(
    `SELECT f.sha256 FROM attachment_files f JOIN users u ON u.id = f.uploaded_by
                  WHERE f.association_id = $1 AND f.sha256 = ANY($2::text[]) AND u.role = ANY($3::text[])
                    AND NOT EXISTS (SELECT 1 FROM records r WHERE r.association_id = $1
                                     AND r.entity = 'attachment' AND r.data->>'sha256' = f.sha256)`,
    [associationId, shas, roles],
  );
  return rows.map((r) => r.sha256);
}

/** The association's requests in one of `statuses` that use one of these services (the first 100). */
export function requestsUsingServices(
  db: Queryable,
  associationId: string,
  statuses: readonly string[],
  serviceTypeIds: readonly string[],
): Promise<{ id: string; number: string; service: string }[]> {
  return db.query<{ id: string; number: string; service: string }>(
    `SELECT record_id AS id, data->>'number' AS number, data->>'serviceTypeId' AS service FROM records
              WHERE association_id = $1 AND entity = 'case' AND NOT deleted
                AND data->>'status' = ANY($2::text[]) AND data->>'serviceTypeId' = ANY($3::text[])
              ORDER BY data->>'number' LIMIT 100`,
    [associationId, statuses, serviceTypeIds],
  );
}
