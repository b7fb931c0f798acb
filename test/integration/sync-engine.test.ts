// The client sync engine against the real server: offline edits reach the server exactly once, through
// injected network faults, and every client ends with the server's data. Nothing lost, nothing duplicated.
// IndexedDB for the devices first: Dexie (loaded by the intake below) takes the global at import.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';
import { createCipher, randomKeys } from '../../src/db/vault';
import { createIntake, requestOf } from '../../src/state/intake';
import { createApiClient } from '../../src/sync/api-client';
import { createSyncEngine } from '../../src/sync/engine';
import { inPageLocks } from '../../src/sync/locks';
import { mobileOf, nationalIdOf } from '../bench/dataset';
import { useKadiTestApp } from './helpers';
import { applicant, attachment, kadi, member, storedCase, userIdOf } from './steps';
import {
  clientView,
  faults,
  faultyFetch,
  loginToken,
  makeClient,
  prng,
  serverView,
  type FaultStats,
  type RigClient,
} from './sync-faults';

const env = useKadiTestApp();
const branch = env.branch;
const direct = env.direct;
const at = () => new Date().toISOString();

describe('sync engine', () => {
  it('offline edits reach the server once, come back to the other devices of the branch, and not to other branches', async () => {
    const rep1 = await makeClient(env.app, 'kadi.rep1', direct);
    const colleague = await makeClient(env.app, 'kadi.rep1b', direct);
    const rep2 = await makeClient(env.app, 'kadi.rep2', direct);

    const id = randomUUID();
    await rep1.repo.save('beneficiary', id, {
      branchId: branch.b1,
      fullName: 'فاطمة أحمد',
      nationalId: '1000000008',
      mobile: '+966501234567',
    });
    await rep1.repo.save('interaction', randomUUID(), {
      beneficiaryId: id,
      channel: 'interview',
      summary: 'زيارة منزلية',
      occurredAt: at(),
    });
    await rep1.repo.save('beneficiary', id, { mobile: '+966551234567' });
    expect(await rep1.repo.pendingCount()).toBe(3);

    await rep1.flushUntilDone();
    expect(rep1.totals).toMatchObject({ pushed: 3, applied: 3, conflicts: 0, rejected: 0 });
    expect(await rep1.repo.pendingCount()).toBe(0);
    expect((await rep1.repo.get('beneficiary', id))?.version).toBeGreaterThan(0);

    await colleague.flushUntilDone();
    await rep2.flushUntilDone();
    expect((await colleague.repo.get('beneficiary', id))?.data).toMatchObject({
      fullName: 'فاطمة أحمد',
      mobile: '+966551234567',
    });
    expect(await rep2.repo.get('beneficiary', id)).toBeUndefined();
    // Pulled records are indexed by the person they belong to, like local ones.
    expect((await colleague.repo.listOf('interaction', id)).map((r) => r.data?.summary)).toEqual([
      'زيارة منزلية',
    ]);
    expect(await clientView(colleague)).toEqual(await serverView(env.app, 'kadi.rep1b'));
  });

  it('beneficiaries are found by name, ID and phone through the blind index, including after a pull', async () => {
    const a = await makeClient(env.app, 'kadi.rep1', direct);
    const b = await makeClient(env.app, 'kadi.rep1b', direct);
    const id = randomUUID();
    await a.repo.save('beneficiary', id, {
      branchId: branch.b1,
      fullName: 'عبد الرحمن الشهراني',
      nationalId: '1098765439',
      mobile: '+966557654321',
    });
    await a.flushUntilDone();
    await b.flushUntilDone();
    for (const query of ['عبدالرح', 'الشهر عبد', '1098765', '0557654', '+96655765']) {
      const found = await b.repo.search('beneficiary', query);
      expect(found.kind === 'results' ? found.records.map((r) => r.recordId) : found.kind, query).toEqual([
        id,
      ]);
    }
    expect(await b.repo.search('beneficiary', 'الشهرانية')).toEqual({ kind: 'results', records: [] });
    expect(await b.repo.search('beneficiary', 'عب')).toEqual({ kind: 'tooShort' });
    // The index holds keyed hashes only: no name, ID or phone in the clear.
    const stored = await b.db.records.get(`beneficiary:${id}`);
    expect(stored?.tokens.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored?.tokens)).not.toMatch(/عبد|الشهراني|1098|5576/);
  });

  it('a rejected change is kept with its reason, and the user’s entry stays on the device', async () => {
    const rep = await makeClient(env.app, 'kadi.rep1', direct);
    const id = randomUUID();
    await rep.repo.save('beneficiary', id, {
      branchId: branch.b1,
      fullName: 'رقم خاطئ',
      nationalId: '1000000000',
      mobile: '+966501234567',
    });
    await rep.flushUntilDone();
    expect(rep.totals.rejected).toBe(1);
    const rejected = await rep.repo.rejected();
    expect(rejected[0]?.error.fields).toEqual([{ path: 'nationalId', code: 'national_id_checksum' }]);
    expect((await rep.repo.get('beneficiary', id))?.data).toMatchObject({ nationalId: '1000000000' });
  });

  it('a save made while a new device takes its first pull keeps its change and its place in the lists', async () => {
    // The first pull writes its pages without reading rows back (nothing on the device to keep), and seals
    // each page while the one before it is written: a save in between must undo neither shortcut's premise.
    const seeder = await makeClient(env.app, 'kadi.rep1b', direct);
    const ids = Array.from({ length: 250 }, () => randomUUID());
    for (const [i, id] of ids.entries())
      await seeder.repo.save('beneficiary', id, {
        branchId: branch.b1,
        fullName: `مستفيد ${String(i)}`,
        nationalId: nationalIdOf(i + 7000),
        mobile: mobileOf(i + 7000),
      });
    await seeder.flushUntilDone();
    expect(seeder.totals.applied).toBe(250);

    const savedAt = Date.parse('2020-05-05T10:00:00Z');
    const pulledAt = Date.parse('2031-01-01T10:00:00Z');
    const db = new WaselDb(`first-pull-${randomUUID()}`);
    const cipher = createCipher(await randomKeys());
    const repo = createRecordsRepository(db, cipher, { newId: () => randomUUID(), now: () => savedAt });
    const api = createApiClient({ baseUrl: 'http://wasel.test', fetch: direct });
    const token = await loginToken(env.app, 'kadi.rep1');
    const last = ids.at(-1) ?? '';
    let asked = 0;
    const engine = createSyncEngine({
      db,
      cipher,
      transport: {
        push: (r) => api.push(token, r),
        pull: async (cursor, limit) => {
          // The second page is asked for before the first is written: the user saves then.
          if (++asked === 2) await repo.save('beneficiary', last, { nextVisitOn: '2027-01-01' });
          return api.pull(token, cursor, limit);
        },
      },
      lock: inPageLocks(),
      newId: () => randomUUID(),
      now: () => pulledAt,
      pageSize: 100,
    });
    const report = await engine.flush();
    expect(asked).toBeGreaterThanOrEqual(3);
    expect(report.pulled).toBeGreaterThanOrEqual(250);

    const saved = await repo.get('beneficiary', last);
    expect(saved?.data).toMatchObject({ fullName: 'مستفيد 249', nextVisitOn: '2027-01-01' });
    expect(saved?.pending).toBe(1);
    expect(saved?.version).toBeGreaterThan(0);
    // Listed where the user's save put it, not moved to the time its server copy arrived.
    expect(saved?.updatedAt).toBe(new Date(savedAt).toISOString());
    expect((await repo.get('beneficiary', ids[0] ?? ''))?.updatedAt).toBe(new Date(pulledAt).toISOString());
    const server = await serverView(env.app, 'kadi.rep1');
    const local = (await db.records.toArray()).filter((r) => !r.deleted).map((r) => r.key);
    expect(local.sort()).toEqual([...server.keys()].sort());
  });

  it('L-CONSENT a step the server refuses is kept for review, and the device shows the request as the server holds it', async () => {
    const device = await makeClient(env.app, 'kadi.rep1', direct);
    const colleague = await makeClient(env.app, 'kadi.rep1b', direct);
    const repId = await userIdOf(env, 'kadi.rep1');
    const colleagueId = await userIdOf(env, 'kadi.rep1b');
    // The device takes a complete request offline, the way the intake screens do, up to the signature.
    const intake = createIntake({
      records: device.repo,
      profile: kadi,
      profileVersion: 1,
      actor: { id: repId, role: 'representative' },
      now: env.server.clock.now,
      newId: () => randomUUID(),
    });
    const beneficiaryId = randomUUID();
    await device.repo.save('beneficiary', beneficiaryId, applicant(branch.b1 ?? '', repId));
    await device.repo.save('household_member', randomUUID(), member(beneficiaryId));
    const caseId = await intake.start(beneficiaryId);
    for (const itemId of ['id_copy', 'income_proof'])
      await device.repo.save('attachment', randomUUID(), attachment(beneficiaryId, caseId, itemId));
    const signature = attachment(beneficiaryId, caseId, null);
    await device.repo.save('attachment', randomUUID(), signature);
    await intake.apply(caseId, { type: 'receptionDone' });
    await intake.chooseService(caseId, 'aid');
    await intake.apply(caseId, { type: 'verified' });
    await device.flushUntilDone();
    expect((await storedCase(env, caseId))?.data.status).toBe('draft');

    // Meanwhile a colleague records that the beneficiary's consent was to an older notice.
    await colleague.flushUntilDone();
    await colleague.repo.save('beneficiary', beneficiaryId, {
      consent: {
        noticeVersion: '2025-01',
        givenAt: at(),
        recordedBy: colleagueId,
        viaHeadOfHousehold: false,
      },
    });
    await colleague.flushUntilDone();

    // Offline, the device still believes the consent current: it signs and submits.
    const request = async () => requestOf(await device.repo.get('case', caseId));
    const current = await request();
    if (current === undefined) throw new Error('no request on the device');
    const signed = await intake.apply(caseId, {
      type: 'declarationSigned',
      dataHash: await intake.dataHash(caseId, current),
      signatureHash: String(signature.sha256),
      signerName: 'سالم',
    });
    expect(signed.ok).toBe(true);
    expect((await intake.apply(caseId, { type: 'submit' })).ok).toBe(true);
    expect((await request())?.status).toBe('submitted');

    // Back online: both steps are refused for want of consent; the device shows the draft the server holds,
    // without the declaration it believed signed, and keeps both refusals to review.
    await device.flushUntilDone();
    expect(device.totals.rejected).toBe(2);
    expect(await request()).toMatchObject({ status: 'draft', declaration: null, submittedAt: null });
    expect((await device.repo.rejected()).map((r) => r.error.code)).toEqual([
      'case_consent_missing',
      'case_consent_missing',
    ]);
    expect((await storedCase(env, caseId))?.data).toMatchObject({ status: 'draft', declaration: null });
  });

  it('500 random sessions of offline edits through injected faults: everyone converges, nothing lost or applied twice', async () => {
    const seed = Number(process.env.SYNC_FAULT_SEED ?? 20261122);
    const random = prng(seed);
    const stats: FaultStats = {
      requests: 0,
      byFault: Object.fromEntries(faults.map((f) => [f, 0])) as FaultStats['byFault'],
    };
    let faultRate = 0.35;
    const fetchFn = faultyFetch(env.app, random, () => faultRate, stats);
    const clients: RigClient[] = [
      await makeClient(env.app, 'kadi.rep1', fetchFn),
      await makeClient(env.app, 'kadi.rep1', fetchFn), // the same representative on a second tablet
      await makeClient(env.app, 'kadi.rep1b', fetchFn),
      await makeClient(env.app, 'kadi.rep2', fetchFn),
      await makeClient(env.app, 'kadi.supervisor', fetchFn),
    ];
    const made = new Map<RigClient, number>(clients.map((c) => [c, 0]));
    const created = new Set<string>();

    for (let session = 0; session < 500; session++) {
      const client = random.pick(clients);
      const own =
        client.username === 'kadi.rep2'
          ? branch.b2
          : client.username === 'kadi.supervisor'
            ? random.pick([branch.b1, branch.b2])
            : branch.b1;
      const edits = 1 + random.int(4);
      for (let e = 0; e < edits; e++) {
        const beneficiaries = await client.repo.list('beneficiary');
        const action = beneficiaries.length === 0 ? 0 : random.int(4);
        const target = beneficiaries.length === 0 ? undefined : random.pick(beneficiaries);
        if (action === 0 || target === undefined) {
          const id = randomUUID();
          const invalid = random.next() < 0.05;
          await client.repo.save('beneficiary', id, {
            branchId: own,
            fullName: `مستفيد ${session}-${e}`,
            nationalId: invalid ? '1000000000' : '1000000008',
            mobile: `+96650${String(1_000_000 + random.int(8_999_999)).padStart(7, '0')}`,
          });
          if (!invalid) created.add(`beneficiary:${id}`);
        } else if (action === 1) {
          await client.repo.save('beneficiary', target.recordId, {
            fullName: `اسم ${session}-${e}-${random.int(3)}`,
          });
        } else if (action === 2) {
          await client.repo.save('beneficiary', target.recordId, {
            mobile: `+96655${String(random.int(10_000_000)).padStart(7, '0')}`,
          });
        } else {
          const id = randomUUID();
          await client.repo.save('interaction', id, {
            beneficiaryId: target.recordId,
            channel: 'phone',
            summary: `اتصال ${session}`,
            occurredAt: at(),
          });
        }
        made.set(client, (made.get(client) ?? 0) + 1);
      }
      await client.flushUntilDone();
    }

    // The network heals; everyone syncs until nothing moves.
    faultRate = 0;
    for (let round = 0; round < 2; round++) for (const c of clients) await c.flushUntilDone();

    for (const c of clients) {
      // Nothing lost: every mutation made was answered exactly once (applied, conflicted or rejected).
      expect(await c.repo.pendingCount(), c.username).toBe(0);
      expect(c.totals.pushed, c.username).toBe(made.get(c));
      expect(await c.db.conflicts.count()).toBe(c.totals.conflicts);
      expect(await c.db.rejected.count()).toBe(c.totals.rejected);
      // None applied twice: the server processed each seq of this client once, in order.
      const seqRows = await env.db.query<{ last_seq: string | number }>(
        'SELECT last_seq FROM sync_clients WHERE client_id = $1',
        [await c.engine.clientId()],
      );
      expect(Number(seqRows[0]?.last_seq), c.username).toBe(made.get(c));
      // Converged: the device holds exactly what the server lets this user see.
      expect(await clientView(c), c.username).toEqual(await serverView(env.app, c.username));
    }

    // Every valid beneficiary created on any device is on the server exactly once.
    const everything = await serverView(env.app, 'kadi.supervisor');
    for (const key of created) expect(everything.has(key), key).toBe(true);
    const total = await env.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM records WHERE entity = 'beneficiary'",
    );
    expect(new Set([...everything.keys()].filter((k) => k.startsWith('beneficiary:'))).size).toBe(
      total[0]?.n,
    );

    // The run really exercised every kind of fault.
    for (const fault of faults) expect(stats.byFault[fault], fault).toBeGreaterThan(5);
    // ...and concurrent edits of the same fields, which must surface as conflicts.
    expect(clients.reduce((sum, c) => sum + c.totals.conflicts, 0)).toBeGreaterThan(0);
  }, 600_000);
});
