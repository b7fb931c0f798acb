// Stable error codes of the API and the shape of every error body: {"error": {"code", "message"}}.
import * as z from 'zod/mini';

/** Every error code the API answers with. Clients branch on these, never on messages. */
export const ErrorCode = {
  invalidRequest: 'invalid_request',
  invalidCredentials: 'invalid_credentials',
  tooManyAttempts: 'too_many_attempts',
  unauthorized: 'unauthorized',
  tokenExpired: 'token_expired',
  invalidRefreshToken: 'invalid_refresh_token',
  refreshTokenReused: 'refresh_token_reused',
  sessionRevoked: 'session_revoked',
  deviceRevoked: 'device_revoked',
  userDisabled: 'user_disabled',
  forbidden: 'forbidden',
  notFound: 'not_found',
  payloadTooLarge: 'payload_too_large',
  seqGap: 'seq_gap',
  /** A tus PATCH from an offset other than the server's, or on an upload another request holds. */
  uploadConflict: 'upload_conflict',
  resyncRequired: 'resync_required',
  internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.unknown()),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
