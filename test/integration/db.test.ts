// The database interface (server/store/db.ts) as the services see it, on PGlite and on PostgreSQL alike:
// statements prepared once by name, values and rows of every type the stores use, and PostgreSQL's errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import type { Queryable } from '../../server/store/db';
import { createTestDb, type TestDb } from './helpers';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await t.db.exec('CREATE TABLE db_test_items (id integer PRIMARY KEY, note text NOT NULL)');
});
afterAll(async () => {
  await t.drop();
});

/** How many times a statement with this text is prepared in the session that runs the query. */
const PREPARED = 'SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1';

describe('statements', () => {
  it('are parsed once by name and then only run, in and out of a transaction', async () => {
    const sql = 'SELECT $1::int + 1 AS n -- prepared once';
    // In one transaction: one connection on PostgreSQL, whose statements are its own.
    const counts = await t.db.transaction(async (tx) => {
      const answers = [await tx.query<{ n: number }>(sql, [1]), await tx.query<{ n: number }>(sql, [41])];
      const [prepared] = await tx.query<{ n: number }>(PREPARED, [sql]);
      return { answers, prepared: prepared?.n };
    });
    expect(counts.answers).toEqual([[{ n: 2 }], [{ n: 42 }]]);
    expect(counts.prepared).toBe(1);
    if (t.db.kind === 'pglite') {
      // One session: a statement first run in a transaction is the same one outside it.
      expect(await t.db.query(sql, [9])).toEqual([{ n: 10 }]);
      expect(await t.db.query(PREPARED, [sql])).toEqual([{ n: 1 }]);
    }
  });

  it('carry values and rows of every type the stores use, nulls included', async () => {
    const at = new Date('2026-12-07T08:30:00.123Z');
    const [row] = await t.db.query<{ bytes: Uint8Array }>(
      `SELECT $1::jsonb AS doc, $2::bytea AS bytes, $3::text[] AS list, $4::bigint AS big,
              $5::timestamptz AS at, $6::boolean AS yes, $7::text AS nothing, $8::uuid AS id, $9::int AS small`,
      [
        { name: 'أسرة', members: [1, 2], nested: { ok: true } },
        Buffer.from([0, 1, 255]),
        ['a', 'ب'],
        '1234567890123',
        at,
        false,
        null,
        '00000000-0000-4000-8000-000000000001',
        7,
      ],
    );
    // Bytes come back as a Buffer from node-postgres and a Uint8Array from PGlite: compared byte by byte.
    expect(row?.bytes).toBeInstanceOf(Uint8Array);
    expect({ ...row, bytes: [...(row?.bytes ?? [])] }).toEqual({
      doc: { name: 'أسرة', members: [1, 2], nested: { ok: true } },
      bytes: [0, 1, 255],
      list: ['a', 'ب'],
      big: t.db.kind === 'pglite' ? 1234567890123 : '1234567890123',
      at,
      yes: false,
      nothing: null,
      id: '00000000-0000-4000-8000-000000000001',
      small: 7,
    });
  });

  it("fail with PostgreSQL's code and constraint, and roll their transaction back", async () => {
    await t.db.query('INSERT INTO db_test_items (id, note) VALUES ($1, $2)', [1, 'first']);
    const failed = t.db.transaction(async (tx) => {
      await tx.query('INSERT INTO db_test_items (id, note) VALUES ($1, $2)', [2, 'second']);
      await tx.query('INSERT INTO db_test_items (id, note) VALUES ($1, $2)', [1, 'again']);
    });
    await expect(failed).rejects.toMatchObject({ code: '23505', constraint: 'db_test_items_pkey' });
    expect(await t.db.query('SELECT id, note FROM db_test_items ORDER BY id')).toEqual([
      { id: 1, note: 'first' },
    ]);
  });

  it('fail into a log line that says what and where, never the values', async () => {
    // A national ID in a unique key: PostgreSQL names it in `detail`, PGlite's error carries the parameters.
    await t.db.exec('CREATE TABLE db_test_people (national_id text PRIMARY KEY)');
    const sql = 'INSERT INTO db_test_people (national_id) VALUES ($1)';
    await t.db.query(sql, ['1029384756']);
    const error = await t.db.query(sql, ['1029384756']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: '23505' });
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).toContain('1029384756');
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(line) });
    // A value that does not fit its type: PostgreSQL quotes it in the message.
    const unfit = await t.db.query('SELECT $1::int AS n -- unfit', ['1029384756x']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(unfit).toMatchObject({ code: '22P02', message: expect.stringContaining('1029384756') });
    log.error({ err: error }, 'unhandled error');
    log.error({ err: new Error('the push failed', { cause: error }) }, 'unhandled error');
    log.error({ err: unfit }, 'unhandled error');
    log.error({ err: new Error('the push failed', { cause: unfit }) }, 'unhandled error');
    expect(lines).toHaveLength(4);
    const [alone, wrapped, data] = lines.map((line) => JSON.parse(line) as { err: Record<string, unknown> });
    const said = { code: '23505', constraint: 'db_test_people_pkey', table: 'db_test_people' };
    expect(alone?.err).toMatchObject(said);
    expect(wrapped?.err).toMatchObject({ message: expect.stringContaining('the push failed'), cause: said });
    expect(data?.err).toMatchObject({ code: '22P02', message: expect.stringContaining('integer') });
    for (const line of lines) expect(line).not.toContain('1029384756');
  });

  it('whose values do not fit fail, and leave the same statement working with values that do', async () => {
    const sql = 'SELECT $1::int AS n -- bound';
    await expect(t.db.query(sql, ['not a number'])).rejects.toMatchObject({ code: '22P02' });
    expect(await t.db.query(sql, [3])).toEqual([{ n: 3 }]);
  });

  it('refuse to run in a transaction that has ended', async () => {
    let kept: Queryable | undefined;
    await t.db.transaction(async (tx) => {
      kept = tx;
      await tx.query('SELECT 1 AS n');
    });
    await expect(
      kept?.query('INSERT INTO db_test_items (id, note) VALUES ($1, $2)', [9, 'late']),
    ).rejects.toThrow();
    expect(await t.db.query('SELECT count(*)::int AS n FROM db_test_items WHERE id = 9')).toEqual([{ n: 0 }]);
  });

  it('that do not parse fail each time, and leave the next statements working', async () => {
    for (let i = 0; i < 2; i++)
      await expect(t.db.query('SELEC $1::int AS n', [1])).rejects.toMatchObject({ code: '42601' });
    expect(await t.db.query('SELECT $1::int AS n', [5])).toEqual([{ n: 5 }]);
    const inTransaction = t.db.transaction(async (tx) => {
      await tx.query('SELEC 1');
    });
    await expect(inTransaction).rejects.toMatchObject({ code: '42601' });
    expect(await t.db.query('SELECT $1::int AS n', [6])).toEqual([{ n: 6 }]);
  });
});
