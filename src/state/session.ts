// The signed-in session and the lock. A user's data on the device is sealed under keys that only their
// password unwraps (db/vault.ts), so:
// - the first sign-in on a device is online; it creates the user's keys and their own database;
// - after that the same password unlocks offline, and the session (with its tokens) is read from there;
// - locking (idle, hidden too long, or by hand) drops the keys from memory; the data stays, sealed;
// - too many wrong passwords erase that user's data on this device, after a warning;
// - signing out ends the server session; the user's data stays, sealed, for their next sign-in;
// - a device the association revoked erases everything local at its next contact with the server;
// - after an administrator resets a forgotten password, the next online sign-in with the new one opens the
//   data through the device's recovery key, which the server gives only to a password it accepts.
import { createStore } from 'zustand/vanilla';
import type { WaselDb } from '../db/database';
import type { DeviceRepository, SessionRepository, StoredSession } from '../db/meta-repository';
import type { Cipher, VaultKeys } from '../db/vault';
import type { MeResponse } from '../protocol/auth';
import { ErrorCode } from '../protocol/error-codes';
import type { ApiClient } from '../sync/api-client';
import { ApiError, NetworkError } from '../sync/api-errors';
import type { LockRunner } from '../sync/locks';
import { createTokenSource } from '../sync/tokens';

export type SessionStatus = 'loading' | 'signedOut' | 'locked' | 'signedIn';

/** Wrong passwords in a row after which a user's data on this device is erased. */
export const MAX_FAILED_UNLOCKS = 5;

/** Why the last login or unlock failed, for the screen to explain. */
export type LoginFailure =
  | { kind: 'invalidCredentials'; attemptsLeft: number | null }
  | { kind: 'erased' }
  | { kind: 'tooManyAttempts'; retryAfterSeconds: number }
  | { kind: 'deviceRevoked' }
  | { kind: 'accountDisabled' }
  | { kind: 'offline' }
  /** The passkey did not open the data (cancelled, not this device's, or no session to resume). */
  | { kind: 'passkey' }
  | { kind: 'other'; message: string };

/** Whose data the lock screen offers to unlock. */
export interface LockedUser {
  userId: string;
  username: string;
  name: string;
  /** A passkey was set up on this device: it opens the data with a touch, the password still does. */
  passkey: boolean;
}

/** The unlocked user's database and keys: what every repository of the signed-in app is built on. */
export interface Unlocked {
  userId: string;
  db: WaselDb;
  cipher: Cipher;
  sessions: SessionRepository;
  /** A valid access token, refreshed if needed under a lock shared with other tabs and the worker. */
  accessToken: () => Promise<string>;
  /** The association's profile the server sent with this sign-in, if it was one; the workspace keeps it. */
  signInProfile?: unknown;
}

export interface SessionState {
  status: SessionStatus;
  profile: MeResponse | null;
  loginFailure: LoginFailure | null;
  busy: boolean;
  lockedUser: LockedUser | null;
  unlocked: Unlocked | null;
  /** Said once on the login screen: this device's data was erased because it was revoked. */
  wiped: boolean;
  /** The password is temporary (a new account, a reset): nothing else until it is changed. */
  mustChangePassword: boolean;
}

export interface SessionDeps {
  device: DeviceRepository;
  api: ApiClient;
  locks: LockRunner;
  now: () => number;
  deviceName: string;
  /** Opens (creating if needed) one user's database on this device; its code loads with the first. */
  openDb: (userId: string) => Promise<WaselDb>;
  /** Deletes one user's database on this device. */
  eraseUser: (userId: string) => Promise<void>;
  /** Deletes everything this app keeps on the device: every database, every cache. */
  wipeDevice: () => Promise<void>;
  /** Tells the service worker to drop the keys it was lent. */
  onLock: () => Promise<void>;
  /** Asks the browser to keep IndexedDB under storage pressure; called after a login. */
  persistStorage: () => Promise<unknown>;
  /** PBKDF2 work factor for new keys (tests lower it; the app uses vault.ts's default). */
  kdfIterations?: number;
}

/** Codes that mean the stored session can never work again: sign out on this device. */
const fatalCodes: ReadonlySet<string> = new Set([
  ErrorCode.invalidRefreshToken,
  ErrorCode.refreshTokenReused,
  ErrorCode.sessionRevoked,
  ErrorCode.accountDisabled,
]);

