// One database interface over PGlite (embedded, the default) and PostgreSQL (DATABASE_URL).
// Services see only `Db`/`Queryable`, so the same SQL runs on both.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { parse as pgliteParse, PGlite, protocol } from '@electric-sql/pglite';
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

/** At most this many statements are kept prepared on each connection; any further one runs unnamed. */
const MAX_PREPARED = 1000;

/**
 * PGlite's query() parses every statement each time it runs, and sends each step into the WebAssembly as a
 * message of its own. Here each statement is parsed once under a name, as node-postgres does for PostgreSQL
 * (preparedStatements, below), and later runs only bind and execute it, sent as one message (how PostgreSQL
 * plans them: openPglite). Past MAX_PREPARED distinct texts a statement goes through
 * query() as before (`named` is false). The steps are those of PGlite's own query(): parameters serialized by
 * the types PostgreSQL inferred (a value of a type PGlite has no serializer for goes as its text, JSON for an
 * object), rows parsed by PGlite's parsers. `run` is called holding PGlite's transaction lock (a
 * transaction's, or taken as query() takes it); `alone` (outside any transaction) also writes the files out
 * afterwards, as query() does.
 */
function namedStatements(pglite: PGlite) {
  const { serialize } = protocol;
  const statements = new Map<string, { name: string; types: number[] }>();
  const send = (...messages: Uint8Array[]) =>
    pglite.execProtocolStream(Buffer.concat(messages), { syncToFs: false });
  const text = (value: unknown, type: number | undefined) => {
    if (value === null || value === undefined) return null;
    const serializer = pglite.serializers[type ?? 0];
    if (serializer !== undefined) return serializer(value);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
      return value.toString();
    return JSON.stringify(value);
  };
  return {
    named: (sql: string) => statements.has(sql) || statements.size < MAX_PREPARED,
    run: (sql: string, params: readonly unknown[], alone: boolean): Promise<object[]> =>
      pglite._runExclusiveQuery(async () => {
        let statement = statements.get(sql);
        if (statement === undefined) {
          const name = `w${createHash('sha1').update(sql).digest('base64url')}`;
          const described = await send(
            serialize.parse({ name, text: sql, types: [] }),
            serialize.describe({ type: 'S', name }),
            serialize.sync(),
          );
          statement = { name, types: pgliteParse.parseDescribeStatementResults(described) };
          statements.set(sql, statement);
        }
        const { name, types } = statement;
        const answered = await send(
          serialize.bind({ statement: name, values: params.map((value, i) => text(value, types[i])) }),
          serialize.describe({ type: 'P' }),
          serialize.execute({}),
          serialize.sync(),
        );
        if (alone) await pglite.syncToFs();
        return pgliteParse.parseResults(answered, pglite.parsers)[0]?.rows ?? [];
      }),
  };
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
  // Statements are parsed once (namedStatements), and after five runs PostgreSQL may keep a generic plan for a
  // named statement (when it is not estimated to cost more than the runs' own plans), as on a PostgreSQL
  // server. Planning every run for its values (force_custom_plan) cost CPU: at 1,000 mutations/s the server took
  // 92–101% of a core, and 72–77% with generic plans (and migration 019) in the next three full runs. A
  // statement whose generic plan grows with the association is mended in its SQL, as peopleWithNationalIds
  // (import-store.ts) was; test/integration/sync-statements.test.ts measures the push's read, the pull and
  // the import's lookup under generic plans.
  const statements = namedStatements(pglite);
  return {
    kind: 'pglite',
    async query<T extends object>(sql: string, params: readonly unknown[] = []) {
      if (!statements.named(sql)) return (await pglite.query<T>(sql, [...params])).rows;
      await pglite._checkReady();
      // The rows as PGlite parsed them, typed by the caller as PGlite's query<T>() does.
      return (await pglite._runExclusiveTransaction(() => statements.run(sql, params, true))) as T[];
    },
    async exec(sql) {
      await pglite.exec(sql);
    },
    transaction(fn) {
      return pglite.transaction((tx) =>
        fn({
          async query<T extends object>(sql: string, params: readonly unknown[] = []) {
            if (!statements.named(sql)) return (await tx.query<T>(sql, [...params])).rows;
            // As PGlite's own tx.query: a statement sent after its transaction ended must not run outside it.
            if (tx.closed) throw new Error('Transaction is closed');
            return (await statements.run(sql, params, false)) as T[];
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
      // A statement sent after the transaction ended must not run on the connection, back in the pool.
      let open = true;
      const inTransaction = () => {
        if (!open) throw new Error('Transaction is closed');
        return client;
      };
      try {
        await client.query('BEGIN');
        const result = await fn({
          async query<R extends object>(sql: string, params: readonly unknown[] = []) {
            return (await inTransaction().query<R>(statement(sql, params))).rows;
          },
          async exec(sql) {
            await inTransaction().query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        open = false;
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
