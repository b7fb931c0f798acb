// Pull audit as ranges (issue 21): a pull page is audited as one row (device, user, scope, version range,
// count), and what a lost device held (L-BREACH) is derived from the ranges and the versions log. The oracle is
// the old per-record audit, kept here: every (entity, record, version, sensitive) each pull response sent, as
// the pull used to write it. On random workloads of several users and devices (branch moves, sensitive fields
// and documents, deletions, destructions, records out of a device's scope, pages of every size, pushes racing
// pulls) the derived audit and the lost-device answer must be exactly the oracle's.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { holdsSensitive } from '../../server/services/policy';
import { profileOfAssociation } from '../../server/services/records';
import { recordsOfDevice } from '../../server/store/audit-store';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import type { EntityName } from '../../src/protocol/entities';
import { RIGHTS_PATH } from '../../src/protocol/rights';
import { pullResponseSchema, pushResponseSchema, type Mutation } from '../../src/protocol/sync';
import type { Db } from '../../server/store/db';
import { phoneComplaint } from '../fixtures';
import { jsonRequest, testApp, useKadiTestApp } from './helpers';

const env = useKadiTestApp();
let aid = '';
let profile: PolicyProfile;

beforeAll(async () => {
  const rows = await env.db.query<{ id: string }>("SELECT id FROM associations WHERE code = 'kadi'");
  aid = rows[0]?.id ?? '';
  profile = await profileOfAssociation(env.db, aid);
});

/** Who holds the devices: every scope (one branch, all branches, the association only; sensitive or not). */
const holders = [
  'kadi.rep1',
  'kadi.rep1b',
  'kadi.rep2',
  'kadi.supervisor',
  'kadi.researcher',
  'kadi.committee',
  'kadi.admin',
] as const;
const SUPERVISOR = 3;

interface Device {
  username: string;
  deviceId: string;
  token: string;
  clientId: string;
  seq: number;
  cursor: string;
  /** The pages that sent something. */
  pages: number;
}

/** One row of the old per-record audit: a record version a pull response sent to a device. */
interface Sent {
  entity: string;
  recordId: string;
  version: number;
  sensitive: boolean;
  at: number;
}

async function login(username: string, app = env.app): Promise<Device> {
  const deviceId = randomUUID();
  const response = await app.request(
    '/api/v1/auth/login',
    jsonRequest({ username, password: 'correct-horse', deviceId, deviceName: 'ranges' }),
  );
  expect(response.status).toBe(200);
  const { accessToken } = (await response.json()) as { accessToken: string };
  return { username, deviceId, token: accessToken, clientId: randomUUID(), seq: 0, cursor: '', pages: 0 };
}

/**
 * A cursor at the association's head, as a device that has seen everything holds it: an administrator's, who
 * reads only the few association-wide records (so a run's devices start after the earlier runs' records).
 */
async function headCursor(): Promise<string> {
  const watcher = await login('kadi.admin');
  for (;;) {
    const response = await env.app.request(`/api/v1/sync/pull?cursor=${watcher.cursor}&limit=5000`, {
      headers: { Authorization: `Bearer ${watcher.token}` },
    });
    expect(response.status).toBe(200);
    const page = pullResponseSchema.parse(await response.json());
    watcher.cursor = page.cursor;
    if (!page.hasMore) return page.cursor;
  }
}

async function push(device: Device, mutations: Omit<Mutation, 'seq' | 'id' | 'at'>[]) {
  const numbered = mutations.map((m, i) => ({
    ...m,
    id: randomUUID(),
    seq: device.seq + 1 + i,
    at: '2026-11-22T09:00:00+03:00',
  }));
  const response = await env.app.request(
    '/api/v1/sync/push',
    jsonRequest({ clientId: device.clientId, mutations: numbered }, device.token),
  );
  expect(response.status).toBe(200);
  device.seq = pushResponseSchema.parse(await response.json()).lastAppliedSeq;
}

