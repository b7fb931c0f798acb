// The API client's failures, apart from the client (api-client.ts) and its validators: the sign-in screen
// tells them apart before the client's code has loaded.

/** The server answered with an error (its stable code, protocol/error-codes.ts). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From Retry-After, when the server sent it. */
    readonly retryAfterSeconds?: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The server could not be reached. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}
