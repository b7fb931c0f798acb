// A modified client against the server (issue 18): for every guard and every derived field of a request's
// named steps, the forgery is refused with its code and nothing of it is stored, and the honest sequence
// applies. Runs on PGlite (npm test) and PostgreSQL (npm run test:pg), over the HTTP API in-process.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeDeadline } from '../../src/domain/deadline';
import { requestNumber } from '../../src/domain/case-machine';
import { holidayTable } from '../../src/domain/holidays';
import { phoneComplaint } from '../fixtures';
import { useKadiTestApp } from './helpers';
import {
  AID_ITEMS,
  applicant,
  attachment,
  declaredHash,
  honestIntake,
  kadi,
  member,
  outcomeOf,
  setServerDate,
  stepClient,
  storedCase,
  TODAY,
  userIdOf,
} from './steps';

const env = useKadiTestApp();
const ids: Record<string, string> = {};

beforeAll(async () => {
  for (const name of ['kadi.rep1', 'kadi.rep2', 'kadi.researcher', 'kadi.committee', 'kadi.supervisor'])
    ids[name] = await userIdOf(env, name);
});
const id = (name: string) => ids[name] ?? '';

/** Pushes a forgery and checks it is refused with `code` while the request stays exactly as it was. */
async function refused(
  client: ReturnType<typeof stepClient>,
  caseId: string,
  mutation: Parameters<typeof client.push>[0][number],
  code: string,
) {
  const before = await storedCase(env, caseId);
  const [result] = await client.push([mutation]);
  expect(result === undefined ? 'none' : outcomeOf(result)).toBe(code);
  expect(await storedCase(env, caseId)).toEqual(before);
}

describe('a request changes only by named steps', () => {
  it('a request pushed as a plain record, "submitted" with its own deadline, is refused and not stored', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const beneficiaryId = randomUUID();
    const caseId = randomUUID();
    const [person] = await rep.push([
      rep.upsert('beneficiary', beneficiaryId, applicant(env.branch.b1 ?? '', id('kadi.rep1'))),
    ]);
    expect(person?.status).toBe('applied');
    const forged = rep.upsert('case', caseId, {
      beneficiaryId,
      number: requestNumber(TODAY, caseId),
      status: 'submitted',
      submittedAt: TODAY,
      deadline: { kind: 'dueBy', date: '2030-01-01' },
    });
    await refused(rep, caseId, forged, 'case_step_required');
    expect(await storedCase(env, caseId)).toBeNull();
  });

  it('a plain patch or a delete of an existing request is refused; its steps apply', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const intake = await honestIntake(env, rep, id('kadi.rep1'));
    expect(new Set((await rep.push(intake.mutations)).map(outcomeOf))).toEqual(new Set(['applied']));
    const held = await storedCase(env, intake.caseId);
    await refused(
      rep,
      intake.caseId,
      rep.upsert('case', intake.caseId, { deadline: { kind: 'dueBy', date: '2030-01-01' } }, held?.version),
      'case_step_required',
    );
    await refused(
      rep,
      intake.caseId,
      rep.remove('case', intake.caseId, held?.version ?? 0),
      'case_step_required',
    );
  });

  it('opened: only by intake roles, with a number of its own id and a real past date, once', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const committee = stepClient(env, 'kadi.committee');
    const beneficiaryId = randomUUID();
    await rep.push([
      rep.upsert('beneficiary', beneficiaryId, applicant(env.branch.b1 ?? '', id('kadi.rep1'))),
    ]);
    const caseId = randomUUID();
    await refused(
      committee,
      caseId,
      committee.step(caseId, { type: 'opened', beneficiaryId, number: requestNumber(TODAY, caseId) }),
      'case_forbidden_role',
    );
    await refused(
      rep,
      caseId,
      rep.step(caseId, { type: 'opened', beneficiaryId, number: requestNumber('2026-12-01', caseId) }),
      'case_bad_number',
    );
    await refused(
      rep,
      caseId,
      rep.step(caseId, { type: 'opened', beneficiaryId, number: requestNumber(TODAY, randomUUID()) }),
      'case_bad_number',
    );
    await refused(rep, caseId, rep.step(caseId, { type: 'receptionDone' }), 'case_not_opened');
    const [opened] = await rep.push([
      rep.step(caseId, { type: 'opened', beneficiaryId, number: requestNumber(TODAY, caseId) }),
    ]);
    expect(opened?.status).toBe('applied');
    await refused(
      rep,
      caseId,
      rep.step(caseId, { type: 'opened', beneficiaryId, number: requestNumber(TODAY, caseId) }),
      'case_already_opened',
    );
    // Another branch's representative may not open a request for a branch 1 beneficiary.
    const other = stepClient(env, 'kadi.rep2');
    const elsewhere = randomUUID();
    await refused(
      other,
      elsewhere,
      other.step(elsewhere, { type: 'opened', beneficiaryId, number: requestNumber(TODAY, elsewhere) }),
      'forbidden',
    );
  });
});

