// After intake (src/state/intake.ts, src/state/queues.ts): the research officer's queue and report
// (C-PROC-3), the deciding body's queue and decision with its reason (C-PROC-5, K-PROC-e), each read
// through the agenda index and saved as records that sync. Named by the clauses they prove.
import { describe, expect, it } from 'vitest';
import { profiles } from '../../src/domain/profiles/associations';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import { privacyNotice } from '../../src/domain/privacy-notice';
import { requestOf } from '../../src/state/intake';
import { loadQueue } from '../../src/state/queues';
import { nationalAddress } from '../fixtures';
import { deviceIntake } from './device-intake';

// Sunday 22 November 2026, 10:00 in Riyadh.
const clock = Date.parse('2026-11-22T07:00:00Z');
const ids = { rep: crypto.randomUUID(), researcher: crypto.randomUUID(), committee: crypto.randomUUID() };

async function setup() {
  const profile = profiles.kadi as PolicyProfile;
  const { db, records, files, as, outbox } = await deviceIntake('casework', profile, clock);
  const rep = as('representative', ids.rep);
  const researcher = as('researcher', ids.researcher);
  const committee = as('committee', ids.committee);
  const attach = (
    kind: 'document' | 'signature',
    beneficiaryId: string,
    caseId: string,
    requirementId: string | null,
  ) =>
    files.attach({
      data: new TextEncoder().encode(`${kind} ${requirementId ?? ''} of ${caseId}`).buffer,
      mimeType: kind === 'document' ? 'image/jpeg' : 'image/png',
      kind,
      beneficiaryId,
      caseId,
      requirementId,
    });
  /**
   * A request for a new beneficiary (every field recorded, consent to the current notice), taken through
   * intake with every document photographed and signed, and submitted (complete) by the representative.
   */
  const submitted = async (fullName: string) => {
    const beneficiaryId = crypto.randomUUID();
    await records.save('beneficiary', beneficiaryId, {
      fullName,
      nationalId: '1000000008',
      mobile: '+966501234567',
      idExpiry: '2030-01-01',
      address: { ...nationalAddress },
      consent: {
        noticeVersion: privacyNotice.version,
        givenAt: new Date(clock).toISOString(),
        recordedBy: ids.rep,
        viaHeadOfHousehold: false,
      },
    });
    await records.save('household_member', crypto.randomUUID(), {
      beneficiaryId,
      relation: 'daughter',
      monthlyIncome: 1200,
    });
    const caseId = await rep.start(beneficiaryId);
    const service = profile.serviceTypes[0];
    if (service === undefined) throw new Error('no service');
    await rep.apply(caseId, { type: 'receptionDone' });
    for (const r of service.requirements.filter((q) => q.kind === 'document'))
      await attach('document', beneficiaryId, caseId, r.id);
    await rep.chooseService(caseId, service.id);
    await rep.apply(caseId, { type: 'verified' });
    const request = requestOf(await records.get('case', caseId));
    if (request === undefined) throw new Error('no request');
    await rep.apply(caseId, {
      type: 'declarationSigned',
      dataHash: await rep.dataHash(caseId, request),
      signatureHash: (await attach('signature', beneficiaryId, caseId, null)).sha256,
      signerName: fullName,
    });
    const result = await rep.apply(caseId, { type: 'submit' });
    if (!result.ok) throw new Error(result.code);
    return { caseId, beneficiaryId };
  };
  const statusOf = async (caseId: string) => requestOf(await records.get('case', caseId))?.status;
  return { db, records, rep, researcher, committee, submitted, statusOf, outbox };
}

const report = {
  visitDate: '2026-11-22',
  findings: 'أسرة من خمسة أفراد في شقة مستأجرة',
  needs: 'سلة غذائية شهرية',
  recommendation: 'accept' as const,
};

