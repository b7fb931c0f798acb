// The supervisor's dashboard (issue 7; K-PROC-f, C-OBJ-5, K-SAT-a..f, K-CMPL-a, K-INFO-a): the figures
// the server counts from what the devices synced — deadlines kept by branch, satisfaction, complaint
// response times, the sync's health, the contact officers' load — for supervisors and the administrator
// only. The requests reach their statuses by their named steps, the server dating each step by its own clock:
// it is set back to the day four of them are submitted, moved on to the days the committee decides, and
// put back where it started (2026-11-22 11:00 in Riyadh) before the rest and the reading of the dashboard.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeDeadline } from '../../src/domain/deadline';
import { holidayTable } from '../../src/domain/holidays';
import { postServiceQuestionnaire } from '../../src/domain/surveys';
import { addWorkingDays } from '../../src/domain/working-days';
import { DASHBOARD_PATH, dashboardSchema, type Dashboard } from '../../src/protocol/dashboard';
import { apiErrorBodySchema } from '../../src/protocol/errors';
import { bearer, useKadiTestApp } from './helpers';
import { honestIntake, kadi, outcomeOf, setServerDate, signIn, stepClient, storedCase, TODAY } from './steps';

const env = useKadiTestApp();

async function dashboardAs(username: string) {
  return env.app.request(DASHBOARD_PATH, bearer(await env.tokenOf(username)));
}

/** The day the older requests are submitted (and complete), and the due date the server gives them. */
const SUBMITTED = '2026-10-01';
const due = computeDeadline(kadi.deadlineRule, SUBMITTED, holidayTable(SUBMITTED));
/** The working day after the due date: a decision then is late. */
const dayAfterDue = addWorkingDays(due.date, 1, holidayTable(due.date));
const at = '2026-11-22T08:00:00.000Z';
let dashboard: Dashboard;

beforeAll(async () => {
  const rep = stepClient(env, 'kadi.rep1', { clocked: true });
  const committee = stepClient(env, 'kadi.committee', { clocked: true });
  const family = { fullName: 'أسرة أبو سالم', nationalId: '1000000008', category: 'family' };
  const single = { fullName: 'سالم', nationalId: '1000000016', category: 'individual' };

  // 2026-10-01: four requests submitted, complete; each due 15 working days later (K-PROC-f).
  setServerDate(env, SUBMITTED);
  const { userId: repId } = await signIn(env, 'kadi.rep1');
  const onTime = await honestIntake(env, rep, repId, { on: SUBMITTED, person: family });
  const late = await honestIntake(env, rep, repId, { on: SUBMITTED, household: onTime });
  const overdue = await honestIntake(env, rep, repId, { on: SUBMITTED, person: single });
  const served = await honestIntake(env, rep, repId, { on: SUBMITTED, household: overdue });
  const older = [onTime, late, overdue, served];
  const submitted = await rep.push(
    older.flatMap((r) => [...r.mutations, rep.step(r.caseId, { type: 'submit' })]),
  );
  expect(submitted.map(outcomeOf).filter((o) => o !== 'applied')).toEqual([]);
  for (const r of older)
    expect((await storedCase(env, r.caseId))?.data).toMatchObject({ submittedAt: SUBMITTED, deadline: due });

  // The committee decides two on their due date (still on time), one the working day after (late); the
  // fourth still waits, past its due date (overdue).
  setServerDate(env, due.date);
  const accept = (caseId: string) =>
    committee.step(caseId, {
      type: 'decided',
      outcome: 'accepted',
      reason: 'مستحق',
      grant: { amount: 1500 },
    });
  expect((await committee.push([accept(onTime.caseId), accept(served.caseId)])).map(outcomeOf)).toEqual([
    'applied',
    'applied',
  ]);
  setServerDate(env, dayAfterDue);
  expect((await committee.push([accept(late.caseId)])).map(outcomeOf)).toEqual(['applied']);
  // The server dated each decision by its own clock.
  expect((await storedCase(env, late.caseId))?.data.decision).toMatchObject({
    at: `${dayAfterDue}T08:00:00.000Z`,
  });

  // Back to where the clock started: a new request of the family is submitted today and is open (due in
  // 15 working days); two accepted requests are delivered, each issuing a one-time ballot. The late one
  // stays accepted and undelivered.
  setServerDate(env, TODAY);
  const open = await honestIntake(env, rep, repId, { household: onTime });
  const ballots = { named: randomUUID(), anonymous: randomUUID() };
  const today = await rep.push([
    ...open.mutations,
    rep.step(open.caseId, { type: 'submit' }),
    rep.step(onTime.caseId, { type: 'delivered', description: 'سلة غذائية', ballot: ballots.named }),
    rep.step(served.caseId, { type: 'delivered', description: 'سلة غذائية', ballot: ballots.anonymous }),
  ]);
  expect(today.map(outcomeOf).filter((o) => o !== 'applied')).toEqual([]);
  expect((await storedCase(env, open.caseId))?.data.deadline).toEqual(
    computeDeadline(kadi.deadlineRule, TODAY, holidayTable(TODAY)),
  );

  const answer = (ballot: string, over: Record<string, unknown>) => ({
    surveyId: postServiceQuestionnaire().id,
    caseId: null,
    branchId: env.branch.b1,
    beneficiaryId: null,
    answers: {},
    at,
    ballot,
    ...over,
  });
  expect(
    (
      await rep.push([
        // Two answers after the service, each with its delivery's ballot: one named, one anonymous
        // (C-OBJ-6); 4.5 and 3 on the 1–5 scale (the comment is free text, never scored).
        rep.upsert(
          'survey_response',
          randomUUID(),
          answer(ballots.named, {
            caseId: onTime.caseId,
            beneficiaryId: onTime.beneficiaryId,
            answers: { staff: 5, overall: 4, comments: 'شكراً' },
          }),
        ),
        rep.upsert(
          'survey_response',
          randomUUID(),
          answer(ballots.anonymous, { answers: { staff: 3, ease: 3 } }),
        ),
        // A complaint answered two hours after it came, one still waiting.
        rep.upsert('complaint', randomUUID(), {
          reference: 'KADI-AAAAAAAAAA',
          beneficiaryId: null,
          channel: 'phone',
          kind: 'complaint',
          text: 'تأخر',
          receivedAt: '2026-11-20T08:00:00.000Z',
          firstResponseAt: '2026-11-20T10:00:00.000Z',
          resolution: null,
        }),
        rep.upsert('complaint', randomUUID(), {
          reference: 'KADI-BBBBBBBBBB',
          beneficiaryId: null,
          channel: 'phone',
          kind: 'inquiry',
          text: 'سؤال',
          receivedAt: '2026-11-21T08:00:00.000Z',
          firstResponseAt: null,
          resolution: null,
        }),
        // Refused by the server: it shows in the sync's health.
        rep.upsert('beneficiary', randomUUID(), {
          branchId: env.branch.b1,
          fullName: 'خطأ',
          nationalId: '1000000000',
          mobile: '+966501234567',
          category: 'family',
        }),
      ])
    ).map(outcomeOf),
  ).toEqual([...Array(4).fill('applied'), 'validation_failed']);
  const response = await dashboardAs('kadi.supervisor');
  expect(response.status).toBe(200);
  dashboard = dashboardSchema.parse(await response.json());
});