describe('C-PROC-1..6, K-PROC-b..d, L-CONSENT: the intake guards, forged and honest', () => {
  it('a draft opened by mistake is discarded with a reason, in its discarder’s name; nothing else is', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const intake = await honestIntake(env, rep, id('kadi.rep1'));
    await rep.push(intake.mutations.slice(0, 6));
    // Without a reason, or by the committee, it is refused and the draft stays as it was.
    await refused(
      rep,
      intake.caseId,
      rep.step(intake.caseId, { type: 'discarded', reason: ' ' }),
      'case_reason_required',
    );
    const committee = stepClient(env, 'kadi.committee');
    await refused(
      committee,
      intake.caseId,
      committee.step(intake.caseId, { type: 'discarded', reason: 'opened twice' }),
      'case_forbidden_role',
    );
    const [discarded] = await rep.push([
      rep.step(intake.caseId, { type: 'discarded', reason: 'opened twice' }),
    ]);
    expect(discarded?.status).toBe('applied');
    const stored = await storedCase(env, intake.caseId);
    expect(stored?.data).toMatchObject({
      status: 'closed',
      number: expect.any(String) as string,
      discarded: { reason: 'opened twice', by: id('kadi.rep1') },
    });
    // Closed: no step moves it again, and a submitted request cannot be discarded at all.
    await refused(rep, intake.caseId, rep.step(intake.caseId, { type: 'receptionDone' }), 'case_closed');
    const other = await honestIntake(env, rep, id('kadi.rep1'));
    await rep.push([...other.mutations, rep.step(other.caseId, { type: 'submit' })]);
    expect((await storedCase(env, other.caseId))?.data.status).toBe('submitted');
    await refused(
      rep,
      other.caseId,
      rep.step(other.caseId, { type: 'discarded', reason: 'changed my mind' }),
      'case_wrong_status',
    );
  });

  it('a national ID is changed only by a correction that says from what and why, in its maker’s name', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const intake = await honestIntake(env, rep, id('kadi.rep1'));
    await rep.push(intake.mutations.slice(0, 6));
    const before = await env.db.query<{ version: string | number; data: { nationalId: string } }>(
      `SELECT version, data FROM records WHERE entity = 'beneficiary' AND record_id = $1`,
      [intake.beneficiaryId],
    );
    const stored = before[0];
    if (stored === undefined) throw new Error('no beneficiary');
    const version = Number(stored.version);
    const from = stored.data.nationalId;
    const to = from === '1098765439' ? '1000000008' : '1098765439';
    const correction = {
      from,
      reason: 'خطأ في إدخال رقم',
      by: id('kadi.rep1'),
      at: '2026-11-22T10:00:00+03:00',
    };
    const outcome = async (patch: Record<string, unknown>) => {
      const [result] = await rep.push([rep.upsert('beneficiary', intake.beneficiaryId, patch, version)]);
      return result === undefined ? 'none' : outcomeOf(result);
    };
    expect(await outcome({ nationalId: to })).toBe('id_correction_required');
    expect(await outcome({ nationalId: to, idCorrection: { ...correction, reason: ' ' } })).toBe(
      'id_correction_required',
    );
    expect(await outcome({ nationalId: to, idCorrection: { ...correction, from: to } })).toBe(
      'id_correction_required',
    );
    expect(await outcome({ nationalId: to, idCorrection: { ...correction, by: id('kadi.rep2') } })).toBe(
      'stamp_not_caller',
    );
    expect(await outcome({ nationalId: to, idCorrection: correction })).toBe('applied');
  });

  it('C-PROC-1 C-PROC-2 submit straight after opening is refused: no reception, no service, no items', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const intake = await honestIntake(env, rep, id('kadi.rep1'));
    // Only the records and the opening, none of the steps.
    await rep.push(intake.mutations.slice(0, 6));
    await refused(rep, intake.caseId, rep.step(intake.caseId, { type: 'submit' }), 'case_reception_missing');
    await rep.push([rep.step(intake.caseId, { type: 'receptionDone' })]);
    await refused(rep, intake.caseId, rep.step(intake.caseId, { type: 'submit' }), 'case_no_service');
    await rep.push([rep.step(intake.caseId, { type: 'serviceChosen', serviceTypeId: 'aid' })]);
    await refused(
      rep,
      intake.caseId,
      rep.step(intake.caseId, { type: 'submit' }),
      'case_missing_required_items',
    );
  });

  it('C-PROC-2 K-PROC-c an item is provided only when the records hold it (a photo for a document, the field for a field)', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const beneficiaryId = randomUUID();
    const caseId = randomUUID();
    // No address recorded, no photo taken.
    const person = applicant(env.branch.b1 ?? '', id('kadi.rep1'), { address: null });
    await rep.push([
      rep.upsert('beneficiary', beneficiaryId, person),
      rep.step(caseId, { type: 'opened', beneficiaryId, number: requestNumber(TODAY, caseId) }),
      rep.step(caseId, { type: 'receptionDone' }),
      rep.step(caseId, { type: 'serviceChosen', serviceTypeId: 'aid' }),
    ]);
    for (const [itemId, code] of [
      ['id_copy', 'case_item_not_on_record'],
      ['national_address', 'case_item_not_on_record'],
      ['household', 'case_item_not_on_record'],
      ['no_such_item', 'case_unknown_item'],
    ] as const) {
      await refused(rep, caseId, rep.step(caseId, { type: 'itemProvided', itemId }), code);
    }
    // Honest: the photo is attached, then the item is provided; the field recorded, then provided.
    const results = await rep.push([
      rep.upsert('attachment', randomUUID(), attachment(beneficiaryId, caseId, 'id_copy')),
      rep.step(caseId, { type: 'itemProvided', itemId: 'id_copy' }),
      rep.upsert('beneficiary', beneficiaryId, { address: applicant('', '').address }, 1),
      rep.step(caseId, { type: 'itemProvided', itemId: 'national_address' }),
    ]);
    expect(results.map(outcomeOf)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect((await storedCase(env, caseId))?.data.providedItems).toEqual(['id_copy', 'national_address']);
  });

  it('C-PROC-2 verification reads the record itself: an expired ID fails it whatever the device claims', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const intake = await honestIntake(env, rep, id('kadi.rep1'));
    // The ID expired yesterday; the modified client still signs.
    const records = intake.mutations
      .slice(0, 6)
      .map((m) => (m.entity === 'beneficiary' ? { ...m, patch: { ...m.patch, idExpiry: '2026-11-21' } } : m));
    const steps = intake.mutations.slice(6, -1);
    const results = await rep.push([...records, ...steps]);
    expect(new Set(results.map(outcomeOf))).toEqual(new Set(['applied']));
    expect((await storedCase(env, intake.caseId))?.data.verification).toMatchObject({
      problems: ['id_expired'],
    });
    const signed = intake.mutations.at(-1);
    if (signed?.event === undefined) throw new Error('no signature step');
    await refused(rep, intake.caseId, rep.step(intake.caseId, signed.event), 'case_verification_failed');
  });

  it('C-PROC-2 the data must still pass verification when it is submitted: an ID that expired meanwhile stops it', async () => {
    const rep = stepClient(env, 'kadi.rep1', { clocked: true });
    const intake = await honestIntake(env, rep, id('kadi.rep1'));
    // Valid today, expired in ten days: verified and signed now, submitted after it expired.
    const records = intake.mutations.map((m) =>
      m.entity === 'beneficiary' ? { ...m, patch: { ...m.patch, idExpiry: '2026-11-30' } } : m,
    );
    const signed = records.at(-1);
    if (signed?.event?.type !== 'declarationSigned') throw new Error('no signature step');
    const dataHash = declaredHash({
      beneficiary: { ...intake.person, idExpiry: '2026-11-30' },
      members: [{ id: intake.memberId, data: member(intake.beneficiaryId) }],
      request: {
        serviceTypeId: 'aid',
        providedItems: [...AID_ITEMS],
      },
    });
    const results = await rep.push([
      ...records.slice(0, -1),
      rep.step(intake.caseId, { ...signed.event, dataHash }),
    ]);
    expect(new Set(results.map(outcomeOf))).toEqual(new Set(['applied']));
    setServerDate(env, '2026-12-02');
    try {
      await refused(
        rep,
        intake.caseId,
        rep.step(intake.caseId, { type: 'submit' }),
        'case_verification_failed',
      );
    } finally {
      setServerDate(env, TODAY);
    }
  });

  it('C-PROC-4 K-PROC-d the declaration must cover the data on record, with its signature image on the request', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const intake = await honestIntake(env, rep, id('kadi.rep1'));
    await rep.push(intake.mutations.slice(0, -1));
    const signed = {
      type: 'declarationSigned',
      dataHash: intake.dataHash,
      signatureHash: intake.signatureHash,
      signerName: 'سالم',
    } as const;
    await refused(
      rep,
      intake.caseId,
      rep.step(intake.caseId, { ...signed, dataHash: 'a'.repeat(64) }),
      'case_declaration_mismatch',
    );
    await refused(
      rep,
      intake.caseId,
      rep.step(intake.caseId, { ...signed, signatureHash: 'b'.repeat(64) }),
      'case_signature_missing',
    );
    const [ok] = await rep.push([rep.step(intake.caseId, signed)]);
    expect(ok?.status).toBe('applied');
    const held = await storedCase(env, intake.caseId);
    expect(held?.data.declaration).toMatchObject({ by: id('kadi.rep1'), dataHash: intake.dataHash });
    // The data changes after signing: the submission is refused until signed again.
    await rep.push([rep.upsert('beneficiary', intake.beneficiaryId, { mobile: '+966501234568' }, 1)]);
    await refused(rep, intake.caseId, rep.step(intake.caseId, { type: 'submit' }), 'case_signature_stale');
  });

  it('L-CONSENT no declaration and no submission without consent to the current privacy notice', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const intake = await honestIntake(env, rep, id('kadi.rep1'));
    const noConsent = intake.mutations.map((m) =>
      m.entity === 'beneficiary' ? { ...m, patch: { ...m.patch, consent: undefined } } : m,
    );
    const signed = noConsent.at(-1);
    if (signed?.event?.type !== 'declarationSigned') throw new Error('no signature step');
    // Everything but the declaration applies: it waits for consent.
    expect((await rep.push(noConsent.slice(0, -1))).map(outcomeOf).filter((o) => o !== 'applied')).toEqual(
      [],
    );
    await refused(rep, intake.caseId, rep.step(intake.caseId, signed.event), 'case_consent_missing');
    await refused(rep, intake.caseId, rep.step(intake.caseId, { type: 'submit' }), 'case_consent_missing');
    // Consent recorded in someone else's name is refused too.
    const [forged] = await rep.push([
      rep.upsert(
        'beneficiary',
        intake.beneficiaryId,
        { consent: { ...(applicant('', id('kadi.rep2')).consent as object) } },
        1,
      ),
    ]);
    expect(forged === undefined ? '' : outcomeOf(forged)).toBe('stamp_not_caller');
    // Honest: consent in the representative's name, then the declaration (consent is not declared data,
    // so the signed hash still matches) and the submission.
    const honest = await rep.push([
      rep.upsert('beneficiary', intake.beneficiaryId, { consent: applicant('', id('kadi.rep1')).consent }, 1),
      rep.step(intake.caseId, signed.event),
      rep.step(intake.caseId, { type: 'submit' }),
    ]);
    expect(honest.map(outcomeOf)).toEqual(['applied', 'applied', 'applied']);
  });

  it('K-PROC-f C-PROC-2 the server derives the dates, the deadline and every stamp; what a client sends is ignored', async () => {
    const rep = stepClient(env, 'kadi.rep1');
    const intake = await honestIntake(env, rep, id('kadi.rep1'));
    expect(new Set((await rep.push(intake.mutations)).map(outcomeOf))).toEqual(new Set(['applied']));
    // A modified client sends its own deadline, dates and stamps beside the step: none of it is read.
    const [submitted] = await rep.push([
      rep.step(
        intake.caseId,
        { type: 'submit' },
        {
          submittedAt: '2020-01-01',
          completedAt: '2020-01-01',
          deadline: { kind: 'dueBy', date: '2030-01-01' },
          reception: { at: '2020-01-01T00:00:00+03:00', by: id('kadi.rep2') },
        },
      ),
    ]);
    expect(submitted?.status).toBe('applied');
    const held = (await storedCase(env, intake.caseId))?.data;
    const deadline = computeDeadline(kadi.deadlineRule, TODAY, holidayTable(TODAY));
    expect(held).toMatchObject({
      status: 'submitted',
      submittedAt: TODAY,
      completedAt: TODAY,
      deadline,
      reception: { by: id('kadi.rep1'), at: '2026-11-22T08:00:00.000Z' },
      verification: { by: id('kadi.rep1'), problems: [] },
      declaration: { by: id('kadi.rep1'), dataHash: intake.dataHash },
    });
    expect(deadline).toEqual({ kind: 'dueBy', date: '2026-12-13' });
    // C-PROC-4: what was declared is frozen with the request, and its hash is the declaration's.
    expect(typeof held?.declared).toBe('string');
    expect(
      declaredHash({
        beneficiary: intake.person,
        members: [{ id: intake.memberId, data: member(intake.beneficiaryId) }],
        request: { serviceTypeId: 'aid', providedItems: held?.providedItems as string[] },
      }),
    ).toBe(intake.dataHash);
    // After submission the declaration cannot change.
    await refused(
      rep,
      intake.caseId,
      rep.step(intake.caseId, {
        type: 'declarationSigned',
        dataHash: intake.dataHash,
        signatureHash: intake.signatureHash,
        signerName: 'x',
      }),
      'case_wrong_status',
    );
  });
});

