// The rate limits' hit counters in the database (hono-rate-limiter's Store), shared by every instance on it:
// a client cannot get past a limit by landing on another instance. Fixed windows; one row per scope, key
// and window, counted up in one statement.
import type { Env, Input } from 'hono';
import type { Store } from 'hono-rate-limiter';
import type { Queryable } from './db';

export function databaseRateStore<E extends Env, P extends string, I extends Input>(
  db: Queryable,
  /** Which limit these counters belong to: each limit counts apart. */
  scope: string,
  now: () => number = Date.now,
): Store<E, P, I> {
  let windowMs = 60_000;
  let purgedBefore = 0;
  const windowOf = (at: number) => Math.floor(at / windowMs) * windowMs;
  return {
    localKeys: false,
    init(options) {
      windowMs = options.windowMs;
    },
    async increment(key) {
      const start = windowOf(now());
      // The windows before this one count no more: gone once per window, by whichever instance comes first.
      if (purgedBefore < start) {
        purgedBefore = start;
        await db.query('DELETE FROM rate_limit_hits WHERE scope = $1 AND window_start < $2', [scope, start]);
      }
      const [row] = await db.query<{ hits: number }>(
        `INSERT INTO rate_limit_hits (scope, key, window_start, hits) VALUES ($1, $2, $3, 1)
         ON CONFLICT (scope, key, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1
         RETURNING hits`,
        [scope, key, start],
      );
      return { totalHits: row?.hits ?? 1, resetTime: new Date(start + windowMs) };
    },
    async decrement(key) {
      await db.query(
        'UPDATE rate_limit_hits SET hits = hits - 1 WHERE scope = $1 AND key = $2 AND window_start = $3 AND hits > 0',
        [scope, key, windowOf(now())],
      );
    },
    async resetKey(key) {
      await db.query('DELETE FROM rate_limit_hits WHERE scope = $1 AND key = $2', [scope, key]);
    },
  };
}
