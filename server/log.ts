// Structured JSON logs (pino). Never log request bodies: they carry beneficiaries' personal data.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'wasel' }, timestamp: pino.stdTimeFunctions.isoTime });
}
