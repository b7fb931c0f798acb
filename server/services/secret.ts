// The key that signs access tokens: WASEL_SECRET, or one generated once and kept in the database so that
// every API instance and every restart agrees on it.
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db';

export const MIN_SECRET_LENGTH = 32;

export async function resolveSecret(
  db: Db,
  fromEnv: string | undefined,
): Promise<{ secret: string; source: 'env' | 'database' }> {
  if (fromEnv !== undefined) {
    if (fromEnv.length < MIN_SECRET_LENGTH) {
      throw new Error(`WASEL_SECRET must have at least ${MIN_SECRET_LENGTH} characters.`);
    }
    return { secret: fromEnv, source: 'env' };
  }
  // Insert-if-absent then read, so two instances starting together end up with the same value.
  await db.query(
    "INSERT INTO server_settings (name, value) VALUES ('token_secret', $1) ON CONFLICT (name) DO NOTHING",
    [randomBytes(48).toString('base64url')],
  );
  const rows = await db.query<{ value: string }>(
    "SELECT value FROM server_settings WHERE name = 'token_secret'",
  );
  const secret = rows[0]?.value;
  if (secret === undefined) throw new Error('token secret missing after insert');
  return { secret, source: 'database' };
}
