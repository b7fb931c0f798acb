// Bundled by the benchmark and run inside Chromium: the app's own sealing code against the same records
// stored without it. Exposes `window.waselEncryptionBench(n)` and `window.waselUnlockBench(runs)`.
import { WaselDb, type LocalRecord, type StoredRecord } from '../../src/db/database';
import { openRecord, sealRecord } from '../../src/db/records-repository';
import { createCipher, createVault, openVault, randomKeys, type Cipher } from '../../src/db/vault';
import { searchTokens } from '../../src/domain/arabic-search';

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

/** The same rows without sealing: the data in the clear, the plain search tokens in the index. */
function plain(record: LocalRecord): StoredRecord & { data: unknown } {
  const data = record.data ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    ...record,
    sealed: null,
    data,
    tokens: searchTokens({
      names: [text(data.fullName)],
      nationalId: text(data.nationalId),
      mobile: text(data.mobile),
    }),
  };
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
  const [plainWriteMs] = await timed(() => plainDb.records.bulkPut(rows.map(plain)));
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