/** A request taken honestly by the representative and submitted. */
async function submittedRequest() {
  const rep = stepClient(env, 'kadi.rep1');
  const intake = await honestIntake(env, rep, id('kadi.rep1'));
  await rep.push([...intake.mutations, rep.step(intake.caseId, { type: 'submit' })]);
  return { rep, ...intake };
}

describe('C-PROC-3 C-PROC-5 C-PROC-7 K-PROC-e: research, decision, telling, delivery', () => {
  it('the research completes only with its report on record; a report in another name is refused', async () => {
    const { caseId } = await submittedRequest();
    const researcher = stepClient(env, 'kadi.researcher');
    await researcher.push([researcher.step(caseId, { type: 'researchStarted' })]);
    await refused(
      researcher,
      caseId,
      researcher.step(caseId, { type: 'researchCompleted', reportId: randomUUID() }),
      'case_report_missing',
    );
    const reportId = randomUUID();
    const report = {
      caseId,
      visitDate: TODAY,
      findings: 'زيارة منزلية',
      needs: 'سلة غذائية',
      recommendation: 'accept',
    };
    const [forged] = await researcher.push([
      researcher.upsert('research_report', reportId, { ...report, by: id('kadi.committee') }),
    ]);
    expect(forged === undefined ? '' : outcomeOf(forged)).toBe('stamp_not_caller');
    const results = await researcher.push([
      researcher.upsert('research_report', reportId, { ...report, by: id('kadi.researcher') }),
      researcher.step(caseId, { type: 'researchCompleted', reportId }),
    ]);
    expect(results.map(outcomeOf)).toEqual(['applied', 'applied']);
  });

  it('a decision is the committee’s, in its own name; a representative’s or a forged signature is refused', async () => {
    const { caseId, rep } = await submittedRequest();
    const committee = stepClient(env, 'kadi.committee');
    await refused(
      rep,
      caseId,
      rep.step(caseId, { type: 'decided', outcome: 'accepted', reason: 'مستحق', grant: { amount: 1500 } }),
      'case_forbidden_role',
    );
    const decision = { caseId, outcome: 'accepted', reason: 'مستحق', decidedAt: '2026-11-22T10:00:00+03:00' };
    const [inAnotherName] = await committee.push([
      committee.upsert('decision', randomUUID(), { ...decision, by: id('kadi.supervisor') }),
    ]);
    expect(inAnotherName === undefined ? '' : outcomeOf(inAnotherName)).toBe('stamp_not_caller');
    // Aid as data: an acceptance that grants nothing, or an amount that is not money, is refused here too.
    for (const [grant, code] of [
      [undefined, 'case_grant_required'],
      [{ amount: 0 }, 'case_bad_amount'],
      [{ amount: 10.001 }, 'case_bad_amount'],
      [{ amount: 2_000_000 }, 'case_bad_amount'],
    ] as const)
      await refused(
        committee,
        caseId,
        committee.step(caseId, {
          type: 'decided',
          outcome: 'accepted',
          reason: 'مستحق',
          ...(grant === undefined ? {} : { grant }),
        }),
        code,
      );
    const results = await committee.push([
      committee.upsert('decision', randomUUID(), { ...decision, by: id('kadi.committee') }),
      committee.step(caseId, {
        type: 'decided',
        outcome: 'accepted',
        reason: 'مستحق',
        grant: { amount: 1500 },
      }),
    ]);
    expect(results.map(outcomeOf)).toEqual(['applied', 'applied']);
    expect((await storedCase(env, caseId))?.data.decision).toMatchObject({
      by: id('kadi.committee'),
      outcome: 'accepted',
    });

    // K-PROC-e: told only by a notification of this request, by the channel named.
    await refused(
      rep,
      caseId,
      rep.step(caseId, { type: 'told', channel: 'phone', notificationId: randomUUID() }),
      'case_notification_missing',
    );
    const note = randomUUID();
    const held = await storedCase(env, caseId);
    const told = await rep.push([
      rep.upsert('notification', note, {
        beneficiaryId: held?.data.beneficiaryId,
        caseId,
        channel: 'phone',
        text: 'قُبل طلبك',
        sentAt: '2026-11-22T11:00:00+03:00',
        by: id('kadi.rep1'),
      }),
      rep.step(caseId, { type: 'told', channel: 'interview', notificationId: note }),
      rep.step(caseId, { type: 'told', channel: 'phone', notificationId: note }),
    ]);
    expect(told.map(outcomeOf)).toEqual(['applied', 'case_notification_missing', 'applied']);
    expect((await storedCase(env, caseId))?.data.decisionTold).toMatchObject({
      by: id('kadi.rep1'),
      channel: 'phone',
      notificationId: note,
    });

    // C-PROC-7: the committee does not deliver; the representative does, stamped with their id.
    await refused(
      committee,
      caseId,
      committee.step(caseId, { type: 'delivered', description: 'سلة' }),
      'case_forbidden_role',
    );
    const [delivered] = await rep.push([rep.step(caseId, { type: 'delivered', description: 'سلة غذائية' })]);
    expect(delivered?.status).toBe('applied');
    expect((await storedCase(env, caseId))?.data.delivery).toMatchObject({ by: id('kadi.rep1') });
  });

  it('a step that arrives after the request moved on is refused with the reason, never merged', async () => {
    const { caseId, rep } = await submittedRequest();
    const committee = stepClient(env, 'kadi.committee');
    await committee.push([
      committee.step(caseId, { type: 'decided', outcome: 'rejected', reason: 'غير مستوفٍ' }),
    ]);
    // Another device closes it; a late second decision and a late research start are refused.
    const [closed] = await rep.push([rep.step(caseId, { type: 'closed' })]);
    expect(closed?.status).toBe('applied');
    await refused(
      committee,
      caseId,
      committee.step(caseId, {
        type: 'decided',
        outcome: 'accepted',
        reason: 'مراجعة',
        grant: { amount: 1500 },
      }),
      'case_closed',
    );
    const researcher = stepClient(env, 'kadi.researcher');
    const [late] = await researcher.push([researcher.step(caseId, { type: 'researchStarted' })]);
    expect(late?.status).toBe('rejected');
    // The refusal carries the request as the server holds it, so the device shows the truth again.
    expect(late?.status === 'rejected' ? late.current?.data?.status : null).toBe('closed');
  });
});

