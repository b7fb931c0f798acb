// Failures that services report to callers: a stable code from the protocol, never an HTTP detail.
import type { ErrorCode } from '../../src/protocol/errors';

/** Throws the policy's refusal, if there is one, as a service error. */
export function refuseIf(denial: { code: ErrorCode; message: string } | null): void {
  if (denial !== null) throw new ServiceError(denial.code, denial.message);
}

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For `too_many_attempts`: seconds until the next attempt is allowed. */
    readonly retryAfterSeconds?: number,
    /** Machine-readable specifics, sent as `error.details`. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}
