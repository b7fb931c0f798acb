// A mutation refused on its own (sync-service): its error is stored and answered, and the push goes on.
import type { FieldError } from '../../../src/protocol/validate';

export class Rejection extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}
