// The worklist read through the agenda index (loadWorklist) against the plain definition (worklistOf) over
// every record: on random devices, the same items of each kind, in the same order of kinds and dates, the
// same counts — while the index read opens only the records of the page.
import { describe, expect, it } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';
import { createCipher, randomKeys } from '../../src/db/vault';
import { caseStatuses } from '../../src/domain/case-machine';
import { addCalendarDays } from '../../src/domain/working-days';
import { loadWorklist, workOrder, worklistOf, type WorkItem } from '../../src/state/worklist';

const today = '2026-11-22';
const holidays = ['2026-11-24', '2026-11-26'];

/** A small deterministic generator (mulberry32), so that a failure can be replayed from its seed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function device(seed: number) {
  const db = new WaselDb(`wasel-worklist-index-${seed}`);
  let n = 0;
  const repo = createRecordsRepository(db, createCipher(await randomKeys()), {
    newId: () => `00000000-0000-4000-8000-${String((n += 1)).padStart(12, '0')}`,
    now: () => Date.parse('2026-11-22T06:00:00Z') + n * 1000,
  });
  const rnd = random(seed);
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const day = () => addCalendarDays(today, Math.floor(rnd() * 30) - 15);
  const people = Array.from({ length: 12 }, (_, i) => `b${i}`);
  for (const id of people)
    await repo.save('beneficiary', id, {
      fullName: `مستفيد ${id}`,
      nextVisitOn: rnd() < 0.4 ? day() : rnd() < 0.5 ? null : undefined,
    });
  for (let i = 0; i < 25; i++)
    await repo.save('interaction', `i${i}`, {
      beneficiaryId: pickOf(people),
      summary: 'اتصال',
      occurredAt: `${day()}T08:00:00Z`,
      ...(rnd() < 0.5 ? { followUpOn: day() } : {}),
    });
  for (let i = 0; i < 40; i++) {
    const status = pickOf(caseStatuses);
    await repo.save('case', `c${i}`, {
      beneficiaryId: pickOf(people),
      number: `N${i}`,
      status,
      reception: { at: `2026-11-${String(1 + (i % 20)).padStart(2, '0')}T09:00:00Z`, by: 'u' },
      deadline: rnd() < 0.2 ? null : { kind: rnd() < 0.6 ? 'dueBy' : 'notBefore', date: day() },
      decision:
        status === 'accepted' || status === 'rejected' ? { at: `2026-11-${10 + (i % 9)}T09:00:00Z` } : null,
      ...(rnd() < 0.3
        ? { decisionTold: { at: '2026-11-20T09:00:00Z', by: 'u', channel: 'sms', notificationId: 'n' } }
        : {}),
    });
  }
  // Some records are deleted: they are on no list.
  await repo.remove('beneficiary', 'b11');
  await repo.remove('case', 'c0');
  await repo.remove('interaction', 'i0');
  return { db, repo };
}

const shape = (i: WorkItem) => `${i.kind}|${i.beneficiaryId}|${i.caseId ?? ''}|${i.date ?? ''}`;

describe('the worklist through the agenda index', () => {
  it.each([1, 2, 3, 4, 5])(
    'C-GOAL C-OBJ-4 K-PROC-f gives what worklistOf gives over every record (seed %i)',
    async (seed) => {
      const { db, repo } = await device(seed);
      const [beneficiaries, cases, interactions] = await Promise.all([
        repo.list('beneficiary'),
        repo.list('case'),
        repo.list('interaction'),
      ]);
      const expected = worklistOf({ beneficiaries, cases, interactions, today, holidays });
      const all = await loadWorklist(repo, { today, holidays, limit: 10_000 });

      expect(expected.length).toBeGreaterThan(10);
      expect(all.total).toBe(expected.length);
      for (const kind of workOrder)
        expect(all.counts[kind], kind).toBe(expected.filter((i) => i.kind === kind).length);
      expect(all.items.map(shape).sort()).toEqual(expected.map(shape).sort());
      // The same order of kinds and, within a kind, of dates.
      expect(all.items.map((i) => `${i.kind}|${i.date ?? ''}`)).toEqual(
        expected.map((i) => `${i.kind}|${i.date ?? ''}`),
      );
      // Names and numbers come with the items shown.
      for (const item of all.items) {
        expect(item.name).toBe(item.beneficiaryId === 'b11' ? '' : `مستفيد ${item.beneficiaryId}`);
        if (item.caseId !== null) expect(item.number).toBe(`N${item.caseId.slice(1)}`);
      }

      // A page is the head of the whole list; the counts are still of everything.
      const page = await loadWorklist(repo, { today, holidays, limit: 7 });
      expect(page.items.map(shape)).toEqual(all.items.slice(0, 7).map(shape));
      expect(page.counts).toEqual(all.counts);
      await db.delete();
    },
  );

  it('C-GOAL a visit planned, a follow-up answered and a decision told move the worklist as they happen', async () => {
    const { db, repo } = await device(9);
    const before = await loadWorklist(repo, { today, holidays, limit: 100 });
    await repo.save('beneficiary', 'b0', { nextVisitOn: today });
    const after = await loadWorklist(repo, { today, holidays, limit: 100 });
    expect(after.items.some((i) => i.kind === 'visitToday' && i.beneficiaryId === 'b0')).toBe(true);
    // A contact today answers every follow-up due of that person.
    const follow = after.items.find((i) => i.kind === 'followUp');
    if (follow !== undefined) {
      await repo.save('interaction', 'i-now', {
        beneficiaryId: follow.beneficiaryId,
        summary: 'زيارة',
        occurredAt: `${today}T10:00:00Z`,
      });
      const answered = await loadWorklist(repo, { today, holidays, limit: 100 });
      expect(
        answered.items.filter((i) => i.kind === 'followUp' && i.beneficiaryId === follow.beneficiaryId),
      ).toEqual([]);
    }
    const decided = before.items.find((i) => i.kind === 'decisionToTell');
    expect(decided).toBeDefined();
    await repo.save('case', decided?.caseId ?? '', {
      decisionTold: { at: '2026-11-22T10:00:00Z', by: 'u', channel: 'sms', notificationId: 'n' },
    });
    const told = await loadWorklist(repo, { today, holidays, limit: 100 });
    expect(told.counts.decisionToTell).toBe(before.counts.decisionToTell - 1);
    await db.delete();
  });
});
