// The modified client against the real thing (issue 18): the server started as `npm start` starts it (a
// process, demo data, PGlite in a fresh data directory), and forged writes sent over loopback HTTP with
// fetch, as a tampered app build would send them. Each is refused with its code and leaves nothing behind;
// the honest path still goes through.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestNumber } from '../../src/domain/case-machine';
import { loginResponseSchema } from '../../src/protocol/auth';
import { pullResponseSchema, type Change } from '../../src/protocol/sync';
import { jsonRequest, useDemoServerProcess } from './helpers';
import { applicant, honestIntake, outcomeOf, stepClient, type StepServer } from './steps';

// As `npm start` runs it by default (helpers' useDemoServerProcess).
const base = useDemoServerProcess('wasel-forgery-');
const tokens = new Map<string, { token: string; userId: string; branchId: string | null }>();

async function login(username: string) {
  const known = tokens.get(username);
  if (known !== undefined) return known;
  const response = await fetch(
    `${base()}/api/v1/auth/login`,
    jsonRequest({ username, password: 'wasel-demo', deviceId: randomUUID(), deviceName: 'tampered build' }),
  );
  expect(response.status).toBe(200);
  const body = loginResponseSchema.parse(await response.json());
  const session = { token: body.accessToken, userId: body.user.id, branchId: body.user.branchId };
  tokens.set(username, session);
  return session;
}

const server: StepServer = {
  app: { request: (path, init) => fetch(`${base()}${path}`, init) },
  tokenOf: async (username) => (await login(username)).token,
  branch: {},
};

/** Everything a supervisor's device would receive: what the server kept. */
async function everything(): Promise<Change[]> {
  const { token } = await login('kadi.supervisor');
  const changes: Change[] = [];
  for (let cursor = ''; ;) {
    const response = await fetch(`${base()}/api/v1/sync/pull?cursor=${cursor}&limit=1000`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const page = pullResponseSchema.parse(await response.json());
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return changes;
  }
}

beforeAll(async () => {
  server.branch.b1 = (await login('kadi.rep1')).branchId ?? '';
});

describe('forged writes against a running server (npm start, demo data)', () => {
  it('a request pushed "submitted" with its own deadline, a decision in another’s name, stuffed and repeated ratings: all refused, none kept', async () => {
    const rep = stepClient(server, 'kadi.rep1');
    const committee = stepClient(server, 'kadi.committee');
    const { userId: repId } = await login('kadi.rep1');
    const { userId: supervisorId } = await login('kadi.supervisor');
    const { userId: committeeId } = await login('kadi.committee');

    // 1. A request stored "submitted", no steps, a deadline of the device's choosing.
    const beneficiaryId = randomUUID();
    const forgedCase = randomUUID();
    const first = await rep.push([
      rep.upsert('beneficiary', beneficiaryId, applicant(server.branch.b1 ?? '', repId)),
      rep.upsert('case', forgedCase, {
        beneficiaryId,
        number: requestNumber('2026-11-22', forgedCase),
        status: 'submitted',
        deadline: { kind: 'dueBy', date: '2030-01-01' },
      }),
      // The same as steps, but straight to submission.
      rep.step(forgedCase, {
        type: 'opened',
        beneficiaryId,
        number: requestNumber('2020-01-01', forgedCase),
      }),
      rep.step(forgedCase, { type: 'submit' }),
    ]);
    expect(first.map(outcomeOf)).toEqual([
      'applied',
      'case_step_required',
      'applied',
      'case_reception_missing',
    ]);

    // 2. An honest request, submitted; then a decision signed in the supervisor's name, and by the rep.
    const intake = await honestIntake(server, rep, repId);
    const honest = await rep.push([...intake.mutations, rep.step(intake.caseId, { type: 'submit' })]);
    expect(honest.map(outcomeOf).filter((o) => o !== 'applied')).toEqual([]);
    const decision = {
      caseId: intake.caseId,
      outcome: 'accepted',
      reason: 'مستحق',
      decidedAt: new Date().toISOString(),
    };
    const forgedDecision = await committee.push([
      committee.upsert('decision', randomUUID(), { ...decision, by: supervisorId }),
    ]);
    expect(forgedDecision.map(outcomeOf)).toEqual(['stamp_not_caller']);
    const byRep = await rep.push([
      rep.step(intake.caseId, {
        type: 'decided',
        outcome: 'accepted',
        reason: 'مستحق',
        grant: { amount: 1500 },
      }),
    ]);
    expect(byRep.map(outcomeOf)).toEqual(['case_forbidden_role']);
    const decided = await committee.push([
      committee.upsert('decision', randomUUID(), { ...decision, by: committeeId }),
      committee.step(intake.caseId, {
        type: 'decided',
        outcome: 'accepted',
        reason: 'مستحق',
        grant: { amount: 1500 },
      }),
    ]);
    expect(decided.map(outcomeOf)).toEqual(['applied', 'applied']);

    // 3. Ratings: of a request never delivered, a 99 on a 1–5 question, and one delivery rated twice.
    const questionnaire = '5a7e0c1e-0001-4c6f-9a51-6b2f3c0d1e01';
    const answer = (ballot: string, answers: Record<string, unknown>) => ({
      surveyId: questionnaire,
      caseId: null,
      beneficiaryId: null,
      branchId: server.branch.b1,
      serviceTypeId: null,
      answers,
      at: new Date().toISOString(),
      ballot,
    });
    const ballot = randomUUID();
    const early = await rep.push([
      rep.upsert('survey_response', randomUUID(), answer(ballot, { overall: 5 })),
    ]);
    expect(early.map(outcomeOf)).toEqual(['ballot_invalid']);
    const delivered = await rep.push([
      rep.step(intake.caseId, { type: 'delivered', description: 'سلة غذائية', ballot }),
    ]);
    expect(delivered.map(outcomeOf)).toEqual(['applied']);
    const ratings = await rep.push([
      rep.upsert('survey_response', randomUUID(), answer(ballot, { overall: 99 })),
      rep.upsert('survey_response', randomUUID(), answer(ballot, { overall: 5 })),
      rep.upsert('survey_response', randomUUID(), answer(ballot, { overall: 5 })),
    ]);
    expect(ratings.map(outcomeOf)).toEqual(['answers_invalid', 'applied', 'ballot_invalid']);

    // What the server kept: the one honest request, as the server derived it; no forged one; one rating.
    const kept = await everything();
    const requests = kept.filter((c) => c.entity === 'case');
    expect(requests.map((c) => c.recordId).sort()).toEqual([forgedCase, intake.caseId].sort());
    expect(requests.find((c) => c.recordId === forgedCase)?.data).toMatchObject({
      status: 'draft',
      deadline: null,
    });
    const request = requests.find((c) => c.recordId === intake.caseId)?.data;
    expect(request).toMatchObject({
      status: 'delivered',
      reception: { by: repId },
      decision: { by: committeeId },
      delivery: { by: repId },
    });
    expect((request?.deadline as { date?: string } | null)?.date).not.toBe('2030-01-01');
    expect(kept.filter((c) => c.entity === 'decision')).toHaveLength(1);
    expect(kept.filter((c) => c.entity === 'survey_response').map((c) => c.data?.answers)).toEqual([
      { overall: 5 },
    ]);
  }, 60_000);
});
