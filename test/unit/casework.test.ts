// After intake (src/state/intake.ts, src/state/queues.ts): the research officer's queue and report
// (C-PROC-3), the deciding body's queue and decision with its reason (C-PROC-5, K-PROC-e), each read
// through the agenda index and saved as records that sync. Named by the clauses they prove.
import { describe, expect, it } from 'vitest';
import { profiles } from '../../src/domain/profiles/associations';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import { WaselDb } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';
import { createCipher, randomKeys } from '../../src/db/vault';
import type { Role } from '../../src/protocol/auth';
import { createIntake, requestOf } from '../../src/state/intake';
import { loadQueue } from '../../src/state/queues';

// Sunday 22 November 2026, 10:00 in Riyadh.
const clock = Date.parse('2026-11-22T07:00:00Z');
const ids = { rep: crypto.randomUUID(), researcher: crypto.randomUUID(), committee: crypto.randomUUID() };

async function setup() {
  const db = new WaselDb(`casework-${crypto.randomUUID()}`);
  const records = createRecordsRepository(db, createCipher(await randomKeys()), {
    newId: () => crypto.randomUUID(),
    now: () => clock,
  });
  const profile = profiles.kadi as PolicyProfile;
  const as = (role: Role, id: string) =>
    createIntake({
      records,
      profile,
      actor: { id, role },
      now: () => clock,
      newId: () => crypto.randomUUID(),
    });
  const rep = as('representative', ids.rep);
  const researcher = as('researcher', ids.researcher);
  const committee = as('committee', ids.committee);
  /** A request for a new beneficiary, taken through intake and submitted (complete) by the representative. */
  const submitted = async (fullName: string) => {
    const beneficiaryId = crypto.randomUUID();
    await records.save('beneficiary', beneficiaryId, {
      fullName,
      nationalId: '1000000008',
      mobile: '+966501234567',
      idExpiry: '2030-01-01',
    });
    const caseId = await rep.start(beneficiaryId);
    const service = profile.serviceTypes[0];
    if (service === undefined) throw new Error('no service');
    await rep.apply(caseId, { type: 'receptionDone' });
    await rep.apply(caseId, { type: 'serviceChosen', serviceTypeId: service.id });
    for (const r of service.requirements) await rep.apply(caseId, { type: 'itemProvided', itemId: r.id });
    await rep.apply(caseId, { type: 'verified', problems: [] });
    const request = requestOf(await records.get('case', caseId));
    if (request === undefined) throw new Error('no request');
    await rep.apply(caseId, {
      type: 'declarationSigned',
      dataHash: await rep.dataHash(request),
      signatureHash: 'b'.repeat(64),
      signerName: fullName,
    });
    const result = await rep.apply(caseId, { type: 'submit' });
    if (!result.ok) throw new Error(result.code);
    return { caseId, beneficiaryId };
  };
  const statusOf = async (caseId: string) => requestOf(await records.get('case', caseId))?.status;
  return { db, records, rep, researcher, committee, submitted, statusOf };
}

const report = {
  visitDate: '2026-11-22',
  findings: 'أسرة من خمسة أفراد في شقة مستأجرة',
  needs: 'سلة غذائية شهرية',
  recommendation: 'accept' as const,
};

describe('research and decision', () => {
  it("C-PROC-3 C-TOOL-2 C-OBJ-1 a submitted request waits in the researcher's queue; the report of the home visit sends it to the decision", async () => {
    const { records, researcher, submitted, statusOf } = await setup();
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

    const done = await researcher.report(first.caseId, report);
    expect(done).toMatchObject({ ok: true, request: { status: 'awaitingDecision' } });
    const saved = (await records.page('research_report', 10)).records;
    expect(saved.map((r) => r.data)).toEqual([{ caseId: first.caseId, ...report, by: ids.researcher }]);
    expect(done.ok && done.request.researchReportId).toBe(saved[0]?.recordId);
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

  it('C-PROC-5 K-PROC-e the deciding body decides with a reason, recorded as a decision; the decision is then to be told', async () => {
    const { records, researcher, committee, rep, submitted, statusOf } = await setup();
    const { caseId, beneficiaryId } = await submitted('نوال الحربي');
    await researcher.report(caseId, report);
    // No reason, no decision; a representative never decides. Nothing is saved either way.
    expect(await committee.decide(caseId, 'accepted', '  ')).toMatchObject({
      ok: false,
      code: 'case_reason_required',
    });
    expect(await rep.decide(caseId, 'accepted', 'مستحق')).toMatchObject({
      ok: false,
      code: 'case_forbidden_role',
    });
    expect((await records.page('decision', 10)).records).toHaveLength(0);
    expect(await statusOf(caseId)).toBe('awaitingDecision');

    expect(await committee.decide(caseId, 'accepted', 'مستوفٍ للمعايير')).toMatchObject({
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
      },
    ]);
    expect((await loadQueue(records, 'decide', 50)).total).toBe(0);
    // The representative's worklist now has a decision to tell, for this beneficiary.
    expect(await records.agenda('tell:', 'tell:\uffff')).toEqual([
      { entry: `tell:${new Date(clock).toISOString()}:${beneficiaryId}`, key: `case:${caseId}` },
    ]);
  });
});
