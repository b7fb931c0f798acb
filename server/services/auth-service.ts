// Login, refresh-token rotation with reuse detection, logout, and access-token authentication.
import { createHmac } from 'node:crypto';
import type {
  LoginRequest,
  LoginResponse,
  LogoutRequest,
  MeResponse,
  RefreshRequest,
  TokenPair,
} from '../../src/protocol/auth';
import { ErrorCode } from '../../src/protocol/errors';
import { hashPassword, verifyPassword } from '../crypto/password';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  REFRESH_TOKEN_TTL_SECONDS,
  hashToken,
  newRefreshToken,
  signAccessToken,
  verifyAccessToken,
  type AccessClaims,
} from '../crypto/tokens';
import type { Db, Queryable } from '../store/db';
import type { ChangePasswordRequest } from '../../src/protocol/admin';
import { currentProfile } from './records';
import * as store from '../store/auth-store';
import { refuseIf, ServiceError } from './errors';
import { mayAdministerDevices } from './policy';
import { recordsOfDevice } from '../store/audit-store';

/** After this many failed logins for a username within the window, further attempts wait. */
export const MAX_FAILED_LOGINS = 5;
export const FAILED_LOGIN_WINDOW_MS = 15 * 60 * 1000;

export interface AuthDeps {
  db: Db;
  secret: string;
  /** Milliseconds since the epoch; injected so tests control expiry and throttling. */
  now: () => number;
}

/** Who is calling, as established from a valid access token and the user's current row. */
export type AuthContext = AccessClaims & {
  /** A temporary password is still to be changed: nothing but that (and reading who one is) is allowed. */
  mustChangePassword?: boolean;
  /** The association's version when the user's role or branch last changed: older pull cursors start over. */
  scopeSince?: number;
};

