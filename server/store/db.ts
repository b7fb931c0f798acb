// One database interface over PGlite (embedded, the default) and PostgreSQL (DATABASE_URL).
// Services see only `Db`/`Queryable`, so the same SQL runs on both.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type DbKind = 'pglite' | 'postgres';

/** Something that runs a parameterised statement: the database or an open transaction. */
export interface Queryable {
  query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** The first row a statement returns; undefined when it returns none. */
export async function firstRow<T extends object>(
  db: Queryable,
  sql: string,
  params?: readonly unknown[],
): Promise<T | undefined> {
  return (await db.query<T>(sql, params))[0];
}

/**
 * A statement's parameters, numbered as they are added: a piece of SQL written by one store module can then
 * be one part of a statement put together by another (sync-store's commitPush).
 */
export class Params {
  readonly values: unknown[] = [];

  /** Adds a value; returns its placeholder (`$1`, `$2`, …). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${String(this.values.length)}`;
  }
}

/** Does the database answer? (the readiness probe: GET /api/v1/ready) */
export async function ping(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The embedded database, which can also copy itself whole (server/backup.ts). */
export interface PgliteDb extends Db {
  readonly kind: 'pglite';
  /**
   * A consistent copy of the data directory as a tar archive: made while no transaction is open and no
   * statement runs (the server keeps answering; its queries wait for the seconds the copy takes).
   */
  snapshot(): Promise<Blob>;
}

/**
 * Opens PGlite with its files under `dataDir`, or in memory when `dataDir` is undefined (tests). An in-memory
 * database may start from a copy made by `snapshot()`, which skips PGlite's initdb (about a second).
 */
export async function openPglite(dataDir: string | undefined, copy?: Blob): Promise<PgliteDb> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const pglite =
    dataDir === undefined
      ? await PGlite.create(copy === undefined ? {} : { loadDataDir: copy })
      : await PGlite.create(dataDir);
  return {
    kind: 'pglite',
    async query<T extends object>(sql: string, params: readonly unknown[] = []) {
      return (await pglite.query<T>(sql, [...params])).rows;
    },
    async exec(sql) {
      await pglite.exec(sql);
    },
    transaction(fn) {
      return pglite.transaction((tx) =>
        fn({
          async query<T extends object>(sql: string, params: readonly unknown[] = []) {
            return (await tx.query<T>(sql, [...params])).rows;
          },
          async exec(sql) {
            await tx.exec(sql);
          },
        }),
      );
    },
    async snapshot() {
      // A checkpoint first, so that the copy needs little or no replay of the log when it is opened. Then the
      // files are read holding PGlite's transaction lock (every query and transaction takes it): no
      // transaction is half done in the copy.
      await pglite.exec('CHECKPOINT');
      return pglite._runExclusiveTransaction(() => pglite.dumpDataDir('none'));
    },
    close: () => pglite.close(),
  };
}

export interface PostgresOptions {
  connectionString: string;
  /** Schema to work in; tests use a fresh one each so they never see each other's rows. */
  schema?: string;
  max?: number;
}

/** At most this many statements are kept prepared on each connection; any further one runs unnamed. */
const MAX_PREPARED = 1000;

/**
 * A statement as node-postgres runs it, named by its text: each connection prepares it once, and afterwards
 * PostgreSQL neither parses nor plans it again, which was a good part of the database's CPU under the bench's
 * 1,000-device load (docs/benchmarks.md). The statements are the code's own texts, so they are few; past
 * MAX_PREPARED distinct texts a statement runs unnamed.
 */
function preparedStatements() {
  const names = new Map<string, string>();
  return (text: string, params: readonly unknown[]): pg.QueryConfig => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `w${createHash('sha1').update(text).digest('base64url')}`;
      names.set(text, name);
    }
    return name === undefined ? { text, values: [...params] } : { name, text, values: [...params] };
  };
}

/** Opens a pool on a real PostgreSQL server. */
export function openPostgres(options: PostgresOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const statement = preparedStatements();
  return {
    kind: 'postgres',
    async query<T extends object>(sql: string, params: readonly unknown[] = []) {
      return (await pool.query<T>(statement(sql, params))).rows;
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          async query<R extends object>(sql: string, params: readonly unknown[] = []) {
            return (await client.query<R>(statement(sql, params))).rows;
          },
          async exec(sql) {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
