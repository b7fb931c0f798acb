// Bundled by the benchmark and run inside Chromium: the app's own sealing code against the same records
// stored without it. Exposes `window.waselEncryptionBench(n)`, `window.waselUnlockBench(runs)` and
// `window.waselDeviceBench(people, requests, runs)`.
import { WaselDb, type LocalRecord } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';
import { openRecord, sealRecord } from '../../src/db/sealing';
import { createCipher, createVault, openVault, randomKeys, type Cipher } from '../../src/db/vault';
import { loadWorklist } from '../../src/state/worklist';
import { plainRow } from './plain-row';

function records(n: number, run: string): LocalRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `beneficiary:${run}-${i}`,
    entity: 'beneficiary',
    recordId: `${run}-${i}`,
    version: i + 1,
    deleted: false,
    data: {
      branchId: '8f1c2d3e-4f50-4a61-8b72-9c83d4e5f603',
      fullName: `فاطمة أحمد علي الزهراني ${i}`,
      nationalId: String(1_000_000_000 + i * 7),
      mobile: `+9665${String(10_000_000 + i).padStart(8, '0')}`,
      nationality: 'سعودية',
      preferredChannel: 'phone',
    },
    pending: 0,
    updatedAt: new Date().toISOString(),
    parentId: '',
  }));
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await fn();
  return [performance.now() - started, result];
}

async function once(n: number, run: string, cipher: Cipher) {
  const rows = records(n, run);
  const plainDb = new WaselDb(`bench-plain-${run}`);
  const sealedDb = new WaselDb(`bench-sealed-${run}`);
  await Promise.all([plainDb.open(), sealedDb.open()]);
  // Writing: build the stored rows and put them in one transaction.
  const [plainWriteMs] = await timed(() => plainDb.records.bulkPut(rows.map(plainRow)));
  const [sealedWriteMs] = await timed(async () =>
    sealedDb.records.bulkPut(await Promise.all(rows.map((r) => sealRecord(cipher, r)))),
  );
  // Reading: every record, ready to show.
  const [plainReadMs, plainRead] = await timed(() => plainDb.records.toArray());
  const [sealedReadMs, sealedRead] = await timed(async () =>
    Promise.all((await sealedDb.records.toArray()).map((r) => openRecord(cipher, r))),
  );
  if (plainRead.length !== n || sealedRead.length !== n) throw new Error('records missing');
  await Promise.all([plainDb.delete(), sealedDb.delete()]);
  return { plainWriteMs, sealedWriteMs, plainReadMs, sealedReadMs };
}

declare global {
  interface Window {
    waselEncryptionBench: (
      n: number,
      runs: number,
    ) => Promise<ReturnType<typeof once> extends Promise<infer R> ? R[] : never>;
    waselUnlockBench: (runs: number) => Promise<number[]>;
    waselDeviceBench: (
      people: number,
      requests: number,
      runs: number,
    ) => Promise<{ worklist: number[]; search: number[] }>;
  }
}

window.waselEncryptionBench = async (n, runs) => {
  const cipher = createCipher(await randomKeys());
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(n, `${i}`, cipher));
  return results;
};

/** Time to unlock: the password through PBKDF2 (the app's iterations) and both keys unwrapped. */
window.waselUnlockBench = async (runs) => {
  const { wrapped } = await createVault('a long pass phrase');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [ms, keys] = await timed(() => openVault('a long pass phrase', wrapped));
    if (keys === null) throw new Error('did not unlock');
    times.push(ms);
  }
  return times;
};

/**
 * The representative's device at scale (issue 6): `people` beneficiaries and `requests` cases, sealed as
 * the app stores them; then the time to the first page of the worklist and of a name-prefix search, with
 * the app's own code (records repository, worklist). Returns the times of `runs` rounds of each.
 */
window.waselDeviceBench = async (people, requests, runs) => {
  const cipher = createCipher(await randomKeys());
  const db = new WaselDb(`bench-device-${people}`);
  await db.open();
  const families = ['الزهراني', 'القحطاني', 'الغامدي', 'العتيبي', 'الشهري', 'الحربي', 'المطيري', 'الدوسري'];
  const given = ['فاطمة', 'نورة', 'محمد', 'عبدالله', 'سارة', 'خالد', 'هند', 'ريم', 'سلمان', 'لمى'];
  const today = new Date().toISOString().slice(0, 10);
  const now = new Date().toISOString();
  const row = (entity: 'beneficiary' | 'case', i: number, data: Record<string, unknown>): LocalRecord => ({
    key: `${entity}:${entity}-${i}`,
    entity,
    recordId: `${entity}-${i}`,
    version: i + 1,
    deleted: false,
    data,
    pending: 0,
    updatedAt: now,
    parentId: '',
  });
  const batch = 5000;
  for (let start = 0; start < people; start += batch) {
    const rows = Array.from({ length: Math.min(batch, people - start) }, (_, k) => {
      const i = start + k;
      return row('beneficiary', i, {
        branchId: '8f1c2d3e-4f50-4a61-8b72-9c83d4e5f603',
        fullName: `${given[i % given.length] ?? ''} ${given[(i >> 3) % given.length] ?? ''} ${families[(i >> 5) % families.length] ?? ''} ${i}`,
        nationalId: String(1_000_000_000 + i * 7),
        mobile: `+9665${String(10_000_000 + i).padStart(8, '0')}`,
        // One in fifty has a visit planned today.
        ...(i % 50 === 0 ? { nextVisitOn: today } : {}),
      });
    });
    await db.records.bulkPut(await Promise.all(rows.map((r) => sealRecord(cipher, r))));
  }
  const statuses = ['draft', 'submitted', 'underResearch', 'awaitingDecision', 'accepted', 'closed'];
  for (let start = 0; start < requests; start += batch) {
    const rows = Array.from({ length: Math.min(batch, requests - start) }, (_, k) => {
      const i = start + k;
      const beneficiaryId = `beneficiary-${i % people}`;
      return {
        ...row('case', i, {
          beneficiaryId,
          number: `20261122-${i}`,
          status: statuses[i % statuses.length],
          reception: { at: now, by: 'bench' },
          deadline: { kind: 'dueBy', date: today },
        }),
        parentId: beneficiaryId,
      };
    });
    await db.records.bulkPut(await Promise.all(rows.map((r) => sealRecord(cipher, r))));
  }
  const repo = createRecordsRepository(db, cipher, {
    newId: () => crypto.randomUUID(),
    now: () => Date.now(),
  });
  const worklist: number[] = [];
  const search: number[] = [];
  for (let r = 0; r < runs; r++) {
    const [worklistMs, items] = await timed(async () => {
      const page = await loadWorklist(repo, { today, holidays: [], limit: 50 });
      return page.items;
    });
    if (items.length === 0) throw new Error('empty worklist');
    worklist.push(worklistMs);
    const [searchMs, found] = await timed(() =>
      repo.search('beneficiary', `سلم ${families[r % families.length] ?? ''}`, 50),
    );
    if (found.kind !== 'results' || found.records.length === 0) throw new Error('search found nothing');
    search.push(searchMs);
  }
  await db.delete();
  return { worklist, search };
};