export function createAuthService(deps: AuthDeps) {
  const { db, secret, now } = deps;
  /**
   * A device's recovery key for a user: derived from the server's secret (WASEL_SECRET, or the generated
   * one kept in server_settings when that is unset), so it is stored nowhere. Given only with a sign-in
   * the server accepts, and only when the device needs it: the user's first sign-in on that device (which
   * wraps its keys under it too) or a temporary password after a reset (which opens them again).
   */
  const deviceKeyOf = (userId: string, deviceId: string) =>
    createHmac('sha256', secret).update(`wasel-device-key:${userId}:${deviceId}`).digest('base64url');
  // Verified against when the username is unknown, so a wrong username costs as long as a wrong password.
  let dummyHash: Promise<string> | undefined;

  async function issueTokens(
    tx: Queryable,
    claims: Omit<AccessClaims, 'iat' | 'exp'>,
    at: Date,
  ): Promise<TokenPair> {
    const refreshToken = newRefreshToken();
    await store.insertRefreshToken(tx, {
      tokenHash: hashToken(refreshToken),
      sessionId: claims.sid,
      at,
      expiresAt: new Date(at.getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000),
    });
    return {
      accessToken: await signAccessToken(claims, secret, at.getTime()),
      refreshToken,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    };
  }

  async function assertNotThrottled(username: string, at: Date) {
    const failures = await store.recentFailures(
      db,
      username,
      new Date(at.getTime() - FAILED_LOGIN_WINDOW_MS),
      MAX_FAILED_LOGINS,
    );
    const oldest = failures[MAX_FAILED_LOGINS - 1];
    if (oldest === undefined) return;
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil((oldest.getTime() + FAILED_LOGIN_WINDOW_MS - at.getTime()) / 1000),
    );
    throw new ServiceError(
      ErrorCode.tooManyAttempts,
      'Too many failed logins; try again later.',
      retryAfterSeconds,
    );
  }

  async function profile(userId: string): Promise<MeResponse> {
    const row = await store.findUserProfile(db, userId);
    if (row === undefined) throw new ServiceError(ErrorCode.unauthorized, 'Unknown user.');
    return {
      user: {
        id: row.id,
        username: row.username,
        name: row.display_name,
        role: row.role,
        associationId: row.association_id,
        branchId: row.branch_id,
      },
      association: {
        id: row.association_id,
        code: row.association_code,
        nameAr: row.association_name_ar,
        nameEn: row.association_name_en,
      },
      branch:
        row.branch_id === null
          ? null
          : {
              id: row.branch_id,
              code: row.branch_code ?? '',
              nameAr: row.branch_name_ar ?? '',
              nameEn: row.branch_name_en ?? '',
            },
    };
  }

  return {
    profile,

    /**
     * Checks the password, registers the device and opens a session. Throttling is checked before the
     * password, so a locked-out username learns nothing. The check and the record of the attempt are not
     * one transaction (that would hold PGlite's only connection during scrypt); concurrent guesses can
     * therefore slip a few past the limit, which the limit tolerates.
     */
    async login(request: LoginRequest): Promise<LoginResponse> {
      const at = new Date(now());
      await assertNotThrottled(request.username, at);
      const user = await store.findUserByUsername(db, request.username);
      dummyHash ??= hashPassword('wasel-dummy-password');
      const ok = await verifyPassword(request.password, user?.password_hash ?? (await dummyHash));
      if (user === undefined || !ok) {
        await store.recordLoginAttempt(db, request.username, at, false);
        throw new ServiceError(ErrorCode.invalidCredentials, 'Wrong username or password.');
      }
      if (user.disabled_at !== null)
        throw new ServiceError(ErrorCode.accountDisabled, 'This account is disabled.');
      const policy = await currentProfile(db, user.association_id);
      const firstOnDevice = (await store.countSessionsOnDevice(db, user.id, request.deviceId)) === 0;

      const tokens = await db.transaction(async (tx) => {
        const device = await store.upsertDevice(tx, {
          associationId: user.association_id,
          deviceId: request.deviceId,
          name: request.deviceName,
          userId: user.id,
          at,
        });
        if (device.revoked_at !== null) return null;
        await store.recordLoginAttempt(tx, request.username, at, true);
        const sid = await store.createSession(tx, {
          userId: user.id,
          associationId: user.association_id,
          deviceId: request.deviceId,
          at,
        });
        return issueTokens(
          tx,
          {
            sub: user.id,
            role: user.role,
            aid: user.association_id,
            bid: user.branch_id,
            did: request.deviceId,
            sid,
          },
          at,
        );
      });
      if (tokens === null) throw new ServiceError(ErrorCode.deviceRevoked, 'This device has been revoked.');
      return {
        ...tokens,
        ...(await profile(user.id)),
        mustChangePassword: user.must_change_password,
        profile: policy,
        ...(firstOnDevice || user.must_change_password
          ? { deviceKey: deviceKeyOf(user.id, request.deviceId) }
          : {}),
      };
    },

    /**
     * Rotates a refresh token. A token can be used once; presenting a used one means it was copied, so
     * the whole session (the token family) is revoked, which also ends its access tokens.
     */
    async refresh(request: RefreshRequest): Promise<TokenPair> {
      const at = new Date(now());
      const outcome = await db.transaction(async (tx) => {
        const row = await store.findRefreshTokenForUpdate(tx, hashToken(request.refreshToken));
        if (row === undefined) return { error: ErrorCode.invalidRefreshToken } as const;
        if (row.device_revoked_at !== null) return { error: ErrorCode.deviceRevoked } as const;
        if (row.user_disabled_at !== null) return { error: ErrorCode.accountDisabled } as const;
        if (row.session_revoked_at !== null) return { error: ErrorCode.sessionRevoked } as const;
        if (row.used_at !== null || row.device_id !== request.deviceId) {
          // Committed even though the caller gets an error: this is the point of reuse detection.
          await store.revokeSession(tx, row.session_id, at, ErrorCode.refreshTokenReused);
          return { error: ErrorCode.refreshTokenReused } as const;
        }
        if (row.expires_at.getTime() <= at.getTime())
          return { error: ErrorCode.invalidRefreshToken } as const;
        await store.markRefreshTokenUsed(tx, row.token_hash, at);
        await store.touchSession(tx, row.session_id, at);
        await store.touchDevice(tx, row.association_id, row.device_id, at);
        const user = await store.findUserProfile(tx, row.user_id);
        if (user === undefined) return { error: ErrorCode.invalidRefreshToken } as const;
        const tokens = await issueTokens(
          tx,
          {
            sub: user.id,
            role: user.role,
            aid: user.association_id,
            bid: user.branch_id,
            did: row.device_id,
            sid: row.session_id,
          },
          at,
        );
        return { tokens, error: undefined } as const;
      });
      if (outcome.error !== undefined)
        throw new ServiceError(outcome.error, 'The refresh token cannot be used.');
      return outcome.tokens;
    },

    /** Ends the session the refresh token belongs to, whether or not that token was already rotated. */
    async logout(request: LogoutRequest): Promise<void> {
      const at = new Date(now());
      const found = await db.transaction(async (tx) => {
        const row = await store.findRefreshTokenForUpdate(tx, hashToken(request.refreshToken));
        if (row === undefined) return false;
        await store.revokeSession(tx, row.session_id, at, 'logout');
        return true;
      });
      if (!found) throw new ServiceError(ErrorCode.invalidRefreshToken, 'Unknown refresh token.');
    },

    /** The association's devices, for its administrator. */
    async listDevices(caller: AuthContext) {
      refuseIf(mayAdministerDevices(caller));
      const rows = await store.listDevices(db, caller.aid);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        lastSeenAt: r.last_seen_at.toISOString(),
        lastUser: r.last_user,
        revokedAt: r.revoked_at?.toISOString() ?? null,
      }));
    },

    /**
     * Revokes one of the association's devices (lost, stolen, handed back): its sessions end now, and at
     * its next contact the app erases everything it keeps.
     */
    async revokeDevice(caller: AuthContext, deviceId: string, reason: string): Promise<void> {
      refuseIf(mayAdministerDevices(caller));
      const found = await db.transaction((tx) =>
        store.revokeDevice(tx, caller.aid, deviceId, new Date(now()), reason),
      );
      if (!found) throw new ServiceError(ErrorCode.notFound, 'No such device in this association.');
    },

    /**
     * Every record a device of the association received or changed, from the audit log and its pull ranges:
     * after a device is lost, exactly what it held, and whether any of it was sensitive (L-BREACH).
     */
    async recordsOfDevice(caller: AuthContext, deviceId: string) {
      refuseIf(mayAdministerDevices(caller));
      const rows = await recordsOfDevice(db, caller.aid, deviceId);
      return rows.map((r) => ({
        entity: r.entity,
        recordId: r.record_id,
        lastAt: new Date(r.last_at).toISOString(),
        actions: r.actions,
        sensitive: r.sensitive,
      }));
    },

    /** Verifies an access token and that its session, device and user are still active. */
    async authenticate(token: string): Promise<AuthContext> {
      const verified = await verifyAccessToken(token, secret, now());
      if (!verified.ok) {
        throw new ServiceError(
          verified.reason === 'expired' ? ErrorCode.tokenExpired : ErrorCode.unauthorized,
          verified.reason === 'expired' ? 'The access token has expired.' : 'Invalid access token.',
        );
      }
      const state = await store.sessionState(db, verified.claims.sid);
      if (state === undefined) throw new ServiceError(ErrorCode.unauthorized, 'Unknown session.');
      if (state.device_revoked_at !== null)
        throw new ServiceError(ErrorCode.deviceRevoked, 'This device has been revoked.');
      // Disabling ends the sessions too; the answer names the reason the user can act on.
      if (state.user_disabled_at !== null)
        throw new ServiceError(ErrorCode.accountDisabled, 'This account is disabled.');
      if (state.session_revoked_at !== null)
        throw new ServiceError(ErrorCode.sessionRevoked, 'The session has ended.');
      // The role and branch are the user's as they are now, not as they were when the token was signed.
      return {
        ...verified.claims,
        role: state.role,
        bid: state.branch_id,
        mustChangePassword: state.must_change_password,
        scopeSince: Number(state.scope_version),
      };
    },

    /**
     * A user changes their own password: a temporary one (new account, reset) first of all. Their other
     * sessions end; this one goes on.
     */
    async changePassword(caller: AuthContext, request: ChangePasswordRequest): Promise<void> {
      const row = await store.findUserPassword(db, caller.sub);
      if (row === undefined) throw new ServiceError(ErrorCode.unauthorized, 'Unknown user.');
      // Guesses at the current password count like failed sign-ins: a stolen access token buys no more.
      const at = new Date(now());
      await assertNotThrottled(row.username, at);
      if (!(await verifyPassword(request.currentPassword, row.password_hash))) {
        await store.recordLoginAttempt(db, row.username, at, false);
        throw new ServiceError(ErrorCode.invalidCredentials, 'The current password is wrong.');
      }
      if (request.newPassword === request.currentPassword)
        throw new ServiceError(
          ErrorCode.invalidRequest,
          'The new password must differ from the current one.',
          undefined,
          {
            fields: [{ path: 'newPassword', message: 'same as the current password' }],
          },
        );
      await db.transaction(async (tx) => {
        await store.setOwnPassword(tx, caller.sub, await hashPassword(request.newPassword), at);
        await store.revokeOtherSessions(tx, caller.sub, caller.sid, at);
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
