// Complaints on the device (src/state/complaints.ts): taken by any member of staff from any channel,
// handled by the follow-up unit with the response time measured, settled amicably or escalated to a
// compensation case kept by the follow-up unit and the committee. Named by the clauses they prove.
import { describe, expect, it } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';
import { createCipher, randomKeys } from '../../src/db/vault';
import type { Role } from '../../src/protocol/auth';
import {
  compensationOf,
  complaintOf,
  createComplaints,
  createCompensations,
} from '../../src/state/complaints';

async function setup() {
  let clock = Date.parse('2026-11-22T07:00:00Z');
  const db = new WaselDb(`complaints-${crypto.randomUUID()}`);
  const records = createRecordsRepository(db, createCipher(await randomKeys()), {
    newId: () => crypto.randomUUID(),
    now: () => clock,
  });
  const deps = (role: Role) => ({
    records,
    associationCode: 'kadi',
    actor: { id: crypto.randomUUID(), role },
    now: () => clock,
    newId: () => crypto.randomUUID(),
  });
  return {
    records,
    rep: createComplaints(deps('representative')),
    followUp: createComplaints(deps('supervisor')),
    committee: createCompensations(deps('committee')),
    repFile: createCompensations(deps('representative')),
    advance: (ms: number) => (clock += ms),
  };
}

const input = {
  channel: 'phone',
  kind: 'complaint' as const,
  text: 'لم يصلني رد على طلبي',
  beneficiaryId: null,
  name: 'سارة',
  mobile: '+966501234567',
};
const HOUR = 60 * 60 * 1000;

describe('complaints (K-CMPL-a..c)', () => {
  it('K-CMPL-a a complaint from any channel, with a reference; refused without its text', async () => {
    const { rep, records } = await setup();
    expect(await rep.record({ ...input, text: '  ' })).toEqual({ ok: false, code: 'text_required' });
    const taken = await rep.record(input);
    if (!taken.ok) throw new Error('refused');
    expect(taken.reference).toMatch(/^KADI-[2-9A-HJ-NP-Z]{10}$/);
    expect(complaintOf(await records.get('complaint', taken.id))).toMatchObject({
      channel: 'phone',
      complainant: { name: 'سارة', mobile: '+966501234567' },
      firstResponseAt: null,
      resolution: null,
    });
    // The mobile as people type it is kept as E.164; one that is no Saudi mobile is refused, before sync
    // could refuse it.
    const typed = await rep.record({ ...input, mobile: '٠٥٠ ١٢٣ ٤٥٦٧' });
    if (!typed.ok) throw new Error('refused');
    expect(complaintOf(await records.get('complaint', typed.id))?.complainant?.mobile).toBe('+966501234567');
    expect(await rep.record({ ...input, mobile: '12345' })).toEqual({ ok: false, code: 'mobile_invalid' });
    // Answering and settling are the follow-up unit's.
    expect(await rep.respond(taken.id, 'سنعاود الاتصال')).toEqual({ ok: false, code: 'forbidden' });
  });

  it('K-CMPL-a the response time runs from receipt to the first answer, and stops there', async () => {
    const { rep, followUp, advance } = await setup();
    const first = await rep.record(input);
    advance(HOUR);
    const second = await rep.record({ ...input, kind: 'suggestion', text: 'اقتراح' });
    if (!first.ok || !second.ok) throw new Error('refused');
    advance(2 * HOUR);
    expect(await followUp.respond(first.id, 'اتصلنا بها')).toEqual({ ok: true, id: first.id });
    advance(5 * HOUR);
    await followUp.respond(first.id, 'أُحيل الطلب للبحث');
    const items = await followUp.list();
    // Both open: the longest waiting first.
    expect(items.map((i) => [i.id, i.state, i.waitedMs / HOUR])).toEqual([
      [first.id, 'answered', 3],
      [second.id, 'received', 7],
    ]);
    expect(items[0]?.complaint.handling?.map((h) => h.note)).toEqual(['اتصلنا بها', 'أُحيل الطلب للبحث']);
  });

  it('K-CMPL-c settled amicably with its summary; a settled complaint is not handled again', async () => {
    const { rep, followUp } = await setup();
    const taken = await rep.record(input);
    if (!taken.ok) throw new Error('refused');
    expect(await followUp.resolve(taken.id, 'amicable', ' ')).toEqual({ ok: false, code: 'text_required' });
    expect(await followUp.resolve(taken.id, 'amicable', 'عولج الطلب واعتذرنا')).toEqual({
      ok: true,
      id: taken.id,
    });
    const [item] = await followUp.list();
    expect(item?.state).toBe('resolved');
    // Settled without a separate answer: the settlement is the answer.
    expect(item?.complaint.firstResponseAt).toBe(item?.complaint.resolution?.at);
    expect(await followUp.respond(taken.id, 'x')).toEqual({ ok: false, code: 'already_resolved' });
  });

  it('K-COMP-a K-COMP-b K-COMP-c escalation opens a compensation case: minutes, approvals, ruling, negotiation, settlement', async () => {
    const { rep, followUp, committee, repFile, records } = await setup();
    const taken = await rep.record(input);
    if (!taken.ok) throw new Error('refused');
    const escalated = await followUp.resolve(taken.id, 'escalated', 'ضرر يستوجب التحقيق');
    if (!escalated.ok) throw new Error('refused');
    const compensationId = escalated.id;
    expect(complaintOf(await records.get('complaint', taken.id))?.compensationId).toBe(compensationId);
    expect(compensationOf(await records.get('compensation', compensationId))).toMatchObject({
      complaintId: taken.id,
      minutes: null,
      settlement: null,
    });

    expect(
      await committee.saveMinutes(compensationId, {
        date: '2026-11-25',
        harm: 'تأخر الصرف',
        size: '',
        causes: '',
      }),
    ).toEqual({ ok: false, code: 'missing', missing: ['size', 'causes'] });
    // No approval before there are minutes to approve.
    expect(await committee.approve(compensationId, 'رئيس اللجنة')).toEqual({ ok: false, code: 'not_found' });
    await committee.saveMinutes(compensationId, {
      date: '2026-11-25',
      harm: 'تأخر صرف المساعدة',
      size: 'شهران من المساعدة',
      causes: 'خطأ في الإحالة',
    });
    await committee.approve(compensationId, 'رئيس اللجنة');
    await committee.approve(compensationId, 'عضو اللجنة');
    await committee.ruling(compensationId, 'قرار 1448/12');
    await committee.negotiate(compensationId, 'عرض صرف المستحق مع الاعتذار');
    await committee.settle(compensationId, 'صرف المستحق');
    expect(compensationOf(await records.get('compensation', compensationId))).toMatchObject({
      minutes: {
        harm: 'تأخر صرف المساعدة',
        approvals: [{ memberName: 'رئيس اللجنة' }, { memberName: 'عضو اللجنة' }],
      },
      rulingReference: 'قرار 1448/12',
      negotiation: [{ note: 'عرض صرف المستحق مع الاعتذار' }],
      settlement: { terms: 'صرف المستحق' },
    });
    expect(await repFile.negotiate(compensationId, 'x')).toEqual({ ok: false, code: 'forbidden' });
  });
});