/** Pulls one page, and notes what it sent as the old audit rows would have. */
async function pull(device: Device, limit: number, oracle: Sent[], app = env.app) {
  const at = env.server.clock.now();
  const response = await app.request(`/api/v1/sync/pull?cursor=${device.cursor}&limit=${String(limit)}`, {
    headers: { Authorization: `Bearer ${device.token}` },
  });
  expect(response.status).toBe(200);
  const page = pullResponseSchema.parse(await response.json());
  for (const c of page.changes)
    oracle.push({
      entity: c.entity,
      recordId: c.recordId,
      version: c.version,
      sensitive: holdsSensitive(profile, c.entity, c.data),
      at,
    });
  if (page.changes.length > 0) device.pages += 1;
  device.cursor = page.cursor;
}

const slot = fc.integer({ min: 0, max: 3 });
const branch = fc.integer({ min: 0, max: 1 });
const who = fc.integer({ min: 0, max: holders.length - 1 });
/** Writers, most often ones who may make the change (a refused change is part of the workload too). */
const writer = (...likely: number[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...likely) }, who);
const write = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('person' as const),
      who: writer(0, 2, 3, 4, 5),
      slot,
      branch,
      sensitive: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constant('mobile' as const), who: writer(0, 2, 3), slot, n: fc.nat(9) }),
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('move' as const), who: writer(3, 5), slot, branch }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('health' as const),
      who: writer(3, 4, 5),
      slot,
      on: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('member' as const),
      who: writer(3, 5),
      slot,
      parent: slot,
      income: fc.nat(5),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('document' as const),
      who: writer(3, 5),
      slot,
      parent: slot,
      sensitive: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constant('complaint' as const), who: writer(0, 2, 3) }),
  fc.record({ kind: fc.constant('holiday' as const), day: fc.integer({ min: 10, max: 28 }) }),
  fc.record({ kind: fc.constant('delete' as const), who, slot, member: fc.boolean() }),
  fc.record({ kind: fc.constant('destroy' as const), slot }),
);
type Write = typeof write extends fc.Arbitrary<infer T> ? T : never;
const pullOp = fc.record({ kind: fc.constant('pull' as const), who, limit: fc.integer({ min: 1, max: 4 }) });
const operation = fc.oneof(
  { weight: 6, arbitrary: write },
  { weight: 5, arbitrary: pullOp },
  fc.record({ kind: fc.constant('resync' as const), who }),
  // A push and a pull at the same time (on PostgreSQL they really overlap).
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('race' as const), write, pull: pullOp }) },
);

/** The records of one run. */
interface Pool {
  people: string[];
  members: string[];
  documents: string[];
}

const upsert = (
  entity: EntityName,
  recordId: string,
  patch: Record<string, unknown>,
  baseVersion: number,
) => ({
  entity,
  op: 'upsert' as const,
  recordId,
  baseVersion,
  patch,
});

