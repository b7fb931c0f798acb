// The API's stable error codes, apart from the schemas (errors.ts): the sign-in screen branches on them
// without loading the validators.

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
  /** The account was disabled by an administrator: every session of it has ended. */
  accountDisabled: 'account_disabled',
  /** A temporary password (new account, reset) is changed before anything else. */
  passwordChangeRequired: 'password_change_required',
  /** The thing to create exists already (a username, a branch code). */
  alreadyExists: 'already_exists',
  /** A profile saved on a version that is no longer the current one. */
  versionConflict: 'version_conflict',
  /** A change that would strand open work (a service that open requests use); details list it. */
  openWorkStranded: 'open_work_stranded',
  /** A branch that still holds beneficiaries or open requests; details say how many. */
  branchNotEmpty: 'branch_not_empty',
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
