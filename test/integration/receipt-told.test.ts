// K-PROC-e over HTTP, as a modified client would try it: the receipt sent to the beneficiary (a notification
// whose purpose is 'receipt') is not the decision told, so a `told` step naming it is refused with
// case_notification_missing and nothing of the step is stored, in the same push or a later one, and the receipt
// cannot be rewritten into a decision's notification; a notification of the decision tells it. Runs on PGlite
// (npm test) and PostgreSQL (npm run test:pg), over the HTTP API in-process.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useKadiTestApp } from './helpers';
import { honestIntake, outcomeOf, stepClient, storedCase, userIdOf } from './steps';

const env = useKadiTestApp();
const ids: Record<string, string> = {};

beforeAll(async () => {
  for (const name of ['kadi.rep1', 'kadi.committee']) ids[name] = await userIdOf(env, name);
});
const id = (name: string) => ids[name] ?? '';

/** A request submitted by kadi.rep1 and accepted by the committee: the next step is telling the decision. */
async function acceptedRequest() {
  const rep = stepClient(env, 'kadi.rep1');
  const intake = await honestIntake(env, rep, id('kadi.rep1'));
  const submitted = await rep.push([...intake.mutations, rep.step(intake.caseId, { type: 'submit' })]);
  expect(new Set(submitted.map(outcomeOf))).toEqual(new Set(['applied']));
  const committee = stepClient(env, 'kadi.committee');
  const decided = await committee.push([
    committee.upsert('decision', randomUUID(), {
      caseId: intake.caseId,
      outcome: 'accepted',
      reason: 'مستحق',
      decidedAt: '2026-11-22T10:00:00+03:00',
      by: id('kadi.committee'),
    }),
    committee.step(intake.caseId, {
      type: 'decided',
      outcome: 'accepted',
      reason: 'مستحق',
      grant: { amount: 1500 },
    }),
  ]);
  expect(decided.map(outcomeOf)).toEqual(['applied', 'applied']);
  expect((await storedCase(env, intake.caseId))?.data.status).toBe('accepted');
  return { rep, ...intake };
}

/** A notification of request `caseId` by phone, in kadi.rep1's name; `purpose` as given (absent: none). */
function notification(beneficiaryId: string, caseId: string, text: string, purpose?: 'receipt' | 'decision') {
  return {
    beneficiaryId,
    caseId,
    channel: 'phone',
    text,
    sentAt: '2026-11-22T11:00:00+03:00',
    by: id('kadi.rep1'),
    method: 'sms',
    ...(purpose === undefined ? {} : { purpose }),
  };
}

describe('K-PROC-e the receipt is not the decision told', () => {
  it('a told step naming the receipt is refused with case_notification_missing, in the same push or a later one; a decision’s notification then tells it', async () => {
    const { rep, caseId, beneficiaryId } = await acceptedRequest();
    const before = await storedCase(env, caseId);
    const receiptId = randomUUID();
    const receipt = notification(beneficiaryId, caseId, 'استلمنا طلبك رقم ١٢٣', 'receipt');
    // The receipt and the step that passes it off as the decision told, in one push.
    const sameTime = await rep.push([
      rep.upsert('notification', receiptId, receipt),
      rep.step(caseId, { type: 'told', channel: 'phone', notificationId: receiptId }),
    ]);
    expect(sameTime.map(outcomeOf)).toEqual(['applied', 'case_notification_missing']);
    // The receipt itself is kept, as sent; the request is exactly as it was, not told.
    const kept = await env.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM records WHERE entity = 'notification' AND record_id = $1",
      [receiptId],
    );
    expect(kept.map((r) => r.data)).toEqual([receipt]);
    expect(await storedCase(env, caseId)).toEqual(before);

    // Once the receipt is on record, a later push naming it is refused all the same.
    const later = await rep.push([
      rep.step(caseId, { type: 'told', channel: 'phone', notificationId: receiptId }),
    ]);
    expect(later.map(outcomeOf)).toEqual(['case_notification_missing']);
    expect(await storedCase(env, caseId)).toEqual(before);

    // A notification of the decision, by the same channel, tells it: the step is stored with its notification.
    const noticeId = randomUUID();
    const told = await rep.push([
      rep.upsert(
        'notification',
        noticeId,
        notification(beneficiaryId, caseId, 'قُبل طلبك، وموعد التسليم الأحد القادم', 'decision'),
      ),
      rep.step(caseId, { type: 'told', channel: 'phone', notificationId: noticeId }),
    ]);
    expect(told.map(outcomeOf)).toEqual(['applied', 'applied']);
    const after = await storedCase(env, caseId);
    expect(after?.version).toBeGreaterThan(before?.version ?? 0);
    expect(after?.data.decisionTold).toMatchObject({
      by: id('kadi.rep1'),
      channel: 'phone',
      notificationId: noticeId,
    });
  });

  it('a receipt cannot be rewritten into the decision’s notification: the rewrite is refused as final, and the step still is', async () => {
    const { rep, caseId, beneficiaryId } = await acceptedRequest();
    const receiptId = randomUUID();
    const receipt = notification(beneficiaryId, caseId, 'استلمنا طلبك', 'receipt');
    expect((await rep.push([rep.upsert('notification', receiptId, receipt)])).map(outcomeOf)).toEqual([
      'applied',
    ]);
    const before = await storedCase(env, caseId);
    const results = await rep.push([
      rep.upsert('notification', receiptId, { purpose: 'decision' }, 1),
      rep.step(caseId, { type: 'told', channel: 'phone', notificationId: receiptId }),
    ]);
    expect(results.map(outcomeOf)).toEqual(['record_final', 'case_notification_missing']);
    const kept = await env.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM records WHERE entity = 'notification' AND record_id = $1",
      [receiptId],
    );
    expect(kept.map((r) => r.data.purpose)).toEqual(['receipt']);
    expect(await storedCase(env, caseId)).toEqual(before);
  });

  it('a notification that names no purpose is the decision’s (the default), and tells it', async () => {
    const { rep, caseId, beneficiaryId } = await acceptedRequest();
    const noticeId = randomUUID();
    const results = await rep.push([
      rep.upsert('notification', noticeId, notification(beneficiaryId, caseId, 'قُبل طلبك')),
      rep.step(caseId, { type: 'told', channel: 'phone', notificationId: noticeId }),
    ]);
    expect(results.map(outcomeOf)).toEqual(['applied', 'applied']);
    expect((await storedCase(env, caseId))?.data.decisionTold).toMatchObject({
      by: id('kadi.rep1'),
      channel: 'phone',
      notificationId: noticeId,
    });
  });
});