/** An invalid request whose fields at fault are only what the person typed (username, password). */
function refusesTypedFields(error: ApiError): boolean {
  if (error.code !== ErrorCode.invalidRequest) return false;
  const details = error.details as { fields?: unknown } | undefined;
  const fields = Array.isArray(details?.fields) ? (details.fields as { path?: unknown }[]) : [];
  return fields.length > 0 && fields.every((f) => f.path === 'username' || f.path === 'password');
}

function loginFailureOf(error: unknown): LoginFailure {
  if (error instanceof NetworkError) return { kind: 'offline' };
  // By name: the passkey's code loads only when it is used.
  if (error instanceof Error && error.name === 'PasskeyError') return { kind: 'passkey' };
  if (error instanceof ApiError) {
    // A username or password the server cannot even read as one (too long, letters a username never has)
    // is, to the person typing it, a wrong username or password.
    if (error.code === ErrorCode.invalidCredentials || refusesTypedFields(error))
      return { kind: 'invalidCredentials', attemptsLeft: null };
    if (error.code === ErrorCode.deviceRevoked) return { kind: 'deviceRevoked' };
    if (error.code === ErrorCode.accountDisabled) return { kind: 'accountDisabled' };
    if (error.code === ErrorCode.tooManyAttempts) {
      return { kind: 'tooManyAttempts', retryAfterSeconds: error.retryAfterSeconds ?? 900 };
    }
    return { kind: 'other', message: error.message };
  }
  return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

function profileOf(s: MeResponse): MeResponse {
  return { user: s.user, association: s.association, branch: s.branch };
}

export function createSessionStore(deps: SessionDeps) {
  const { device, api, locks, now } = deps;

  const store = createStore<SessionState>(() => ({
    status: 'loading',
    profile: null,
    loginFailure: null,
    busy: false,
    lockedUser: null,
    unlocked: null,
    wiped: false,
    mustChangePassword: false,
  }));

  /** A valid access token of the unlocked user; none while locked. */
  const accessToken = (): Promise<string> =>
    store.getState().unlocked?.accessToken() ??
    Promise.reject(new ApiError(401, ErrorCode.unauthorized, 'Locked.'));

  // The crypto code loads with the first sign-in or unlock, not with the first screen; so do the sealed
  // session's repository (with its validators) and what changes a user's keys (a new password, a reset).
  const vault = () => import('../db/vault');
  const repositories = () => import('../db/meta-repository');
  const keyChanges = () => import('./session-keys');

  async function open(userId: string, keys: VaultKeys): Promise<Unlocked> {
    const [{ createCipher }, { createSessionRepository }] = await Promise.all([vault(), repositories()]);
    const db = await deps.openDb(userId);
    const cipher = createCipher(keys);
    const sessions = createSessionRepository(db, cipher, device);
    const accessToken = createTokenSource({ meta: sessions, api, lock: locks, now });
    return { userId, db, cipher, sessions, accessToken };
  }

  function close() {
    const { unlocked } = store.getState();
    unlocked?.db.close();
    // A service worker that is gone holds no keys: there is nothing left to tell it.
    return deps.onLock().catch(() => undefined);
  }

  /**
   * Ends the session while the user may be in the middle of a screen (the server ended it): the screens
   * detach first, then the database closes, so that nothing still reading it fails.
   */
  async function detachThenClose(unlocked: Unlocked) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    unlocked.db.close();
    // As in close(): a worker that is gone holds no keys.
    await deps.onLock().catch(() => undefined);
  }

  /** Everything local is gone: the device was revoked. */
  async function wipe() {
    await close();
    await deps.wipeDevice();
    store.setState({ status: 'signedOut', profile: null, unlocked: null, lockedUser: null, wiped: true });
  }

  /**
   * The session can never work again: its tokens go; the user's data stays, sealed. `code`: the server's
   * reason, said on the sign-in screen when it is one the user must know (the account was disabled).
   */
  async function endSession(code?: string) {
    const { unlocked } = store.getState();
    await unlocked?.sessions.clearSession();
    await device.setLastUser(null);
    store.setState({
      status: 'signedOut',
      profile: null,
      unlocked: null,
      lockedUser: null,
      loginFailure: code === ErrorCode.accountDisabled ? { kind: 'accountDisabled' } : null,
    });
    if (unlocked !== null) await detachThenClose(unlocked);
  }

  /** Brings the profile up to date from the server; ends the session if it is over. Offline: no-op. */
  async function revalidate() {
    const { status, unlocked } = store.getState();
    if (status !== 'signedIn' || unlocked === null) return;
    try {
      const profile = await api.me(await accessToken());
      const stored = await unlocked.sessions.session();
      if (stored !== undefined) await unlocked.sessions.saveSession({ ...stored, ...profile });
      store.setState({ profile });
    } catch (error) {
      if (error instanceof ApiError && error.code === ErrorCode.deviceRevoked) await wipe();
      else if (error instanceof ApiError && fatalCodes.has(error.code)) await endSession(error.code);
      // Network errors and server hiccups keep the offline session: the field works without a network.
    }
  }

  /** Signs in on the server; returns the new session and the association's profile it came with. */
  async function serverLogin(
    username: string,
    password: string,
  ): Promise<{ session: StoredSession; policy: unknown; deviceKey: string | undefined }> {
    const response = await api.login({
      username,
      password,
      deviceId: await device.deviceId(),
      deviceName: deps.deviceName,
    });
    return {
      session: {
        user: response.user,
        association: response.association,
        branch: response.branch,
        accessToken: response.accessToken,
        refreshToken: response.refreshToken,
        accessExpiresAt: now() + response.expiresIn * 1000,
        ...(response.mustChangePassword === true ? { mustChangePassword: true } : {}),
      },
      policy: response.profile,
      deviceKey: response.deviceKey,
    };
  }

  async function signedIn(unlocked: Unlocked, session: StoredSession) {
    await device.recordUnlock(unlocked.userId, new Date(now()).toISOString());
    await device.setLastUser(unlocked.userId);
    store.setState({
      status: 'signedIn',
      profile: profileOf(session),
      unlocked,
      lockedUser: null,
      busy: false,
      loginFailure: null,
      wiped: false,
      mustChangePassword: session.mustChangePassword === true,
    });
  }

  /** A user who has data on this device: the password must open it (offline); never the server alone. */
  async function unlockKnown(userId: string, username: string, password: string) {
    const known = await device.vault(userId);
    if (known === undefined) return;
    const keys = await (await vault()).openVault(password, known.keys);
    if (keys === null) {
      const recovered = await (
        await keyChanges()
      ).recoverWithServer(
        { device, serverLogin, kdfIterations: deps.kdfIterations },
        known,
        username,
        password,
      );
      if (recovered !== null) {
        const unlocked = await open(userId, recovered.keys);
        unlocked.signInProfile = recovered.signIn.policy;
        await unlocked.sessions.saveSession(recovered.signIn.session);
        await signedIn(unlocked, recovered.signIn.session);
        return;
      }
      const failed = await device.recordFailedUnlock(userId);
      if (failed >= MAX_FAILED_UNLOCKS) {
        await deps.eraseUser(userId);
        await device.removeVault(userId);
        await device.setLastUser(null);
        store.setState({
          status: 'signedOut',
          lockedUser: null,
          busy: false,
          loginFailure: { kind: 'erased' },
        });
        return;
      }
      store.setState({
        busy: false,
        loginFailure: { kind: 'invalidCredentials', attemptsLeft: MAX_FAILED_UNLOCKS - failed },
      });
      return;
    }
    const unlocked = await open(userId, keys);
    try {
      let session = await unlocked.sessions.session();
      if (session === undefined) {
        // After a sign-out the session is gone: the data opens, but a new session needs the server.
        const signIn = await serverLogin(username, password);
        session = signIn.session;
        unlocked.signInProfile = signIn.policy;
        await unlocked.sessions.saveSession(session);
        // A vault made before recovery existed gets it now, while the password is at hand.
        if (known.recovery === undefined && signIn.deviceKey !== undefined)
          await (await keyChanges()).addRecovery(device, known, password, signIn.deviceKey);
      }
      await signedIn(unlocked, session);
    } catch (error) {
      unlocked.db.close();
      throw error;
    }
  }

  /**
   * Runs a sign-in or an unlock: busy meanwhile, and any failure explained — a revoked device, told so
   * by the server here, is wiped whichever way the user came in.
   */
  async function attempt(run: () => Promise<void>) {
    store.setState({ busy: true, loginFailure: null });
    try {
      await run();
    } catch (error) {
      if (error instanceof ApiError && error.code === ErrorCode.deviceRevoked) await wipe();
      store.setState({ busy: false, loginFailure: loginFailureOf(error) });
    }
  }

  return {
    store,
    accessToken,
    revalidate,
    wipe,

    /** At start: the last user's lock screen (offline too), or the sign-in screen. */
    async restore() {
      const userId = await device.lastUser();
      const entry = userId === undefined ? undefined : await device.vault(userId);
      if (entry === undefined) {
        store.setState({ status: 'signedOut' });
        return;
      }
      store.setState({
        status: 'locked',
        lockedUser: {
          userId: entry.userId,
          username: entry.username,
          name: entry.name,
          passkey: entry.passkey !== undefined,
        },
      });
    },

    /** Signs in: offline with the password if this user has data here, else with the server. */
    login(username: string, password: string) {
      return attempt(async () => {
        const known = await device.vaultOf(username);
        if (known !== undefined) {
          await unlockKnown(known.userId, known.username, password);
          return;
        }
        const { session, policy, deviceKey } = await serverLogin(username, password);
        const v = await vault();
        const { keys, wrapped } = await v.createVault(password, deps.kdfIterations);
        const recovery = deviceKey === undefined ? null : await v.recoveryFor(password, wrapped, deviceKey);
        await device.saveVault({
          userId: session.user.id,
          username,
          name: session.user.name,
          keys: wrapped,
          ...(recovery === null ? {} : { recovery }),
          failedUnlocks: 0,
          lastUnlockAt: null,
        });
        const unlocked = await open(session.user.id, keys);
        unlocked.signInProfile = policy;
        await unlocked.sessions.saveSession(session);
        await signedIn(unlocked, session);
        // A browser that declines keeps working; the sync screen says whether storage is persistent.
        void deps.persistStorage().catch(() => undefined);
      });
    },

    /**
     * Changes the user's password on the server, then wraps this device's keys under the new one: the
     * data sealed here opens with it from now on. Throws the server's refusal (a wrong current password).
     */
    async changePassword(currentPassword: string, newPassword: string) {
      const { unlocked } = store.getState();
      if (unlocked === null) return;
      await (
        await keyChanges()
      ).changePassword(
        { api, device, unlocked, token: await accessToken(), kdfIterations: deps.kdfIterations },
        currentPassword,
        newPassword,
      );
      store.setState({ mustChangePassword: false });
    },

    /**
     * The server ended the session (the account disabled, the session revoked) while the app was open,
     * told by a sync: signed out; the user's data, unsent work included, stays sealed on the device.
     */
    async sessionEnded(code: string) {
      if (!fatalCodes.has(code) || store.getState().status !== 'signedIn') return;
      await endSession(code);
    },

    /** Unlocks the locked user with their password. */
    async unlock(password: string) {
      const user = store.getState().lockedUser;
      if (user === null) return;
      await attempt(() => unlockKnown(user.userId, user.username, password));
    },

    /**
     * Unlocks the locked user with the passkey set up on this device (no password typed). The session kept
     * on the device resumes; after a sign-out there is none, and the password is needed to sign in again.
     */
    async unlockWithPasskey() {
      const user = store.getState().lockedUser;
      if (user === null) return;
      await attempt(async () => {
        const entry = await device.vault(user.userId);
        if (entry === undefined) {
          store.setState({ busy: false, loginFailure: { kind: 'passkey' } });
          return;
        }
        const keys = await (await import('./passkey')).unlockWithPasskey(entry);
        const unlocked = await open(user.userId, keys);
        const session = await unlocked.sessions.session();
        if (session === undefined) {
          unlocked.db.close();
          store.setState({ busy: false, loginFailure: { kind: 'passkey' } });
          return;
        }
        await signedIn(unlocked, session);
      });
    },

    /**
     * Drops the keys from memory; the lock screen asks for the password (or the passkey) again. After the
     * kiosk (`passwordOnly`), only the password: the device's own screen lock may be known to others.
     */
    async lock(options: { passwordOnly?: boolean } = {}) {
      const { status, unlocked, profile } = store.getState();
      if (status !== 'signedIn' || unlocked === null) return;
      const entry =
        options.passwordOnly === true
          ? undefined
          : // Read before the keys go: unreadable, the lock screen offers the password alone.
            await device.vault(unlocked.userId).catch(() => undefined);
      await close();
      store.setState({
        status: 'locked',
        unlocked: null,
        profile: null,
        lockedUser: {
          userId: unlocked.userId,
          username: profile?.user.username ?? '',
          name: profile?.user.name ?? '',
          passkey: entry?.passkey !== undefined,
        },
      });
    },

    /** From the lock screen: someone else signs in on this device. */
    switchUser() {
      store.setState({ status: 'signedOut', lockedUser: null, loginFailure: null });
    },

    /** Ends the session on the server when it can be reached, and on this device; the data stays sealed. */
    async logout() {
      const stored = await store.getState().unlocked?.sessions.session();
      if (stored !== undefined) {
        // Offline or refused: the session ends on this device anyway, and its token expires on the server.
        await api.logout({ refreshToken: stored.refreshToken }).catch(() => undefined);
      }
      await endSession();
    },
  };
}

export type SessionController = ReturnType<typeof createSessionStore>;
