// SQL for users, devices, sessions, refresh tokens and login attempts. Plain functions over a Queryable,
// so a service can run several of them in one transaction.
import type { Role } from '../../src/protocol/auth';
import { firstRow, type Queryable } from './db';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  association_id: string;
  branch_id: string | null;
  password_hash: string;
  disabled_at: Date | null;
  must_change_password: boolean;
}

export interface UserProfileRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  association_id: string;
  association_code: string;
  association_name_ar: string;
  association_name_en: string;
  branch_id: string | null;
  branch_code: string | null;
  branch_name_ar: string | null;
  branch_name_en: string | null;
}

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(
    `SELECT id, username, display_name, role, association_id, branch_id, password_hash, disabled_at,
            must_change_password
       FROM users WHERE username = $1`,
    [username],
  );
  return rows[0];
}

/** The user with their association and branch, as the app shows them. */
export async function findUserProfile(db: Queryable, userId: string): Promise<UserProfileRow | undefined> {
  const rows = await db.query<UserProfileRow>(
    `SELECT u.id, u.username, u.display_name, u.role, u.association_id,
            a.code AS association_code, a.name_ar AS association_name_ar, a.name_en AS association_name_en,
            u.branch_id, b.code AS branch_code, b.name_ar AS branch_name_ar, b.name_en AS branch_name_en
       FROM users u
       JOIN associations a ON a.id = u.association_id
       LEFT JOIN branches b ON b.id = u.branch_id
      WHERE u.id = $1`,
    [userId],
  );
  return rows[0];
}

/** The times of the latest failed attempts since the last success, newest first, within the window. */
export async function recentFailures(
  db: Queryable,
  username: string,
  since: Date,
  limit: number,
): Promise<Date[]> {
  const rows = await db.query<{ at: Date }>(
    `SELECT at FROM login_attempts
      WHERE username = $1 AND NOT success AND at > $2
        -- by insertion order, not time: a success and a failure can share a millisecond
        AND id > COALESCE((SELECT max(id) FROM login_attempts WHERE username = $1 AND success), 0)
      ORDER BY id DESC LIMIT $3`,
    [username, since, limit],
  );
  return rows.map((r) => new Date(r.at));
}

export async function recordLoginAttempt(db: Queryable, username: string, at: Date, success: boolean) {
  await db.query('INSERT INTO login_attempts (username, at, success) VALUES ($1, $2, $3)', [
    username,
    at,
    success,
  ]);
}

export interface DeviceRow {
  revoked_at: Date | null;
}