async function runWrite(op: Write, devices: Device[], pool: Pool, branches: string[]) {
  const id = (ids: string[], i: number) => ids[i] ?? '';
  const device = devices['who' in op ? op.who : SUPERVISOR];
  if (device === undefined) throw new Error('no such device');
  const branchId = 'branch' in op ? (branches[op.branch] ?? '') : '';
  switch (op.kind) {
    case 'person': {
      const personId = id(pool.people, op.slot);
      const person = { branchId, fullName: 'مريم', nationalId: '1000000008', mobile: '+966501234567' };
      const health = op.sensitive ? { sensitive: { parents_unknown: 'نعم' } } : {};
      return push(device, [
        upsert('beneficiary', personId, { ...person, ...health }, await env.versionOf(personId)),
      ]);
    }
    case 'mobile':
    case 'move':
    case 'health': {
      const personId = id(pool.people, op.slot);
      const patch =
        op.kind === 'mobile'
          ? { mobile: `+96650123456${String(op.n)}` }
          : op.kind === 'move'
            ? { branchId }
            : { sensitive: op.on ? { parents_unknown: 'نعم' } : {} };
      return push(device, [upsert('beneficiary', personId, patch, await env.versionOf(personId))]);
    }
    case 'member': {
      const memberId = id(pool.members, op.slot);
      const member = {
        beneficiaryId: id(pool.people, op.parent),
        name: { first: 'سارة', father: 'محمد', grandfather: 'علي', family: 'القحطاني' },
        relation: 'daughter',
        birthDate: '2015-03-01',
        collectedViaHead: true,
        monthlyIncome: op.income,
      };
      return push(device, [upsert('household_member', memberId, member, await env.versionOf(memberId))]);
    }
    case 'document': {
      const documentId = id(pool.documents, op.slot);
      const document = {
        sha256: 'a'.repeat(64),
        kind: 'document',
        mimeType: 'image/jpeg',
        size: 10,
        beneficiaryId: id(pool.people, op.parent),
        caseId: null,
        requirementId: op.sensitive ? 'parents_unknown' : null,
      };
      return push(device, [upsert('attachment', documentId, document, await env.versionOf(documentId))]);
    }
    case 'complaint':
      return push(device, [
        upsert('complaint', randomUUID(), phoneComplaint(`KADI-${randomUUID().slice(0, 8)}`), 0),
      ]);
    case 'holiday': {
      const admin = devices[holders.indexOf('kadi.admin')];
      if (admin === undefined) throw new Error('no admin device');
      const date = `2026-12-${String(op.day)}`;
      return push(admin, [
        upsert('holiday', randomUUID(), { date, kind: 'other', nameAr: 'إجازة', nameEn: 'Holiday' }, 0),
      ]);
    }
    case 'delete': {
      const recordId = id(op.member ? pool.members : pool.people, op.slot);
      return push(device, [
        {
          entity: op.member ? 'household_member' : 'beneficiary',
          op: 'delete',
          recordId,
          baseVersion: await env.versionOf(recordId),
          patch: {},
        },
      ]);
    }
    case 'destroy': {
      const response = await env.app.request(`${RIGHTS_PATH}/${id(pool.people, op.slot)}/destroy`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${device.token}` },
        body: JSON.stringify({ reason: 'طلب إتلاف مقدم من المستفيد' }),
      });
      expect(response.status).toBeLessThan(500);
      return;
    }
  }
}

const key = (s: Omit<Sent, 'at'> & { at: number }) =>
  `${s.entity}|${s.recordId}|${String(s.version)}|${String(s.sensitive)}|${String(s.at)}`;

/** The lost-device answer as the old per-record rows gave it: by record, the last time and the actions. */
function answerOf(
  rows: readonly { entity: string; recordId: string; at: number; action: string; sensitive: boolean }[],
) {
  const byRecord = new Map<string, { lastAt: number; actions: Set<string>; sensitive: boolean }>();
  for (const r of rows) {
    const k = `${r.entity}|${r.recordId}`;
    const seen = byRecord.get(k) ?? { lastAt: 0, actions: new Set<string>(), sensitive: false };
    seen.lastAt = Math.max(seen.lastAt, r.at);
    seen.actions.add(r.action);
    seen.sensitive ||= r.sensitive;
    byRecord.set(k, seen);
  }
  return [...byRecord]
    .map(([k, v]) => `${k}|${String(v.lastAt)}|${[...v.actions].sort().join(',')}|${String(v.sensitive)}`)
    .sort();
}

/** Compares, for one device, the audit derived from its ranges with the oracle's per-record rows. */
async function expectSameAudit(device: Device, oracle: readonly Sent[]) {
  const derived = await env.db.query<{
    entity: string;
    record_id: string;
    version: string | number;
    sensitive: boolean;
    at: Date;
  }>(
    `SELECT entity, record_id, version, sensitive, at FROM audit_trail
      WHERE association_id = $1 AND device_id = $2 AND action = 'pull'`,
    [aid, device.deviceId],
  );
  expect(
    derived
      .map((r) => key({ ...r, recordId: r.record_id, version: Number(r.version), at: r.at.getTime() }))
      .sort(),
  ).toEqual(oracle.map(key).sort());

  // One row per page that sent something, counting what it sent.
  const ranges = await env.db.query<{ pages: number; sent: number }>(
    `SELECT count(*)::int AS pages, COALESCE(sum(count), 0)::int AS sent FROM pull_ranges WHERE device_id = $1`,
    [device.deviceId],
  );
  expect(ranges[0]).toEqual({ pages: device.pages, sent: oracle.length });
  expect(
    await env.db.query(`SELECT 1 FROM audit_log WHERE device_id = $1 AND action = 'pull'`, [device.deviceId]),
  ).toEqual([]);

  // The lost-device answer: from the ranges, and as the per-record rows (the writes' are unchanged) gave it.
  const others = await env.db.query<{
    entity: string;
    record_id: string;
    at: Date;
    action: string;
    sensitive: boolean;
  }>(
    'SELECT entity, record_id, at, action, sensitive FROM audit_log WHERE association_id = $1 AND device_id = $2',
    [aid, device.deviceId],
  );
  const old = answerOf([
    ...oracle.map((s) => ({ ...s, action: 'pull' })),
    ...others.map((r) => ({ ...r, recordId: r.record_id, at: r.at.getTime() })),
  ]);
  const now = await recordsOfDevice(env.db, aid, device.deviceId);
  expect(
    now
      .map(
        (r) =>
          `${r.entity}|${r.record_id}|${String(new Date(r.last_at).getTime())}|${r.actions.join(',')}|${String(r.sensitive)}`,
      )
      .sort(),
  ).toEqual(old);
}

describe('pull audit as ranges', () => {
  it('gives the lost-device answer of the per-record audit, on any workload', async () => {
    const branches = [env.branch.b1 ?? '', env.branch.b2 ?? ''];
    let sentInAll = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 20, maxLength: 80, size: 'max' }), async (ops) => {
        const devices = await Promise.all(holders.map((holder) => login(holder)));
        const start = await headCursor();
        for (const d of devices) d.cursor = start;
        const oracles = new Map<Device, Sent[]>(devices.map((d) => [d, []]));
        const pool: Pool = {
          people: [0, 1, 2, 3].map(() => randomUUID()),
          members: [0, 1, 2, 3].map(() => randomUUID()),
          documents: [0, 1, 2, 3].map(() => randomUUID()),
        };
        const pullBy = async (op: { who: number; limit: number }) => {
          const device = devices[op.who];
          if (device === undefined) throw new Error('no such device');
          await pull(device, op.limit, oracles.get(device) ?? []);
        };
        for (const op of ops) {
          if (op.kind === 'pull') await pullBy(op);
          else if (op.kind === 'resync') {
            const device = devices[op.who];
            if (device !== undefined) device.cursor = start;
          } else if (op.kind === 'race')
            await Promise.all([runWrite(op.write, devices, pool, branches), pullBy(op.pull)]);
          else await runWrite(op, devices, pool, branches);
          env.server.clock.advance(1000);
        }
        // Every device ends up with everything it may see, in small pages.
        for (const d of devices) {
          let before = '';
          while (before !== d.cursor) {
            before = d.cursor;
            await pull(d, 3, oracles.get(d) ?? []);
          }
        }
        for (const d of devices) {
          const oracle = oracles.get(d) ?? [];
          sentInAll += oracle.length;
          await expectSameAudit(d, oracle);
        }
      }),
      { numRuns: 25 },
    );
    // The workloads held what makes the derivation hard: records moved between branches, sensitive records
    // sent, and pages whose range holds versions they did not send (out of scope, superseded, withheld).
    expect(sentInAll).toBeGreaterThan(300);
    const covered = await env.db.query<{ moved: number; sensitive: number; gaps: number }>(
      `SELECT
         (SELECT count(*) FROM (SELECT 1 FROM record_versions WHERE association_id = $1
                                 GROUP BY entity, record_id HAVING count(DISTINCT branch_id) > 1) m)::int AS moved,
         (SELECT count(*) FROM audit_trail WHERE association_id = $1 AND action = 'pull' AND sensitive)::int
           AS sensitive,
         (SELECT count(*) FROM pull_ranges p
           WHERE p.association_id = $1
             AND p.count < (SELECT count(*) FROM record_versions v WHERE v.association_id = p.association_id
                              AND v.version BETWEEN p.first_version AND p.last_version))::int AS gaps`,
      [aid],
    );
    expect(covered[0]?.moved).toBeGreaterThan(0);
    expect(covered[0]?.sensitive).toBeGreaterThan(0);
    expect(covered[0]?.gaps).toBeGreaterThan(0);
  }, 600_000);

  it('leaves out a record changed between the pull reading the head and reading its page', async () => {
    // A database that runs `meanwhile` (once) just before the next pull reads its page.
    let meanwhile: (() => Promise<void>) | undefined;
    const db: Db = {
      kind: env.db.kind,
      async query<T extends object>(sql: string, params?: readonly unknown[]) {
        const hook = meanwhile;
        if (hook !== undefined && /FROM records\s+WHERE association_id = \$1 AND version > \$2/.test(sql)) {
          meanwhile = undefined;
          await hook();
        }
        return env.db.query<T>(sql, params);
      },
      exec: (sql) => env.db.exec(sql),
      transaction: (fn) => env.db.transaction(fn),
      close: async () => undefined,
    };
    const hooked = testApp(db, env.server.clock).app;
    const rep = await login('kadi.rep1', hooked);
    const supervisor = await login('kadi.supervisor');
    rep.cursor = await headCursor();
    const [first, moved, last] = [randomUUID(), randomUUID(), randomUUID()];
    const person = {
      branchId: env.branch.b1,
      fullName: 'مريم',
      nationalId: '1000000008',
      mobile: '+966501234567',
    };
    await push(
      supervisor,
      [first, moved, last].map((id) => upsert('beneficiary', id, person, 0)),
    );
    meanwhile = async () => {
      await push(supervisor, [
        upsert('beneficiary', moved, { branchId: env.branch.b2 }, await env.versionOf(moved)),
      ]);
    };
    const oracle: Sent[] = [];
    await pull(rep, 10, oracle, hooked);
    expect(meanwhile).toBeUndefined();
    expect(oracle.map((s) => s.recordId)).toEqual([first, last]);
    await expectSameAudit(rep, oracle);
  });

  it('writes one audit row per page, not one per record pulled', async () => {
    const supervisor = await login('kadi.supervisor');
    const start = await headCursor();
    const person = {
      branchId: env.branch.b2,
      fullName: 'مريم',
      nationalId: '1000000008',
      mobile: '+966501234567',
    };
    const ids = Array.from({ length: 1000 }, () => randomUUID());
    for (const batch of [ids.slice(0, 500), ids.slice(500)])
      await push(
        supervisor,
        batch.map((id) => upsert('beneficiary', id, person, 0)),
      );
    const auditRows = async () =>
      (
        await env.db.query<{ n: number }>(
          'SELECT ((SELECT count(*) FROM audit_log) + (SELECT count(*) FROM pull_ranges))::int AS n',
        )
      )[0]?.n ?? 0;
    // What the ranges are read with: one version row per record written, whatever the number of devices.
    const versions = await env.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM record_versions WHERE record_id = ANY($1::uuid[])',
      [ids],
    );
    expect(versions[0]?.n).toBe(1000);
    for (const limit of [100, 500, 5000]) {
      const device = await login('kadi.committee');
      device.cursor = start;
      const oracle: Sent[] = [];
      const before = await auditRows();
      let previous = '';
      while (previous !== device.cursor) {
        previous = device.cursor;
        await pull(device, limit, oracle);
      }
      const written = (await auditRows()) - before;
      // Before: one audit_log row per record sent (the oracle's rows); now: one per page.
      expect(oracle.length).toBe(1000);
      expect(written).toBe(Math.ceil(1000 / limit));
      console.info(
        `audit rows per 1,000 records pulled, pages of ${String(limit)}: before ${String(oracle.length)}, after ${String(written)}`,
      );
      await expectSameAudit(device, oracle);
    }
  });

  it('keeps every version in the log: a record changes only at a new version', async () => {
    const supervisor = await login('kadi.supervisor');
    const id = randomUUID();
    const person = {
      branchId: env.branch.b1,
      fullName: 'مريم',
      nationalId: '1000000008',
      mobile: '+966501234567',
    };
    await push(supervisor, [upsert('beneficiary', id, person, 0)]);
    await expect(
      env.db.query('UPDATE records SET branch_id = $2 WHERE record_id = $1', [id, env.branch.b2]),
    ).rejects.toThrow(/only at a new version/);
    const logged = await env.db.query<{ branch_id: string }>(
      'SELECT branch_id FROM record_versions WHERE record_id = $1',
      [id],
    );
    expect(logged).toEqual([{ branch_id: env.branch.b1 }]);
  });
});
