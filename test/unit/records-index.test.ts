// One person's records are listed by index ([entity+parentId]), not by scanning every record of the
// entity; databases from before the index get it filled when they upgrade.
import { Dexie } from 'dexie';
import { expect, it } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';

const a = '4f1c2d3e-4f50-4a61-8b72-9c83d4e5f601';
const b = '4f1c2d3e-4f50-4a61-8b72-9c83d4e5f602';

it("lists one beneficiary's records, newest first, without deleted ones", async () => {
  const db = new WaselDb('wasel-records-index');
  let clock = Date.parse('2026-11-22T09:00:00Z');
  let n = 0;
  const repo = createRecordsRepository(db, {
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
  await db.delete();
});

it('a database from version 4 gets the parent of every record when it opens', async () => {
  const old = new Dexie('wasel-records-upgrade');
  old.version(4).stores({ meta: 'key', records: 'key, [entity+updatedAt], *tokens' });
  await old.table('records').put({
    key: `interaction:i1`,
    entity: 'interaction',
    recordId: 'i1',
    version: 3,
    deleted: false,
    data: { beneficiaryId: a, summary: 'kept from before' },
    pending: 0,
    updatedAt: '2026-11-01T09:00:00.000Z',
    tokens: [],
  });
  old.close();

  const db = new WaselDb('wasel-records-upgrade');
  const repo = createRecordsRepository(db, { newId: () => 'x', now: () => 0 });
  expect((await repo.listOf('interaction', a)).map((r) => r.data?.summary)).toEqual(['kept from before']);
  await db.delete();
});