/** Registers the device on first login and refreshes its name and last sighting; returns its state. */
export async function upsertDevice(
  db: Queryable,
  d: { associationId: string; deviceId: string; name: string; userId: string; at: Date },
): Promise<DeviceRow> {
  const rows = await db.query<DeviceRow>(
    `INSERT INTO devices (association_id, id, name, first_seen_at, last_seen_at, last_user_id)
     VALUES ($1, $2, $3, $5, $5, $4)
     ON CONFLICT (association_id, id)
     DO UPDATE SET name = EXCLUDED.name, last_seen_at = EXCLUDED.last_seen_at, last_user_id = EXCLUDED.last_user_id
     RETURNING revoked_at`,
    [d.associationId, d.deviceId, d.name, d.userId, d.at],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('upsert of a device returned no row');
  return row;
}

export async function createSession(
  db: Queryable,
  s: { userId: string; associationId: string; deviceId: string; at: Date },
): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO sessions (user_id, association_id, device_id, created_at, last_used_at)
     VALUES ($1, $2, $3, $4, $4) RETURNING id`,
    [s.userId, s.associationId, s.deviceId, s.at],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('insert of a session returned no row');
  return row.id;
}

export async function insertRefreshToken(
  db: Queryable,
  t: { tokenHash: string; sessionId: string; at: Date; expiresAt: Date },
) {
  await db.query(
    'INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
    [t.tokenHash, t.sessionId, t.at, t.expiresAt],
  );
}

export interface RefreshTokenRow {
  token_hash: string;
  session_id: string;
  expires_at: Date;
  used_at: Date | null;
  user_id: string;
  association_id: string;
  device_id: string;
  session_revoked_at: Date | null;
  device_revoked_at: Date | null;
  user_disabled_at: Date | null;
  /** The user as they are now: an administrator's change of role or branch applies at once. */
  role: Role;
  branch_id: string | null;
  must_change_password: boolean;
}

/** Locks the token row, so two refreshes with one token are decided one after the other. */
export async function findRefreshTokenForUpdate(
  db: Queryable,
  tokenHash: string,
): Promise<RefreshTokenRow | undefined> {
  const rows = await db.query<RefreshTokenRow>(
    `SELECT t.token_hash, t.session_id, t.expires_at, t.used_at,
            s.user_id, s.association_id, s.device_id, s.revoked_at AS session_revoked_at,
            d.revoked_at AS device_revoked_at, u.disabled_at AS user_disabled_at
       FROM refresh_tokens t
       JOIN sessions s ON s.id = t.session_id
       JOIN devices d ON d.association_id = s.association_id AND d.id = s.device_id
       JOIN users u ON u.id = s.user_id
      WHERE t.token_hash = $1
      FOR UPDATE OF t`,
    [tokenHash],
  );
  return rows[0];
}

export async function markRefreshTokenUsed(db: Queryable, tokenHash: string, at: Date) {
  await db.query('UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1', [tokenHash, at]);
}

export async function touchSession(db: Queryable, sessionId: string, at: Date) {
  await db.query('UPDATE sessions SET last_used_at = $2 WHERE id = $1', [sessionId, at]);
}

export async function touchDevice(db: Queryable, associationId: string, deviceId: string, at: Date) {
  await db.query('UPDATE devices SET last_seen_at = $3 WHERE association_id = $1 AND id = $2', [
    associationId,
    deviceId,
    at,
  ]);
}

/** Revokes a session (a refresh-token family); every access token of it stops working at once. */
export async function revokeSession(db: Queryable, sessionId: string, at: Date, reason: string) {
  await db.query(
    'UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL',
    [sessionId, at, reason],
  );
}

export interface SessionStateRow {
  session_revoked_at: Date | null;
  device_revoked_at: Date | null;
  user_disabled_at: Date | null;
  /** The user as they are now: an administrator's change of role or branch applies at once. */
  role: Role;
  branch_id: string | null;
  must_change_password: boolean;
  /** The association's version when the user's role or branch last changed (0: never). */
  scope_version: string | number;
}

/** What decides whether an access token of this session may still be used. */
export async function sessionState(db: Queryable, sessionId: string): Promise<SessionStateRow | undefined> {
  const rows = await db.query<SessionStateRow>(
    `SELECT s.revoked_at AS session_revoked_at, d.revoked_at AS device_revoked_at, u.disabled_at AS user_disabled_at,
            u.role, u.branch_id, u.must_change_password, u.scope_version
       FROM sessions s
       JOIN devices d ON d.association_id = s.association_id AND d.id = s.device_id
       JOIN users u ON u.id = s.user_id
      WHERE s.id = $1`,
    [sessionId],
  );
  return rows[0];
}

/** Revokes a device and every session on it; returns whether such a device existed. */
export async function revokeDevice(
  db: Queryable,
  associationId: string,
  deviceId: string,
  at: Date,
  reason: string,
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE devices SET revoked_at = COALESCE(revoked_at, $3), revoked_reason = COALESCE(revoked_reason, $4)
      WHERE association_id = $1 AND id = $2 RETURNING id`,
    [associationId, deviceId, at, reason],
  );
  await db.query(
    `UPDATE sessions SET revoked_at = $3, revoked_reason = 'device_revoked'
      WHERE association_id = $1 AND device_id = $2 AND revoked_at IS NULL`,
    [associationId, deviceId, at],
  );
  return rows.length > 0;
}

/** An association's devices, most recently seen first, with who used each last. */
export function listDevices(db: Queryable, associationId: string) {
  return db.query<{
    id: string;
    name: string;
    last_seen_at: Date;
    last_user: string | null;
    revoked_at: Date | null;
  }>(
    `SELECT d.id, d.name, d.last_seen_at, u.username AS last_user, d.revoked_at
       FROM devices d LEFT JOIN users u ON u.id = d.last_user_id
      WHERE d.association_id = $1 ORDER BY d.last_seen_at DESC`,
    [associationId],
  );
}

/** How many sessions the user has had on this device (any: a first sign-in there finds none). */
export async function countSessionsOnDevice(
  db: Queryable,
  userId: string,
  deviceId: string,
): Promise<number> {
  const rows = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND device_id = $2',
    [userId, deviceId],
  );
  return rows[0]?.n ?? 0;
}

/** A user's password hash and username, by id. */
export function findUserPassword(
  db: Queryable,
  userId: string,
): Promise<{ password_hash: string; username: string } | undefined> {
  return firstRow<{ password_hash: string; username: string }>(
    db,
    'SELECT password_hash, username FROM users WHERE id = $1',
    [userId],
  );
}

/** The user's own new password: no longer one they must change. */
export async function setOwnPassword(db: Queryable, userId: string, passwordHash: string, at: Date) {
  await db.query(
    'UPDATE users SET password_hash = $2, must_change_password = false, updated_at = $3 WHERE id = $1',
    [userId, passwordHash, at],
  );
}

/** Revokes every other open session of the user, their password having changed. */
export async function revokeOtherSessions(db: Queryable, userId: string, keptSessionId: string, at: Date) {
  await db.query(
    `UPDATE sessions SET revoked_at = $3, revoked_reason = 'password_changed'
            WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL`,
    [userId, keptSessionId, at],
  );
}
