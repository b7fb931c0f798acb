// One person's records are listed by index ([entity+parentId]), not by scanning every record of the
// entity; what is stored is sealed, the parent and the order in the clear.
import { expect, it } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createCipher, randomKeys } from '../../src/db/vault';
import type { SearchResult } from '../../src/db/record-index';
import { createRecordsRepository } from '../../src/db/records-repository';
import { INDEX_VERSION } from '../../src/db/sealing';

const ids = (r: SearchResult) => (r.kind === 'results' ? r.records.map((x) => x.recordId) : []);

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

it('gives rows sealed by an older build the index entries of this one once, after unlock', async () => {
  const db = new WaselDb('wasel-records-reindex');
  const repo = createRecordsRepository(db, createCipher(await randomKeys()), {
    newId: () => crypto.randomUUID(),
    now: () => Date.parse('2026-11-22T09:00:00Z'),
  });
  await repo.save('beneficiary', a, { fullName: 'نورة', nextVisitOn: '2026-11-22', category: 'orphans' });
  await repo.save('case', b, {
    beneficiaryId: a,
    status: 'draft',
    reception: { at: '2026-11-20T08:00:00Z' },
  });
  // Many more rows than one slice of the reindex, half of them left as an older build sealed them.
  for (let i = 0; i < 600; i++)
    await repo.save('beneficiary', `p${String(i).padStart(3, '0')}`, { fullName: `سالم ${i}` });
  const current = await db.records.toArray();
  // As a version-1 build left them: no agenda entries, no filter tags, no index version.
  const old = current.filter((r, i) => r.key === `beneficiary:${a}` || r.key === `case:${b}` || i % 2 === 0);
  for (const row of old) {
    delete row.agenda;
    delete row.indexed;
    // The filter tags are the last entries (after the search buckets).
    row.tokens = row.tokens.slice(0, row.entity === 'beneficiary' ? -2 : undefined);
    await db.records.put(row);
  }
  expect(await repo.agendaCount('visit:', 'visit:\uffff')).toBe(0);
  expect(ids(await repo.search('beneficiary', '', 10, { category: 'orphans' }))).toEqual([]);

  expect(await repo.reindex()).toBe(old.length);
  expect((await db.records.get(`beneficiary:${a}`))?.agenda).toEqual(['visit:2026-11-22']);
  expect((await db.records.get(`case:${b}`))?.agenda).toEqual([`draft:2026-11-20T08:00:00Z:${a}`]);
  expect(await repo.agenda('draft:', 'draft:\uffff')).toEqual([
    { entry: `draft:2026-11-20T08:00:00Z:${a}`, key: `case:${b}` },
  ]);
  expect(ids(await repo.search('beneficiary', '', 10, { category: 'orphans' }))).toEqual([a]);
  // Every beneficiary now carries its filter tags: none has a category, so 600 are "none".
  expect(ids(await repo.search('beneficiary', '', 1000, { category: 'none' }))).toHaveLength(600);
  expect((await db.records.toArray()).every((r) => r.indexed === INDEX_VERSION)).toBe(true);
  // Once is enough: the device remembers it is done.
  expect(await repo.reindex()).toBe(0);
  await db.delete();
});

it('filters beneficiaries by category and by a complete registration, alone or with a search, through the index', async () => {
  const db = new WaselDb('wasel-records-filters');
  const repo = createRecordsRepository(db, createCipher(await randomKeys()), {
    newId: () => crypto.randomUUID(),
    now: () => Date.parse('2026-11-22T09:00:00Z'),
  });
  const complete = {
    idExpiry: '2030-01-01',
    address: {
      buildingNumber: '2929',
      street: 's',
      district: 'd',
      city: 'c',
      postalCode: '12345',
      additionalNumber: '7223',
    },
    preferredChannel: 'phone',
    consent: {
      noticeVersion: '1',
      givenAt: '2026-11-22T09:00:00Z',
      recordedBy: a,
      viaHeadOfHousehold: false,
    },
  };
  await repo.save('beneficiary', 'whole', { fullName: 'سارة أحمد', category: 'families', ...complete });
  await repo.save('beneficiary', 'no-consent', {
    fullName: 'سارة علي',
    category: 'families',
    ...complete,
    consent: undefined,
  });
  await repo.save('beneficiary', 'orphan', { fullName: 'سالم خالد', category: 'orphans', ...complete });
  await repo.save('beneficiary', 'bare', { fullName: 'سارة محمد' });
  const list = async (query: string, filter: Parameters<typeof repo.search>[3]) =>
    ids(await repo.search('beneficiary', query, 100, filter)).sort();

  expect(await list('', { file: 'complete' })).toEqual(['orphan', 'whole']);
  expect(await list('', { file: 'incomplete' })).toEqual(['bare', 'no-consent']);
  expect(await list('', { category: 'families' })).toEqual(['no-consent', 'whole']);
  expect(await list('', { category: 'none' })).toEqual(['bare']);
  expect(await list('', { category: 'families', file: 'incomplete' })).toEqual(['no-consent']);
  expect(await list('سارة', { file: 'incomplete' })).toEqual(['bare', 'no-consent']);
  expect(await list('سال', { category: 'families' })).toEqual([]);
  // A word too short to look up is said to be so, filter or not.
  expect((await repo.search('beneficiary', 'س', 100, { category: 'families' })).kind).toBe('tooShort');
  // A change moves a beneficiary between filters.
  await repo.save('beneficiary', 'bare', { fullName: 'سارة محمد', category: 'orphans', ...complete });
  expect(await list('', { category: 'orphans', file: 'complete' })).toEqual(['bare', 'orphan']);
  await db.delete();
});
