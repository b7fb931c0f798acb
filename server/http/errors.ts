// The one place where error codes become HTTP statuses and JSON bodies.
import type { Context, Env, Input } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as z from 'zod/mini';
import { ErrorCode, type ApiErrorBody } from '../../src/protocol/errors';
import type { ServiceError } from '../services/errors';

/** The HTTP status of each error code (also in the API's description, server/openapi.ts). */
export const errorStatus: Readonly<Record<ErrorCode, ContentfulStatusCode>> = {
  invalid_request: 400,
  invalid_credentials: 401,
  too_many_attempts: 429,
  unauthorized: 401,
  token_expired: 401,
  invalid_refresh_token: 401,
  refresh_token_reused: 401,
  session_revoked: 401,
  device_revoked: 401,
  account_disabled: 403,
  password_change_required: 403,
  already_exists: 409,
  version_conflict: 409,
  open_work_stranded: 409,
  branch_not_empty: 409,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  seq_gap: 409,
  upload_conflict: 409,
  resync_required: 410,
  internal_error: 500,
};

export function errorResponse<E extends Env, P extends string, I extends Input>(
  c: Context<E, P, I>,
  code: ErrorCode,
  message: string,
  details?: unknown,
) {
  const body: ApiErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return c.json(body, errorStatus[code]);
}

/** The response for a ServiceError: its status, stable code, Retry-After and details. */
export function serviceErrorResponse<E extends Env, P extends string, I extends Input>(
  c: Context<E, P, I>,
  error: ServiceError,
) {
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
  return errorResponse(c, error.code, error.message, error.details);
}

/** Reads and validates a JSON body; on failure the caller returns the 400 it is given. */
export async function parseJson<S extends z.ZodMiniType>(
  c: Context,
  schema: S,
): Promise<{ ok: true; data: z.infer<S> } | { ok: false; response: Response }> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return { ok: false, response: errorResponse(c, ErrorCode.invalidRequest, 'The body must be JSON.') };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return {
      ok: false,
      response: errorResponse(c, ErrorCode.invalidRequest, 'The request is not valid.', { fields }),
    };
  }
  return { ok: true, data: parsed.data };
}
