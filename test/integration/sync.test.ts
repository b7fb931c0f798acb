// The sync protocol on the server: push idempotency, gaps, rejections, field-level conflicts, pull scope.
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { apiErrorBodySchema } from '../../src/protocol/errors';
import { decodeCursor, pullResponseSchema, pushResponseSchema, type Mutation } from '../../src/protocol/sync';
import { renewSyncEpochs } from '../../server/store/versions';
import { bearer, jsonRequest, useKadiTestApp } from './helpers';

const env = useKadiTestApp();
const branch = env.branch;

const tokenOf = env.tokenOf;

/** A client: its id and its next seq, like the app's outbox. */
function client(username: string) {
  const clientId = randomUUID();
  let seq = 0;
  return {
    clientId,
    username,
    mutation(
      entity: Mutation['entity'],
      recordId: string,
      patch: Record<string, unknown>,
      baseVersion = 0,
      op: Mutation['op'] = 'upsert',
    ): Mutation {
      seq += 1;
      return {
        id: randomUUID(),
        seq,
        entity,
        op,
        recordId,
        baseVersion,
        patch,
        at: '2026-11-22T09:00:00+03:00',
      };
    },
    async push(mutations: Mutation[]) {
      return env.app.request(
        '/api/v1/sync/push',
        jsonRequest({ clientId, mutations }, await tokenOf(username)),
      );
    },
  };
}

async function pushOk(c: ReturnType<typeof client>, mutations: Mutation[]) {
  const response = await c.push(mutations);
  expect(response.status).toBe(200);
  return pushResponseSchema.parse(await response.json());
}

async function pullAll(username: string, cursor = '') {
  const changes = [];
  let next = cursor;
  for (;;) {
    const response = await env.app.request(
      `/api/v1/sync/pull?cursor=${next}&limit=3`,
      bearer(await tokenOf(username)),
    );
    expect(response.status).toBe(200);
    const page = pullResponseSchema.parse(await response.json());
    changes.push(...page.changes);
    next = page.cursor;
    if (!page.hasMore) return { changes, cursor: next };
  }
}

const person = (branchCode: string, n: number) => ({
  branchId: branch[branchCode],
  fullName: `مستفيد رقم ${n}`,
  nationalId: '1000000008',
  mobile: `+96650${String(1000000 + n).slice(-7)}`,
});

