// One person's records are listed by index ([entity+parentId]), not by scanning every record of the
// entity; what is stored is sealed, the parent and the order in the clear.
import { expect, it } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';
import { createCipher, randomKeys } from '../../src/db/vault';

const a = '4f1c2d3e-4f50-4a61-8b72-9c83d4e5f601';
const b = '4f1c2d3e-4f50-4a61-8b72-9c83d4e5f602';

it("lists one beneficiary's records, newest first, without deleted ones", async () => {
  const db = new WaselDb('wasel-records-index');
  let clock = Date.parse('2026-11-22T09:00:00Z');
  let n = 0;
  const repo = createRecordsRepository(db, createCipher(await randomKeys()), {
    newId: () => `00000000-0000-4000-8000-${String((n += 1)).padStart(12, '0')}`,
    now: () => (clock += 1000),
  });
  await repo.save('interaction', 'i1', { beneficiaryId: a, summary: 'first' });
  await repo.save('interaction', 'i2', { beneficiaryId: b, summary: 'other person' });
  await repo.save('interaction', 'i3', { beneficiaryId: a, summary: 'second' });
  await repo.save('interaction', 'i4', { beneficiaryId: a, summary: 'deleted' });
  await repo.remove('interaction', 'i4');
  await repo.save('attachment', 'f1', { beneficiaryId: a, sha256: 'x' });

  expect((await repo.listOf('interaction', a)).map((r) => r.data?.summary)).toEqual(['second', 'first']);
  expect((await repo.listOf('interaction', b)).map((r) => r.recordId)).toEqual(['i2']);
  expect((await repo.listOf('attachment', a)).map((r) => r.recordId)).toEqual(['f1']);
  const stored = await db.records.get('interaction:i1');
  expect(stored).toMatchObject({ parentId: a, entity: 'interaction', pending: 1 });
  expect(stored && 'data' in stored).toBe(false);
  expect(new TextDecoder().decode(new Uint8Array(stored?.sealed?.ct ?? new ArrayBuffer(0)))).not.toContain(
    'first',
  );
  await db.delete();
});

it('pages the newest beneficiaries, and searches in the buckets of every word, a page at a time', async () => {
  const db = new WaselDb('wasel-records-page');
  let clock = Date.parse('2026-11-22T09:00:00Z');
  const repo = createRecordsRepository(db, createCipher(await randomKeys()), {
    newId: () => crypto.randomUUID(),
    now: () => (clock += 1000),
  });
  const names = [
    'سلمان الزهراني',
    'سلمى الزهراني',
    'سلمان القحطاني',
    'نورة الزهراني',
    'سلمان الزهراني الصغير',
  ];
  for (const [i, fullName] of names.entries()) await repo.save('beneficiary', `p${i}`, { fullName });
  await repo.remove('beneficiary', 'p4');

  const first = await repo.page('beneficiary', 2);
  expect(first.records.map((r) => r.recordId)).toEqual(['p3', 'p2']);
  expect(first.more).toBe(true);
  expect((await repo.page('beneficiary', 10)).more).toBe(false);

  const both = await repo.search('beneficiary', 'سلم الزهر');
  expect(both.kind === 'results' && both.records.map((r) => r.recordId)).toEqual(['p1', 'p0']);
  // A page of one is one of the matches; bigger pages hold the smaller ones.
  const matches = ['p0', 'p1', 'p2'];
  const one = await repo.search('beneficiary', 'سلم', 1);
  const two = await repo.search('beneficiary', 'سلم', 2);
  const ids = (r: typeof one) => (r.kind === 'results' ? r.records.map((x) => x.recordId) : []);
  expect(ids(one)).toHaveLength(1);
  expect(matches).toContain(ids(one)[0]);
  expect(ids(two)).toEqual(expect.arrayContaining(ids(one)));
  expect(ids(await repo.search('beneficiary', 'سلم', 10)).sort()).toEqual(matches);

  // Past the first slice of keys: a bucket of hundreds is read in growing slices, and nothing is missed.
  for (let i = 0; i < 400; i++) await repo.save('beneficiary', `q${i}`, { fullName: `سلمان الحربي ${i}` });
  await repo.save('beneficiary', 'z-last', { fullName: 'سلمان العتيبي' });
  const many = await repo.search('beneficiary', 'سلم', 1000);
  expect(ids(many)).toHaveLength(404);
  expect(ids(await repo.search('beneficiary', 'سلمان العتيب'))).toEqual(['z-last']);
  await db.delete();
});

it('gives rows sealed before the agenda index their entries once, after unlock, leaving newer rows alone', async () => {
  const db = new WaselDb('wasel-records-reindex');
  const repo = createRecordsRepository(db, createCipher(await randomKeys()), {
    newId: () => crypto.randomUUID(),
    now: () => Date.parse('2026-11-22T09:00:00Z'),
  });
  await repo.save('beneficiary', a, { fullName: 'نورة', nextVisitOn: '2026-11-22' });
  await repo.save('case', b, {
    beneficiaryId: a,
    status: 'draft',
    reception: { at: '2026-11-20T08:00:00Z' },
  });
  // As a version-1 build left them: no agenda entries.
  for (const key of [`beneficiary:${a}`, `case:${b}`]) {
    const row = await db.records.get(key);
    if (row === undefined) throw new Error('missing');
    delete row.agenda;
    await db.records.put(row);
  }
  expect(await repo.agendaCount('visit:', 'visit:\uffff')).toBe(0);

  expect(await repo.reindexAgenda()).toBe(2);
  expect((await db.records.get(`beneficiary:${a}`))?.agenda).toEqual(['visit:2026-11-22']);
  expect((await db.records.get(`case:${b}`))?.agenda).toEqual([`draft:2026-11-20T08:00:00Z:${a}`]);
  expect(await repo.agenda('draft:', 'draft:\uffff')).toEqual([
    { entry: `draft:2026-11-20T08:00:00Z:${a}`, key: `case:${b}` },
  ]);
  // Once is enough: the device remembers it is done.
  expect(await repo.reindexAgenda()).toBe(0);
  await db.delete();
});