describe('the supervisor dashboard', () => {
  it('K-PROC-f counts each branch’s requests decided on time, late, open and overdue', () => {
    expect(dashboard.today).toBe('2026-11-22');
    expect(dashboard.deadlines).toEqual([
      {
        branchId: env.branch.b1,
        branch: { ar: 'الفرع الأول', en: 'Branch 1' },
        // Decided by the due date: two (on the day itself, which still counts); after it: one. Submitted
        // today and due later: one; undecided past its due date: one.
        onTime: 2,
        late: 1,
        open: 1,
        overdue: 1,
        withoutDueDate: 0,
      },
    ]);
  });

  it('C-OBJ-5 C-OBJ-6 K-SAT-a scores satisfaction 1–5 overall, by month, branch, service and representative', () => {
    expect(dashboard.satisfaction).toEqual({
      responses: 2,
      anonymous: 1,
      mean: 3.75,
      byMonth: [{ month: '2026-11', responses: 2, mean: 3.75 }],
      byBranch: [{ branch: { ar: 'الفرع الأول', en: 'Branch 1' }, responses: 2, mean: 3.75 }],
      byService: [{ serviceTypeId: 'aid', responses: 2, mean: 3.75 }],
      byRepresentative: [{ name: 'مندوب', responses: 2, mean: 3.75 }],
      // K-SAT-a..d: every instrument listed, the staff ones with no answers yet (staff-surveys.test.ts).
      byMethod: [
        { method: 'questionnaire', responses: 2, mean: 3.75 },
        { method: 'fieldSurvey', responses: 0, mean: null },
        { method: 'supervisoryVisit', responses: 0, mean: null },
        { method: 'interview', responses: 0, mean: null },
      ],
    });
  });

  it('K-SAT-e K-CMPL-a measures complaint response times; K-SAT-f K-INFO-a each contact officer’s load', () => {
    expect(dashboard.complaints).toMatchObject({
      total: 2,
      open: 2,
      medianResponseHours: 2,
      byKind: [
        { kind: 'complaint', total: 1, open: 1 },
        { kind: 'inquiry', total: 1, open: 1 },
      ],
    });
    expect(dashboard.contactOfficers.map((o) => [o.id, o.beneficiaries, o.openRequests])).toEqual([
      // Accepted and not yet delivered is still open work (the late one), as is one awaiting its decision;
      // a delivered request is not.
      ['families', 1, 2],
      ['individuals', 1, 1],
    ]);
    expect(dashboard.sync).toMatchObject({ rejected: 1, byEntity: [{ entity: 'beneficiary', rejected: 1 }] });
  });

  it('totals the aid granted and handed over, by service, branch and month of the decision', () => {
    // Three acceptances of 1,500 riyals each; the deliveries above name what they described only.
    expect(dashboard.aid.total).toEqual({ requests: 3, granted: 4500, handedOver: 0 });
    expect(dashboard.aid.byService).toEqual([
      { serviceTypeId: 'aid', requests: 3, granted: 4500, handedOver: 0 },
    ]);
    expect(dashboard.aid.byMonth.reduce((sum, m) => sum + m.granted, 0)).toBe(4500);
    expect(dashboard.aid.byBranch.map((b) => b.granted)).toEqual([4500]);
  });

  it('is read by supervisors and the administrator only: 403 to field roles, 401 without a token', async () => {
    expect((await dashboardAs('kadi.admin')).status).toBe(200);
    for (const username of ['kadi.rep1', 'kadi.researcher', 'kadi.committee']) {
      const response = await dashboardAs(username);
      expect(response.status, username).toBe(403);
      expect(apiErrorBodySchema.parse(await response.json()).error.code).toBe('forbidden');
    }
    expect((await env.app.request(DASHBOARD_PATH)).status).toBe(401);
  });
});
