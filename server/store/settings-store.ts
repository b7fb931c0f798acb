// The server's own settings (server_settings): values every API instance shares, such as the key that signs
// access tokens when WASEL_SECRET is not set. SQL only.
import { firstRow, type Queryable } from './db';

/** Keeps `candidate` as the token secret unless one is kept already (the first instance to start wins). */
export async function keepTokenSecret(db: Queryable, candidate: string): Promise<void> {
  await db.query(
    "INSERT INTO server_settings (name, value) VALUES ('token_secret', $1) ON CONFLICT (name) DO NOTHING",
    [candidate],
  );
}

/** The token secret kept. */
export async function tokenSecret(db: Queryable): Promise<string | undefined> {
  return (
    await firstRow<{ value: string }>(db, "SELECT value FROM server_settings WHERE name = 'token_secret'")
  )?.value;
}