describe('push', () => {
  it('applies in order, and the same push sent again changes nothing (duplicate)', async () => {
    const c = client('kadi.rep1');
    const id = randomUUID();
    const batch = [
      c.mutation('beneficiary', id, person('b1', 1)),
      c.mutation('interaction', randomUUID(), {
        beneficiaryId: id,
        channel: 'phone',
        summary: 'اتصال للتعريف بالخدمات',
        occurredAt: '2026-11-22T09:00:00+03:00',
      }),
    ];
    const first = await pushOk(c, batch);
    expect(first.lastAppliedSeq).toBe(2);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied']);

    const before = await pullAll('kadi.supervisor');
    const again = await pushOk(c, batch);
    expect(again).toEqual({
      lastAppliedSeq: 2,
      results: [
        { seq: 1, status: 'duplicate' },
        { seq: 2, status: 'duplicate' },
      ],
    });
    const after = await pullAll('kadi.supervisor');
    expect(after.changes).toEqual(before.changes);
  });

  it('refuses a gap with 409 seq_gap and the expected seq, and applies nothing of that push', async () => {
    const c = client('kadi.rep1');
    await pushOk(c, [c.mutation('beneficiary', randomUUID(), person('b1', 2))]);
    c.mutation('beneficiary', randomUUID(), person('b1', 3)); // seq 2, never sent
    const skipped = c.mutation('beneficiary', randomUUID(), person('b1', 4)); // seq 3
    const response = await c.push([skipped]);
    expect(response.status).toBe(409);
    const body = apiErrorBodySchema.parse(await response.json());
    expect(body.error).toMatchObject({ code: 'seq_gap', details: { expectedSeq: 2 } });
  });

  it('a rejected mutation comes back with field errors and still advances lastAppliedSeq', async () => {
    const c = client('kadi.rep1');
    const bad = c.mutation('beneficiary', randomUUID(), { ...person('b1', 5), nationalId: '1000000000' });
    const good = c.mutation('beneficiary', randomUUID(), person('b1', 6));
    const response = await pushOk(c, [bad, good]);
    expect(response.lastAppliedSeq).toBe(2);
    expect(response.results[0]).toEqual({
      seq: 1,
      status: 'rejected',
      error: {
        code: 'validation_failed',
        message: 'The record is not valid.',
        fields: [{ path: 'nationalId', code: 'national_id_checksum' }],
      },
    });
    expect(response.results[1]).toMatchObject({ status: 'applied' });

    // The response was lost and the push is sent again: the rejection is repeated, never dropped silently.
    const retried = await pushOk(c, [bad, good]);
    expect(retried.results).toEqual([
      {
        seq: 1,
        status: 'duplicate',
        error: response.results[0]?.status === 'rejected' ? response.results[0].error : null,
      },
      { seq: 2, status: 'duplicate' },
    ]);
  });

  it('concurrent edits of different fields merge; of the same field conflict, and the server keeps its value', async () => {
    const a = client('kadi.rep1');
    const b = client('kadi.rep1b');
    const id = randomUUID();
    const created = await pushOk(a, [a.mutation('beneficiary', id, person('b1', 7))]);
    const base = created.results[0]?.status === 'applied' ? created.results[0].version : -1;

    const fromA = await pushOk(a, [a.mutation('beneficiary', id, { mobile: '+966551111111' }, base)]);
    expect(fromA.results[0]?.status).toBe('applied');

    // B edited offline from the same base: another field merges, the same field conflicts.
    const batchOfB = [
      b.mutation('beneficiary', id, { fullName: 'اسم مصحح' }, base),
      b.mutation('beneficiary', id, { mobile: '+966552222222' }, base),
      b.mutation('beneficiary', id, { mobile: '+966551111111' }, base),
    ];
    const fromB = await pushOk(b, batchOfB);
    expect(fromB.results.map((r) => r.status)).toEqual(['applied', 'conflict', 'applied']);
    expect(fromB.results[1]).toMatchObject({
      status: 'conflict',
      conflict: {
        fields: ['mobile'],
        server: { mobile: '+966551111111' },
        attempted: { mobile: '+966552222222' },
      },
    });
    const record = (await pullAll('kadi.rep1')).changes.find((ch) => ch.recordId === id);
    expect(record?.data).toMatchObject({ fullName: 'اسم مصحح', mobile: '+966551111111' });
    const stored = await env.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sync_conflicts WHERE record_id = $1',
      [id],
    );
    expect(stored[0]?.n).toBe(1);

    // Sent again after a lost response: the conflict is repeated with the server's current values.
    const again = await pushOk(b, batchOfB);
    expect(again.results[1]).toEqual({
      seq: 2,
      status: 'duplicate',
      conflict: {
        fields: ['mobile'],
        serverVersion: base + 2,
        server: expect.objectContaining({ mobile: '+966551111111', fullName: 'اسم مصحح' }),
        attempted: { mobile: '+966552222222' },
      },
    });
  });

  it('a deletion travels as a tombstone, each record once at its latest version', async () => {
    const c = client('kadi.rep1');
    const id = randomUUID();
    const start = await pullAll('kadi.rep1');
    await pushOk(c, [c.mutation('beneficiary', id, person('b1', 8))]);
    const v = (await pullAll('kadi.rep1', start.cursor)).changes[0]?.version ?? 0;
    await pushOk(c, [
      c.mutation('beneficiary', id, { fullName: 'تعديل' }, v),
      c.mutation('beneficiary', id, {}, v + 1, 'delete'),
    ]);
    const changes = (await pullAll('kadi.rep1', start.cursor)).changes.filter((ch) => ch.recordId === id);
    expect(changes).toEqual([
      { entity: 'beneficiary', recordId: id, version: v + 2, deleted: true, data: null },
    ]);
  });

  it('one push that creates a household, changes it, fails once and logs a contact stores each record once, at its last state', async () => {
    // The server applies a push's mutations in memory, in order, and writes each record once (issue 8).
    const c = client('kadi.rep1');
    const id = randomUUID();
    const contact = randomUUID();
    const start = await pullAll('kadi.rep1');
    const response = await pushOk(c, [
      c.mutation('beneficiary', id, person('b1', 11)),
      c.mutation('beneficiary', id, { nextVisitOn: '2026-12-01' }),
      // Refused (not a mobile): the record stays as the mutations before left it.
      c.mutation('beneficiary', id, { mobile: '12' }),
      c.mutation('interaction', contact, {
        beneficiaryId: id,
        channel: 'phone',
        summary: 'اتصال للمتابعة',
        occurredAt: '2026-11-22T09:00:00+03:00',
      }),
      c.mutation('beneficiary', id, { fullName: 'مستفيد معدل' }),
    ]);
    expect(response.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'rejected',
      'applied',
      'applied',
    ]);
    const versions = response.results.map((r) => (r.status === 'applied' ? r.version : null));
    const { changes } = await pullAll('kadi.rep1', start.cursor);
    expect(changes.filter((ch) => ch.recordId === id)).toEqual([
      {
        entity: 'beneficiary',
        recordId: id,
        version: versions[4],
        deleted: false,
        data: { ...person('b1', 11), nextVisitOn: '2026-12-01', fullName: 'مستفيد معدل' },
      },
    ]);
    expect(changes.find((ch) => ch.recordId === contact)?.version).toBe(versions[3]);
    // Versions are handed out one per applied change, in order.
    const applied = versions.filter((v) => v !== null);
    expect(applied).toEqual(applied.map((_, i) => (applied[0] ?? 0) + i));
  });

  it('refuses an interaction whose beneficiary does not exist, and a client id of another user', async () => {
    const c = client('kadi.rep1');
    const response = await pushOk(c, [
      c.mutation('interaction', randomUUID(), {
        beneficiaryId: randomUUID(),
        channel: 'phone',
        summary: 'x',
        occurredAt: '2026-11-22T09:00:00+03:00',
      }),
    ]);
    expect(response.results[0]).toMatchObject({ status: 'rejected', error: { code: 'parent_not_found' } });
    // A parent id that is not even a UUID is refused the same way (it once reached the database: a 500).
    const malformed = await pushOk(c, [
      c.mutation('interaction', randomUUID(), {
        beneficiaryId: 'not-a-uuid',
        channel: 'phone',
        summary: 'x',
        occurredAt: '2026-11-22T09:00:00+03:00',
      }),
    ]);
    expect(malformed.results[0]).toMatchObject({ status: 'rejected', error: { code: 'parent_not_found' } });
    const stolen = { ...client('kadi.rep1b'), clientId: c.clientId };
    const forbidden = await env.app.request(
      '/api/v1/sync/push',
      jsonRequest(
        {
          clientId: stolen.clientId,
          mutations: [stolen.mutation('beneficiary', randomUUID(), person('b1', 9))],
        },
        await tokenOf('kadi.rep1b'),
      ),
    );
    expect(forbidden.status).toBe(403);
  });
});