describe('C-OBJ-5 C-OBJ-6 K-SAT-a satisfaction that cannot be stuffed', () => {
  const questionnaire = '5a7e0c1e-0001-4c6f-9a51-6b2f3c0d1e01';

  async function deliveredRequest(ballot: string) {
    const rep = stepClient(env, 'kadi.rep1');
    const intake = await honestIntake(env, rep, id('kadi.rep1'));
    await rep.push([...intake.mutations, rep.step(intake.caseId, { type: 'submit' })]);
    const committee = stepClient(env, 'kadi.committee');
    await committee.push([
      committee.step(intake.caseId, {
        type: 'decided',
        outcome: 'accepted',
        reason: 'مستحق',
        grant: { amount: 1500 },
      }),
    ]);
    const [delivered] = await rep.push([
      rep.step(intake.caseId, { type: 'delivered', description: 'سلة غذائية', ballot }),
    ]);
    expect(delivered?.status).toBe('applied');
    return { rep, ...intake };
  }

  const answer = (over: Record<string, unknown>) => ({
    surveyId: questionnaire,
    caseId: null,
    beneficiaryId: null,
    branchId: env.branch.b1,
    serviceTypeId: null,
    answers: { staff: 5, overall: 4 },
    at: '2026-11-22T12:00:00+03:00',
    ...over,
  });

  const storedAnswer = async (recordId: string) =>
    (
      await env.db.query<{ data: Record<string, unknown> }>('SELECT data FROM records WHERE record_id = $1', [
        recordId,
      ])
    )[0]?.data ?? null;

  it('answers off the instrument’s scales or questions are refused, and nothing is stored', async () => {
    const ballot = randomUUID();
    const { rep } = await deliveredRequest(ballot);
    const forged = [
      { answers: { staff: 99 } },
      { answers: { staff: 4.5 } },
      { answers: { invented: 5 } },
      { answers: {} },
      { surveyId: randomUUID() },
    ];
    const ids = forged.map(() => randomUUID());
    const results = await rep.push(
      forged.map((f, i) => rep.upsert('survey_response', ids[i] ?? '', answer({ ...f, ballot }))),
    );
    expect(results.map(outcomeOf)).toEqual([
      'answers_invalid',
      'answers_invalid',
      'answers_invalid',
      'answers_invalid',
      'survey_unknown',
    ]);
    for (const recordId of ids) expect(await storedAnswer(recordId)).toBeNull();
    // The ballot was not spent by the refusals: the honest answer still counts.
    const [honest] = await rep.push([rep.upsert('survey_response', randomUUID(), answer({ ballot }))]);
    expect(honest?.status).toBe('applied');
  });

  it('one answer per delivery: a second one, one without a ballot, or a rating of an undelivered request is refused', async () => {
    const ballot = randomUUID();
    const { rep, caseId, beneficiaryId } = await deliveredRequest(ballot);
    const first = randomUUID();
    const results = await rep.push([
      rep.upsert('survey_response', randomUUID(), answer({})),
      rep.upsert('survey_response', randomUUID(), answer({ ballot: randomUUID() })),
      rep.upsert('survey_response', first, answer({ ballot, caseId, beneficiaryId })),
      rep.upsert('survey_response', randomUUID(), answer({ ballot })),
      rep.upsert('survey_response', first, { answers: { staff: 1 } }, 1),
    ]);
    expect(results.map(outcomeOf)).toEqual([
      'ballot_invalid',
      'ballot_invalid',
      'applied',
      'ballot_invalid',
      'record_final',
    ]);
    // A request still awaiting its decision cannot be rated by name.
    const other = await honestIntake(env, rep, id('kadi.rep1'));
    await rep.push([...other.mutations, rep.step(other.caseId, { type: 'submit' })]);
    const [early] = await rep.push([
      rep.upsert(
        'survey_response',
        randomUUID(),
        answer({ ballot: randomUUID(), caseId: other.caseId, beneficiaryId: other.beneficiaryId }),
      ),
    ]);
    expect(early === undefined ? '' : outcomeOf(early)).toBe('survey_not_delivered');
  });

  it('an anonymous answer is stored without its ballot, request or person; the ballot keeps only day, branch and service', async () => {
    const ballot = randomUUID();
    const { rep, caseId } = await deliveredRequest(ballot);
    const recordId = randomUUID();
    const [result] = await rep.push([
      rep.upsert('survey_response', recordId, answer({ ballot, serviceTypeId: 'forged' })),
    ]);
    expect(result?.status).toBe('applied');
    const stored = await storedAnswer(recordId);
    expect(stored).toMatchObject({ caseId: null, beneficiaryId: null, serviceTypeId: 'aid' });
    expect(stored).not.toHaveProperty('ballot');
    const rows = await env.db.query<Record<string, unknown>>('SELECT * FROM ballots WHERE ballot_id = $1', [
      ballot,
    ]);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual([
      'association_id',
      'ballot_id',
      'branch_id',
      'issued_on',
      'service_type_id',
      'spent',
    ]);
    expect(JSON.stringify(rows)).not.toContain(caseId);
    // Nor does the history of the answer keep the ballot.
    const history = await env.db.query<{ changes: unknown }>(
      'SELECT changes FROM record_history WHERE record_id = $1',
      [recordId],
    );
    expect(JSON.stringify(history)).not.toContain(ballot);
  });
});

