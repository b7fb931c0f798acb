// Structured JSON logs (pino). Never log request bodies: they carry beneficiaries' personal data.
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * What a logged error keeps: what it is and where, never the values it was about. PostgreSQL's `detail` names
 * the values of a violated key ("Key (…)=(1234567890) already exists"), and PGlite's errors carry the
 * statement's `params`: either may be a beneficiary's national ID or name. Both are left out, with `query`,
 * `where` and `hint`; PostgreSQL's code, constraint, table and column say enough to find the fault. A data
 * exception (class 22) quotes the value in its message ('invalid input syntax for type integer: "…"'): in an
 * error that is one or is caused by one, quoted text is left out of the message and stack.
 */
const KEPT = ['type', 'message', 'stack', 'code', 'severity', 'constraint', 'table', 'column', 'routine'];

function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const full: Record<string, unknown> = stdSerializers.err(value);
  const kept: Record<string, unknown> = {};
  for (const key of KEPT) if (full[key] !== undefined) kept[key] = full[key];
  if (quotesData(value))
    for (const key of ['message', 'stack'])
      if (typeof kept[key] === 'string') kept[key] = kept[key].replace(/"[^"]*"/g, '"…"');
  if (value.cause !== undefined) kept.cause = serializeError(value.cause);
  return kept;
}

/** Is this error, or one that caused it, a data exception (SQLSTATE class 22)? */
function quotesData(value: unknown): boolean {
  if (!(value instanceof Error)) return false;
  if ('code' in value && typeof value.code === 'string' && value.code.startsWith('22')) return true;
  return quotesData(value.cause);
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'wasel' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
