// Access tokens for API calls, shared by the page and the service worker. A refresh token is single-use
// and a second use ends the session, so refreshing runs under a lock shared by every tab and the worker,
// and re-reads the stored tokens inside it.
import type { SessionRepository } from '../db/meta-repository';
import { ErrorCode } from '../protocol/error-codes';
import type { ApiClient } from './api-client';
import { ApiError } from './api-errors';

/** Refresh this long before the access token expires, to absorb clock skew and latency. */
const REFRESH_MARGIN_MS = 60_000;

export interface TokenDeps {
  meta: Pick<SessionRepository, 'session' | 'saveSession' | 'deviceId'>;
  api: ApiClient;
  lock: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
  now: () => number;
}

export function createTokenSource({ meta, api, lock, now }: TokenDeps) {
  return function accessToken(): Promise<string> {
    return lock('wasel-auth', async () => {
      const stored = await meta.session();
      if (stored === undefined) throw new ApiError(401, ErrorCode.unauthorized, 'Not signed in.');
      if (stored.accessExpiresAt - REFRESH_MARGIN_MS > now()) return stored.accessToken;
      const tokens = await api.refresh({
        refreshToken: stored.refreshToken,
        deviceId: await meta.deviceId(),
      });
      await meta.saveSession({
        ...stored,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        accessExpiresAt: now() + tokens.expiresIn * 1000,
      });
      return tokens.accessToken;
    });
  };
}
