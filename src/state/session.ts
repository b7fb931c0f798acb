// The signed-in session: login, restore on start (also offline), token refresh shared by all tabs, logout.
import { createStore } from 'zustand/vanilla';
import type { MeResponse } from '../protocol/auth';
import { ErrorCode } from '../protocol/errors';
import type { MetaRepository } from '../db/meta-repository';
import { ApiError, NetworkError, type ApiClient } from '../sync/api-client';
import { createTokenSource } from '../sync/tokens';
import type { LockRunner } from '../sync/locks';

export type SessionStatus = 'loading' | 'signedOut' | 'signedIn';

/** Why the last login failed, for the login screen to explain. */
export type LoginFailure =
  | { kind: 'invalidCredentials' }
  | { kind: 'tooManyAttempts'; retryAfterSeconds: number }
  | { kind: 'deviceRevoked' }
  | { kind: 'offline' }
  | { kind: 'other'; message: string };

export interface SessionState {
  status: SessionStatus;
  profile: MeResponse | null;
  loginFailure: LoginFailure | null;
  busy: boolean;
}

export interface SessionDeps {
  meta: MetaRepository;
  api: ApiClient;
  locks: LockRunner;
  now: () => number;
  deviceName: string;
  /** Asks the browser to keep IndexedDB under storage pressure; called after a login. */
  persistStorage: () => Promise<unknown>;
}

/** Codes that mean the stored session can never work again: sign out locally. */
const fatalCodes: ReadonlySet<string> = new Set([
  ErrorCode.invalidRefreshToken,
  ErrorCode.refreshTokenReused,
  ErrorCode.sessionRevoked,
  ErrorCode.deviceRevoked,
  ErrorCode.userDisabled,
]);

function loginFailureOf(error: unknown): LoginFailure {
  if (error instanceof NetworkError) return { kind: 'offline' };
  if (error instanceof ApiError) {
    if (error.code === ErrorCode.invalidCredentials) return { kind: 'invalidCredentials' };
    if (error.code === ErrorCode.deviceRevoked) return { kind: 'deviceRevoked' };
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
  const { meta, api, locks, now } = deps;

  const store = createStore<SessionState>(() => ({
    status: 'loading',
    profile: null,
    loginFailure: null,
    busy: false,
  }));

  async function signOutLocally() {
    await meta.clearSession();
    store.setState({ status: 'signedOut', profile: null });
  }

  /** A valid access token, refreshed if needed (under a lock shared with other tabs and the worker). */
  const accessToken = createTokenSource({ meta, api, lock: locks, now });

  /** Brings the profile up to date from the server; signs out if the session is over. Offline: no-op. */
  async function revalidate() {
    if (store.getState().status !== 'signedIn') return;
    try {
      const profile = await api.me(await accessToken());
      const stored = await meta.session();
      if (stored !== undefined) await meta.saveSession({ ...stored, ...profile });
      store.setState({ profile });
    } catch (error) {
      if (error instanceof ApiError && fatalCodes.has(error.code)) await signOutLocally();
      // Network errors and server hiccups keep the offline session: the field works without a network.
    }
  }

  return {
    store,
    accessToken,
    revalidate,

    /** Shows the stored session at once (offline too), then revalidates it in the background. */
    async restore() {
      const stored = await meta.session();
      if (stored === undefined) {
        store.setState({ status: 'signedOut' });
        return;
      }
      store.setState({ status: 'signedIn', profile: profileOf(stored) });
      void revalidate();
    },

    async login(username: string, password: string) {
      store.setState({ busy: true, loginFailure: null });
      try {
        const response = await api.login({
          username,
          password,
          deviceId: await meta.deviceId(),
          deviceName: deps.deviceName,
        });
        await meta.saveSession({
          user: response.user,
          association: response.association,
          branch: response.branch,
          accessToken: response.accessToken,
          refreshToken: response.refreshToken,
          accessExpiresAt: now() + response.expiresIn * 1000,
        });
        store.setState({ status: 'signedIn', profile: profileOf(response), busy: false });
        void deps.persistStorage().catch(() => undefined);
      } catch (error) {
        store.setState({ busy: false, loginFailure: loginFailureOf(error) });
      }
    },

    /** Ends the session on the server when it can be reached, and always on this device. */
    async logout() {
      const stored = await meta.session();
      if (stored !== undefined) {
        await api.logout({ refreshToken: stored.refreshToken }).catch(() => undefined);
      }
      await signOutLocally();
    },
  };
}

export type SessionController = ReturnType<typeof createSessionStore>;