describe('on the wire', () => {
  it('a pull is gzipped for a client that accepts it, and plain for one that does not', async () => {
    const c = client('kadi.rep1');
    await pushOk(
      c,
      Array.from({ length: 20 }, (_, i) => c.mutation('beneficiary', randomUUID(), person('b1', 100 + i))),
    );
    const token = await tokenOf('kadi.rep1');
    const gzipped = await env.app.request('/api/v1/sync/pull?cursor=&limit=1000', {
      headers: { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'gzip' },
    });
    expect(gzipped.headers.get('Content-Encoding')).toBe('gzip');
    expect(gzipped.headers.get('Vary')).toBe('Accept-Encoding');
    const zipped = Buffer.from(await gzipped.arrayBuffer());
    const page = pullResponseSchema.parse(JSON.parse(gunzipSync(zipped).toString('utf8')));
    expect(page.changes.length).toBeGreaterThanOrEqual(20);
    const plain = await env.app.request('/api/v1/sync/pull?cursor=&limit=1000', bearer(token));
    expect(plain.headers.get('Content-Encoding')).toBeNull();
    expect(plain.headers.get('Vary')).toBe('Accept-Encoding');
    expect(zipped.length).toBeLessThan((await plain.arrayBuffer()).byteLength / 3);
  });

  it('gzip is sent only where the device accepts it, and a large page is gzipped too', async () => {
    const c = client('kadi.rep1');
    for (let round = 0; round < 6; round++)
      await pushOk(
        c,
        Array.from({ length: 200 }, (_, i) =>
          c.mutation('beneficiary', randomUUID(), person('b1', 1000 + 200 * round + i)),
        ),
      );
    const token = await tokenOf('kadi.rep1');
    const pull = (acceptEncoding: string) =>
      env.app.request('/api/v1/sync/pull?cursor=&limit=5000', {
        headers: { Authorization: `Bearer ${token}`, 'Accept-Encoding': acceptEncoding },
      });
    // Above 256 KB, compressed on the thread pool; the same page either way.
    const large = await pull('gzip, deflate, br');
    expect(large.headers.get('Content-Encoding')).toBe('gzip');
    const raw = gunzipSync(Buffer.from(await large.arrayBuffer()));
    expect(raw.length).toBeGreaterThan(256 * 1024);
    expect(pullResponseSchema.parse(JSON.parse(raw.toString('utf8'))).changes.length).toBeGreaterThanOrEqual(
      1200,
    );
    // Refused (q=0), or not named: plain. Any encoding (*): gzip.
    for (const [header, encoding] of [
      ['gzip;q=0, deflate', null],
      ['br', null],
      ['identity', null],
      ['*', 'gzip'],
      ['br;q=1, gzip;q=0.5', 'gzip'],
    ] as const)
      expect((await pull(header)).headers.get('Content-Encoding'), header).toBe(encoding);
    // A small answer (a push's) goes as it is: gzip would save little.
    const small = await env.app.request('/api/v1/sync/push', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token}`,
        'Accept-Encoding': 'gzip',
      },
      body: JSON.stringify({
        clientId: c.clientId,
        mutations: [c.mutation('beneficiary', randomUUID(), person('b1', 5000))],
      }),
    });
    expect(small.status).toBe(200);
    expect(small.headers.get('Content-Encoding')).toBeNull();
  });
});

describe('scope', () => {
  it('a representative writes only in their own branch', async () => {
    const c = client('kadi.rep1');
    const other = client('kadi.rep2');
    const theirs = randomUUID();
    await pushOk(other, [other.mutation('beneficiary', theirs, person('b2', 10))]);
    const response = await pushOk(c, [
      c.mutation('beneficiary', randomUUID(), person('b2', 11)),
      c.mutation('interaction', randomUUID(), {
        beneficiaryId: theirs,
        channel: 'phone',
        summary: 'x',
        occurredAt: '2026-11-22T09:00:00+03:00',
      }),
    ]);
    expect(response.results.map((r) => (r.status === 'rejected' ? r.error.code : r.status))).toEqual([
      'forbidden',
      'forbidden',
    ]);
  });

  it("kadi.rep2 never receives branch 1's records; bakkah never receives Kadi's; the supervisor sees both branches", async () => {
    const rep1 = await pullAll('kadi.rep1');
    const rep2 = await pullAll('kadi.rep2');
    const supervisor = await pullAll('kadi.supervisor');
    const bakkah = await pullAll('bakkah.rep1');
    const branchOf = (data: Record<string, unknown> | null) => data?.branchId;
    expect(
      rep1.changes
        .filter((ch) => ch.entity === 'beneficiary' && !ch.deleted)
        .every((ch) => branchOf(ch.data) === branch.b1),
    ).toBe(true);
    expect(
      rep2.changes
        .filter((ch) => ch.entity === 'beneficiary' && !ch.deleted)
        .every((ch) => branchOf(ch.data) === branch.b2),
    ).toBe(true);
    expect(rep2.changes.length).toBeGreaterThan(0);
    expect(rep2.changes.some((ch) => ch.entity === 'interaction')).toBe(false);
    expect(bakkah.changes).toEqual([]);
    expect(supervisor.changes.length).toBe(rep1.changes.length + rep2.changes.length);
  });

  it('a cursor ahead of the server (restored from a backup) gets 410 resync_required; a malformed one 400', async () => {
    const ahead = await env.app.request(
      '/api/v1/sync/pull?cursor=v1.zzzz',
      bearer(await tokenOf('kadi.rep1')),
    );
    expect(ahead.status).toBe(410);
    expect(apiErrorBodySchema.parse(await ahead.json()).error).toMatchObject({
      code: 'resync_required',
      details: { reason: 'restored' },
    });
    const bad = await env.app.request('/api/v1/sync/pull?cursor=garbage', bearer(await tokenOf('kadi.rep1')));
    expect(bad.status).toBe(400);
  });

  it('a cursor of another sync epoch (made before a restore) is refused; one of this epoch, v1 or v2, is not', async () => {
    const token = await tokenOf('kadi.rep1');
    const pull = (cursor: string) =>
      env.app.request(`/api/v1/sync/pull?cursor=${encodeURIComponent(cursor)}`, bearer(token));
    const first = pullResponseSchema.parse(await (await pull('')).json());
    const now = decodeCursor(first.cursor);
    if (now === null || now.epoch === null) throw new Error('a pull gives a cursor of its epoch');
    expect((await pull(first.cursor)).status).toBe(200);
    // A cursor from before epochs counts as the epoch migration 017 began (as for an association that
    // existed then), until a restore renews it; an association created since has no such cursors.
    expect((await pull(`v1.${now.version.toString(36)}`)).status).toBe(410);
    await env.db.query('UPDATE association_versions SET v1_epoch = epoch');
    expect((await pull(`v1.${now.version.toString(36)}`)).status).toBe(200);
    await renewSyncEpochs(env.db);
    for (const old of [first.cursor, `v1.${now.version.toString(36)}`]) {
      const refused = await pull(old);
      expect(refused.status).toBe(410);
      expect(apiErrorBodySchema.parse(await refused.json()).error.details).toEqual({ reason: 'restored' });
    }
  });
});