describe('research and decision', () => {
  it('C-PROC-3 what is referred to a researcher by name comes first in their queue, a draft too', async () => {
    const { records } = await setup();
    const person = crypto.randomUUID();
    await records.save('beneficiary', person, { fullName: 'سارة القحطاني', nationalId: '1000000008' });
    const request = (number: string, data: Record<string, unknown>) =>
      records.save('case', crypto.randomUUID(), {
        beneficiaryId: person,
        number,
        serviceTypeId: null,
        ...data,
      });
    const referred = (to: string, at: string) => ({ referral: { at, by: ids.rep, reason: 'سبب', to } });
    await request('R-1', { status: 'submitted', submittedAt: '2026-11-01' });
    await request('R-2', {
      status: 'submitted',
      submittedAt: '2026-11-10',
      ...referred(ids.researcher, '2026-11-09T08:00:00Z'),
    });
    await request('R-3', {
      status: 'draft',
      reception: { at: '2026-11-20T08:00:00Z', by: ids.rep },
      ...referred(ids.researcher, '2026-11-20T09:00:00Z'),
    });
    await request('R-4', {
      status: 'submitted',
      submittedAt: '2026-11-05',
      ...referred(crypto.randomUUID(), '2026-11-04T08:00:00Z'),
    });
    const mine = await loadQueue(records, 'research', 50, ids.researcher);
    expect(mine.items.map((i) => [i.number, i.assignedToMe])).toEqual([
      ['R-2', true],
      ['R-3', true],
      ['R-1', false],
      ['R-4', false],
    ]);
    expect(mine.total).toBe(4);
    // Another reader's queue: longest waiting first, as before, and no draft.
    const theirs = await loadQueue(records, 'research', 50, crypto.randomUUID());
    expect(theirs.items.map((i) => i.number)).toEqual(['R-1', 'R-4', 'R-2']);
    expect(theirs.total).toBe(3);
    // A page shorter than what is referred: the drafts beyond it still count in the total.
    const firstOnly = await loadQueue(records, 'research', 1, ids.researcher);
    expect(firstOnly.items.map((i) => i.number)).toEqual(['R-2']);
    expect(firstOnly.total).toBe(4);
  });

  it("C-PROC-3 C-TOOL-2 C-OBJ-1 a submitted request waits in the researcher's queue; the report of the home visit sends it to the decision", async () => {
    const { records, researcher, submitted, statusOf, outbox } = await setup();
    const first = await submitted('نوال الحربي');
    const second = await submitted('هند العتيبي');
    const queue = await loadQueue(records, 'research', 50);
    expect(queue.total).toBe(2);
    expect(queue.items.map((i) => i.name).sort()).toEqual(['نوال الحربي', 'هند العتيبي']);
    expect(queue.items[0]).toMatchObject({
      status: 'submitted',
      deadline: { kind: 'dueBy', date: '2026-12-13' },
    });

    // A report missing its findings is refused with the field named, and nothing is saved.
    expect(await researcher.report(first.caseId, { ...report, findings: ' ' })).toEqual({
      ok: false,
      code: 'report_incomplete',
      missing: ['findings'],
    });
    expect(await statusOf(first.caseId)).toBe('submitted');
    expect((await records.page('research_report', 10)).records).toHaveLength(0);

    const queued = (await outbox()).length;
    const done = await researcher.report(first.caseId, report);
    expect(done).toMatchObject({ ok: true, request: { status: 'awaitingDecision' } });
    const saved = (await records.page('research_report', 10)).records;
    expect(saved.map((r) => r.data)).toEqual([{ caseId: first.caseId, ...report, by: ids.researcher }]);
    const reportId = saved[0]?.recordId;
    expect(done.ok && done.request.researchReportId).toBe(reportId);
    // The research started, then the report saved with the step that completes it, in one transaction:
    // the report's entry and the step's, one after the other.
    const [started, written, completed, ...rest] = (await outbox()).slice(queued);
    expect(rest).toEqual([]);
    expect(started).toMatchObject({ entity: 'case', op: 'event', event: { type: 'researchStarted' } });
    expect(written).toMatchObject({ entity: 'research_report', op: 'upsert', recordId: reportId });
    expect(completed).toMatchObject({
      entity: 'case',
      op: 'event',
      recordId: first.caseId,
      event: { type: 'researchCompleted', reportId },
      seq: (written?.seq ?? 0) + 1,
    });
    // It left the research queue for the decision queue.
    expect((await loadQueue(records, 'research', 50)).items.map((i) => i.caseId)).toEqual([second.caseId]);
    expect((await loadQueue(records, 'decide', 50)).items.map((i) => i.caseId)).toEqual([first.caseId]);
  });

  it('C-PROC-3 only the research officer reports, and only on a request awaiting research', async () => {
    const { rep, researcher, submitted, statusOf } = await setup();
    const { caseId } = await submitted('نوال الحربي');
    expect(await rep.report(caseId, report)).toMatchObject({ ok: false, code: 'case_forbidden_role' });
    expect(await statusOf(caseId)).toBe('submitted');
    await researcher.report(caseId, report);
    expect(await researcher.report(caseId, report)).toMatchObject({ ok: false, code: 'case_wrong_status' });
  });

  it('C-PROC-3 the research completes only with its report on record', async () => {
    const { researcher, submitted, statusOf } = await setup();
    const { caseId } = await submitted('نوال الحربي');
    expect(await researcher.apply(caseId, { type: 'researchStarted' })).toMatchObject({ ok: true });
    expect(
      await researcher.apply(caseId, { type: 'researchCompleted', reportId: crypto.randomUUID() }),
    ).toEqual({ ok: false, code: 'case_report_missing', missing: [] });
    expect(await statusOf(caseId)).toBe('underResearch');
    // Reported from there (the request already under research), the step goes with its report.
    expect(await researcher.report(caseId, report)).toMatchObject({
      ok: true,
      request: { status: 'awaitingDecision' },
    });
  });

  it('C-PROC-5 K-PROC-e the deciding body decides with a reason, recorded as a decision; the decision is then to be told', async () => {
    const { records, researcher, committee, rep, submitted, statusOf } = await setup();
    const { caseId, beneficiaryId } = await submitted('نوال الحربي');
    await researcher.report(caseId, report);
    // No reason, no decision; a representative never decides. Nothing is saved either way.
    expect(await committee.decide(caseId, 'accepted', '  ', { amount: 1500 })).toMatchObject({
      ok: false,
      code: 'case_reason_required',
    });
    expect(await rep.decide(caseId, 'accepted', 'مستحق', { amount: 1500 })).toMatchObject({
      ok: false,
      code: 'case_forbidden_role',
    });
    expect((await records.page('decision', 10)).records).toHaveLength(0);
    expect(await statusOf(caseId)).toBe('awaitingDecision');

    expect(await committee.decide(caseId, 'accepted', 'مستوفٍ للمعايير', { amount: 1500 })).toMatchObject({
      ok: true,
      request: {
        status: 'accepted',
        decision: { outcome: 'accepted', reason: 'مستوفٍ للمعايير', by: ids.committee },
      },
    });
    expect((await records.page('decision', 10)).records.map((r) => r.data)).toEqual([
      {
        caseId,
        outcome: 'accepted',
        reason: 'مستوفٍ للمعايير',
        decidedAt: new Date(clock).toISOString(),
        by: ids.committee,
        grant: { amount: 1500 },
      },
    ]);
    expect((await loadQueue(records, 'decide', 50)).total).toBe(0);
    // The representative's worklist now has a decision to tell, for this beneficiary.
    expect(await records.agenda('tell:', 'tell:\uffff')).toEqual([
      { entry: `tell:${new Date(clock).toISOString()}:${beneficiaryId}`, key: `case:${caseId}` },
    ]);
  });
});
