// Access tokens for API calls, shared by the page and the service worker. A refresh token is single-use
// and a second use ends the session, so refreshing runs under a lock shared by every tab and the worker,
// and re-reads the stored tokens inside it.
import type { SessionRepository } from '../db/meta-repository';
import { sessionGeneration } from '../db/session-changes';
import { ErrorCode } from '../protocol/error-codes';
import type { ApiClient } from './api-client';
import { ApiError } from './api-errors';

/** Refresh this long before the access token expires, to absorb clock skew and latency. */
const REFRESH_MARGIN_MS = 60_000;

export interface TokenDeps {
  meta: Pick<SessionRepository, 'session' | 'saveSession' | 'deviceId'>;
  api: Pick<ApiClient, 'refresh'>;
  lock: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
  now: () => number;
}

export function createTokenSource({ meta, api, lock, now }: TokenDeps) {
  // The token last read or refreshed here, used while it is good and no context of the origin has saved or
  // cleared a session since (db/session-changes.ts). An access token stays valid until it expires, whoever
  // refreshes meanwhile (the server checks its session on every request, so a revoked one is refused all the
  // same), and the stored session sits in the table a pulled page's write holds: read on every call, the next
  // page could not be asked for until the page before it was written.
  let held: { token: string; expiresAt: number; generation: number } | undefined;
  const good = (expiresAt: number) => expiresAt - REFRESH_MARGIN_MS > now();
  const usable = (h: typeof held): h is NonNullable<typeof held> =>
    h !== undefined && h.generation === sessionGeneration() && good(h.expiresAt);
  return function accessToken(): Promise<string> {
    if (usable(held)) return Promise.resolve(held.token);
    return lock('wasel-auth', async () => {
      // Another call may have read or refreshed it while this one waited for the lock.
      if (usable(held)) return held.token;
      const generation = sessionGeneration();
      const stored = await meta.session();
      if (stored === undefined) throw new ApiError(401, ErrorCode.unauthorized, 'Not signed in.');
      if (good(stored.accessExpiresAt)) {
        held = { token: stored.accessToken, expiresAt: stored.accessExpiresAt, generation };
        return stored.accessToken;
      }
      const tokens = await api.refresh({
        refreshToken: stored.refreshToken,
        deviceId: await meta.deviceId(),
      });
      const expiresAt = now() + tokens.expiresIn * 1000;
      await meta.saveSession({
        ...stored,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        accessExpiresAt: expiresAt,
      });
      held = { token: tokens.accessToken, expiresAt, generation: sessionGeneration() };
      return tokens.accessToken;
    });
  };
}