describe('signed records stay as signed, and nothing is planted on a request from outside it', () => {
  it('a decision, a report, a notification or an answer once stored is neither rewritten nor deleted', async () => {
    const { rep, caseId, beneficiaryId } = await submittedRequest();
    const committee = stepClient(env, 'kadi.committee');
    const decisionId = randomUUID();
    const decision = {
      caseId,
      outcome: 'rejected',
      reason: 'غير مستوفٍ',
      decidedAt: '2026-11-22T10:00:00+03:00',
    };
    await committee.push([
      committee.upsert('decision', decisionId, { ...decision, by: id('kadi.committee') }),
    ]);
    const noteId = randomUUID();
    const note = {
      beneficiaryId,
      caseId,
      channel: 'phone',
      text: 'رُفض الطلب',
      sentAt: '2026-11-22T11:00:00+03:00',
    };
    await rep.push([rep.upsert('notification', noteId, { ...note, by: id('kadi.rep1') })]);
    const colleague = stepClient(env, 'kadi.rep1b');
    const results = [
      ...(await committee.push([
        committee.upsert('decision', decisionId, { outcome: 'accepted', reason: 'عُدّل' }, 1),
      ])),
      ...(await committee.push([committee.remove('decision', decisionId, 1)])),
      ...(await colleague.push([colleague.upsert('notification', noteId, { text: 'قُبل الطلب' }, 1)])),
      ...(await colleague.push([colleague.remove('notification', noteId, 1)])),
    ];
    expect(results.map(outcomeOf)).toEqual(['record_final', 'record_final', 'record_final', 'record_final']);
    const kept = await env.db.query<{ data: Record<string, unknown> }>(
      'SELECT data FROM records WHERE record_id = ANY($1::uuid[]) AND NOT deleted ORDER BY entity',
      [[decisionId, noteId]],
    );
    expect(kept.map((r) => r.data)).toEqual([
      { ...decision, by: id('kadi.committee') },
      { ...note, by: id('kadi.rep1') },
    ]);
  });

  it('K-CMPL-a a complaint’s handling is a log in its writers’ names, and its resolution names who settled it', async () => {
    const supervisor = stepClient(env, 'kadi.supervisor');
    const complaintId = randomUUID();
    const complaint = phoneComplaint('KADI-TEST00001');
    const mine = { at: '2026-11-22T10:00:00+03:00', by: id('kadi.supervisor'), note: 'اتصلنا بالمشتكي' };
    const honest = await supervisor.push([
      supervisor.upsert('complaint', complaintId, complaint),
      supervisor.upsert('complaint', complaintId, { handling: [mine] }, 1),
    ]);
    expect(honest.map(outcomeOf)).toEqual(['applied', 'applied']);
    const forged = await supervisor.push([
      supervisor.upsert(
        'complaint',
        complaintId,
        { handling: [mine, { ...mine, by: id('kadi.committee') }] },
        1,
      ),
      supervisor.upsert('complaint', complaintId, { handling: [{ ...mine, note: 'لم يحدث شيء' }] }, 1),
      supervisor.upsert('complaint', complaintId, { handling: [] }, 1),
      supervisor.upsert(
        'complaint',
        complaintId,
        {
          resolution: { at: mine.at, by: id('kadi.committee'), outcome: 'amicable', summary: 'تمت التسوية' },
        },
        1,
      ),
    ]);
    expect(forged.map(outcomeOf)).toEqual([
      'stamp_not_caller',
      'stamp_not_caller',
      'stamp_not_caller',
      'stamp_not_caller',
    ]);
    const settled = await supervisor.push([
      supervisor.upsert(
        'complaint',
        complaintId,
        {
          resolution: { at: mine.at, by: id('kadi.supervisor'), outcome: 'amicable', summary: 'تمت التسوية' },
        },
        1,
      ),
    ]);
    expect(settled.map(outcomeOf)).toEqual(['applied']);
  });

  it('C-PROC-2 a document of another beneficiary’s file cannot be put on a request to tick its item', async () => {
    const { rep, caseId } = await submittedRequest();
    const other = randomUUID();
    await rep.push([
      rep.upsert(
        'beneficiary',
        other,
        applicant(env.branch.b1 ?? '', id('kadi.rep1'), { nationalId: '1000000016' }),
      ),
    ]);
    const planted = await rep.push([
      rep.upsert('attachment', randomUUID(), attachment(other, caseId, 'id_copy')),
      rep.upsert('notification', randomUUID(), {
        beneficiaryId: other,
        caseId,
        channel: 'phone',
        text: 'x',
        sentAt: '2026-11-22T11:00:00+03:00',
        by: id('kadi.rep1'),
      }),
      rep.upsert('attachment', randomUUID(), attachment(other, randomUUID(), 'id_copy')),
    ]);
    expect(planted.map(outcomeOf)).toEqual(['parent_mismatch', 'parent_mismatch', 'parent_not_found']);
  });

  it('a refused step sent again (its answer lost) is answered with the request as held, for the device to show', async () => {
    const { rep, caseId } = await submittedRequest();
    const [first] = await rep.push([rep.step(caseId, { type: 'closed' })]);
    expect(first === undefined ? '' : outcomeOf(first)).toBe('case_wrong_status');
    const [again] = await rep.pushAgain();
    expect(again).toMatchObject({
      status: 'duplicate',
      error: { code: 'case_wrong_status' },
      current: { data: { status: 'submitted' } },
    });
  });

  it('C-OBJ-5 a request is rated once by name, for its own service', async () => {
    const { rep, caseId, beneficiaryId } = await submittedRequest();
    const committee = stepClient(env, 'kadi.committee');
    await committee.push([
      committee.step(caseId, {
        type: 'decided',
        outcome: 'accepted',
        reason: 'مستحق',
        grant: { amount: 1500 },
      }),
    ]);
    const [ballot, spare] = [randomUUID(), randomUUID()];
    await rep.push([rep.step(caseId, { type: 'delivered', description: 'سلة', ballot })]);
    // A second delivery elsewhere gives a spare ballot, which a second named rating of the same request would use.
    const other = await submittedRequest();
    await committee.push([
      committee.step(other.caseId, {
        type: 'decided',
        outcome: 'accepted',
        reason: 'مستحق',
        grant: { amount: 1500 },
      }),
    ]);
    await other.rep.push([
      other.rep.step(other.caseId, { type: 'delivered', description: 'سلة', ballot: spare }),
    ]);
    const named = (b: string) => ({
      surveyId: '5a7e0c1e-0001-4c6f-9a51-6b2f3c0d1e01',
      caseId,
      beneficiaryId,
      branchId: env.branch.b1,
      serviceTypeId: 'forged',
      answers: { overall: 5 },
      at: '2026-11-22T12:00:00+03:00',
      ballot: b,
    });
    const answerId = randomUUID();
    const results = await rep.push([
      rep.upsert('survey_response', answerId, named(ballot)),
      rep.upsert('survey_response', randomUUID(), named(spare)),
    ]);
    expect(results.map(outcomeOf)).toEqual(['applied', 'survey_already_answered']);
    const stored = await env.db.query<{ data: Record<string, unknown> }>(
      'SELECT data FROM records WHERE record_id = $1',
      [answerId],
    );
    expect(stored[0]?.data.serviceTypeId).toBe('aid');
  });
});
