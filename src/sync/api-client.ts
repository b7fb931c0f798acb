// HTTP client of the association backend (protocol v1). Every answer is validated against the shared
// schemas; failures become ApiError (the server answered) or NetworkError (it could not be reached).
import type * as z from 'zod/mini';
import {
  loginResponseSchema,
  meResponseSchema,
  tokenPairSchema,
  type LoginRequest,
  type LogoutRequest,
  type RefreshRequest,
} from '../protocol/auth';
import { apiErrorBodySchema } from '../protocol/errors';
import { healthResponseSchema } from '../protocol/health';
import { destroyResponseSchema, type DestroyRequest } from '../protocol/rights';
import { duplicateCheckResponseSchema } from '../protocol/duplicates';
import type { DuplicateCheckRequest } from '../protocol/duplicates-request';
import { pullResponseSchema, pushResponseSchema, type PushRequest } from '../protocol/sync';
import { ApiError, NetworkError } from './api-errors';

export { ApiError, NetworkError };

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
}

export function createApiClient(options: ApiClientOptions = {}) {
  const base = `${options.baseUrl ?? ''}/api/v1`;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function send(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    path: string,
    init: { body?: unknown; token?: string; signal?: AbortSignal },
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    if (init.token !== undefined) headers.Authorization = `Bearer ${init.token}`;
    let response: Response;
    try {
      response = await doFetch(base + path, {
        method,
        headers,
        body: init.body === undefined ? null : JSON.stringify(init.body),
        cache: 'no-store',
        ...(init.signal === undefined ? {} : { signal: init.signal }),
      });
    } catch (error) {
      throw new NetworkError(error instanceof Error ? error.message : 'network error');
    }
    if (!response.ok) {
      const parsed = apiErrorBodySchema.safeParse(await response.json().catch(() => null));
      const retry = Number(response.headers.get('Retry-After'));
      throw new ApiError(
        response.status,
        parsed.success ? parsed.data.error.code : 'http_error',
        parsed.success ? parsed.data.error.message : `HTTP ${response.status}`,
        Number.isFinite(retry) && retry > 0 ? retry : undefined,
        parsed.success ? parsed.data.error.details : undefined,
      );
    }
    return response;
  }

  async function call<S extends z.ZodMiniType>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    path: string,
    schema: S,
    init: { body?: unknown; token?: string; signal?: AbortSignal } = {},
  ): Promise<z.infer<S>> {
    const response = await send(method, path, init);
    const parsed = schema.safeParse(await response.json().catch(() => null));
    if (!parsed.success)
      throw new ApiError(response.status, 'invalid_response', 'Unexpected answer from the server.');
    return parsed.data;
  }

  return {
    health: () => call('GET', '/health', healthResponseSchema),
    login: (request: LoginRequest) => call('POST', '/auth/login', loginResponseSchema, { body: request }),
    refresh: (request: RefreshRequest) => call('POST', '/auth/refresh', tokenPairSchema, { body: request }),
    logout: async (request: LogoutRequest): Promise<void> => {
      await send('POST', '/auth/logout', { body: request });
    },
    me: (token: string) => call('GET', '/me', meResponseSchema, { token }),
    push: (token: string, request: PushRequest) =>
      call('POST', '/sync/push', pushResponseSchema, { token, body: request }),
    pull: (token: string, cursor: string, limit: number) =>
      call('GET', `/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=${limit}`, pullResponseSchema, {
        token,
      }),
    /** Everything held about a beneficiary (L-RIGHTS), as a file to save: JSON or a printable page. */
    exportBeneficiary: async (token: string, id: string, format: 'json' | 'html'): Promise<Blob> =>
      (
        await send('GET', `/beneficiaries/${encodeURIComponent(id)}/export?format=${format}`, { token })
      ).blob(),
    /** The association's answer to a duplicate check at registration; `signal` bounds the wait. */
    checkDuplicates: (token: string, request: DuplicateCheckRequest, signal?: AbortSignal) =>
      call('POST', '/beneficiaries/duplicates', duplicateCheckResponseSchema, {
        token,
        body: request,
        ...(signal === undefined ? {} : { signal }),
      }),
    /** A read of a lazily loaded screen (the dashboard), validated by that screen's own schema. */
    read: <S extends z.ZodMiniType>(token: string, path: string, schema: S) =>
      call('GET', path, schema, { token }),
    /** An action of a lazily loaded screen (an administrator revoking a device); its answer is not read. */
    act: async (token: string, path: string, body: unknown): Promise<void> => {
      await send('POST', path, { token, body });
    },
    /** A change made in a lazily loaded screen (the administrator's console), its answer validated. */
    write: <S extends z.ZodMiniType>(
      token: string,
      method: 'POST' | 'PUT' | 'PATCH',
      path: string,
      body: unknown,
      schema: S,
    ) => call(method, path, schema, { token, body }),
    /** The user changes their own password (a temporary one first of all). */
    changePassword: async (token: string, request: { currentPassword: string; newPassword: string }) => {
      await send('POST', '/auth/password', { token, body: request });
    },
    destroyBeneficiary: (token: string, id: string, request: DestroyRequest) =>
      call('POST', `/beneficiaries/${encodeURIComponent(id)}/destroy`, destroyResponseSchema, {
        token,
        body: request,
      }),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
