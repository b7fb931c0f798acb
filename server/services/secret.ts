// The key that signs access tokens: WASEL_SECRET, or one generated once and kept in the database so that
// every API instance and every restart agrees on it.
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db';
import { keepTokenSecret, tokenSecret } from '../store/settings-store';

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
  await keepTokenSecret(db, randomBytes(48).toString('base64url'));
  const secret = await tokenSecret(db);
  if (secret === undefined) throw new Error('token secret missing after insert');
  return { secret, source: 'database' };
}
