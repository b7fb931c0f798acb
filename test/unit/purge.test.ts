// What a device removes when a record arrives purged (src/sync/purge.ts): the record's dependants that
// the server never had go with it; a record the server has is left to its own tombstone — or kept, as a
// case is when retention destroys its beneficiary but keeps the financial records.
import { expect, it } from 'vitest';
import { recordKey, WaselDb } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';
import { openMutations, sealRecord } from '../../src/db/sealing';
import { createCipher, randomKeys } from '../../src/db/vault';
import { commitPurge, preparePurge } from '../../src/sync/purge';

it('takes the never-sent records hanging on a purged one, and empties their queued changes', async () => {
  const db = new WaselDb(`purge-${crypto.randomUUID()}`);
  const cipher = createCipher(await randomKeys());
  const repo = createRecordsRepository(db, cipher, {
    newId: () => crypto.randomUUID(),
    now: () => Date.now(),
  });
  const beneficiary = crypto.randomUUID();
  const syncedCase = crypto.randomUUID();
  const other = crypto.randomUUID();
  // As pulled from the server: the beneficiary, their closed case, and another person.
  const pulled = (
    entity: 'beneficiary' | 'case',
    recordId: string,
    version: number,
    data: Record<string, unknown>,
  ) =>
    sealRecord(cipher, {
      key: recordKey(entity, recordId),
      entity,
      recordId,
      version,
      deleted: false,
      data,
      pending: 0,
      updatedAt: '2026-11-22T08:00:00.000Z',
      parentId: '',
    });
  await db.records.bulkPut([
    await pulled('beneficiary', beneficiary, 5, { fullName: 'أروى' }),
    await pulled('case', syncedCase, 6, { beneficiaryId: beneficiary, status: 'closed' }),
    await pulled('beneficiary', other, 7, { fullName: 'ريما' }),
  ]);
  // Made on this device, not sent yet: a household member, and a report on a new case of theirs.
  const member = crypto.randomUUID();
  const newCase = crypto.randomUUID();
  const report = crypto.randomUUID();
  await repo.save('household_member', member, { beneficiaryId: beneficiary, relation: 'son' });
  await repo.save('case', newCase, { beneficiaryId: beneficiary, status: 'draft' });
  await repo.save('research_report', report, { caseId: newCase, findings: 'أسرة من ستة أفراد' });
  await repo.save('beneficiary', other, { mobile: '+966551234567' });

  const plan = await preparePurge(db, cipher, new Set([recordKey('beneficiary', beneficiary)]), () =>
    Date.now(),
  );
  expect(plan.dependants.sort()).toEqual(
    [
      recordKey('household_member', member),
      recordKey('case', newCase),
      recordKey('research_report', report),
    ].sort(),
  );
  // Three queued changes emptied, the other beneficiary's untouched.
  expect(plan.outbox.map((e) => e.recordId).sort()).toEqual([member, newCase, report].sort());
  await db.transaction(
    'rw',
    [db.records, db.outbox, db.acknowledged, db.conflicts, db.rejected, db.files],
    () => commitPurge(db, plan),
  );

  expect(await repo.get('household_member', member)).toBeUndefined();
  expect(await repo.get('research_report', report)).toBeUndefined();
  expect((await repo.get('case', syncedCase))?.data).toEqual({
    beneficiaryId: beneficiary,
    status: 'closed',
  });
  const queued = await openMutations(cipher, await db.outbox.orderBy('seq').toArray());
  expect(queued.map((m) => [m.seq, m.recordId, m.op, m.patch])).toEqual([
    [1, member, 'delete', {}],
    [2, newCase, 'delete', {}],
    [3, report, 'delete', {}],
    [4, other, 'upsert', { mobile: '+966551234567' }],
  ]);
  db.close();
});
