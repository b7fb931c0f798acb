// The supervisor's dashboard (issue 7; K-PROC-f, C-OBJ-5, K-SAT-a..f, K-CMPL-a, K-INFO-a): the figures
// the server counts from what the devices synced — deadlines kept by branch, satisfaction, complaint
// response times, the sync's health, the contact officers' load — for supervisors and the administrator
// only. The clock is 2026-11-22 11:00 in Riyadh.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newCase } from '../../src/domain/case-machine';
import { DASHBOARD_PATH, dashboardSchema, type Dashboard } from '../../src/protocol/dashboard';
import { apiErrorBodySchema } from '../../src/protocol/errors';
import { bearer, upsert, useKadiTestApp } from './helpers';

const env = useKadiTestApp();
const { push, versionOf } = env;

async function dashboardAs(username: string) {
  return env.app.request(DASHBOARD_PATH, bearer(await env.tokenOf(username)));
}

const ids = {
  family: randomUUID(),
  single: randomUUID(),
  onTime: randomUUID(),
  late: randomUUID(),
  overdue: randomUUID(),
};
const at = '2026-11-22T08:00:00.000Z';
let dashboard: Dashboard;

beforeAll(async () => {
  const request = (beneficiaryId: string, due: string) => ({
    ...newCase(),
    beneficiaryId,
    number: `R-${due}`,
    status: 'submitted',
    serviceTypeId: 'aid',
    submittedAt: '2026-10-01',
    completedAt: '2026-10-01',
    deadline: { kind: 'dueBy', date: due },
  });
  const person = (name: string, category: string, nationalId: string) => ({
    branchId: env.branch.b1,
    fullName: name,
    nationalId,
    mobile: '+966501234567',
    category,
  });
  expect(
    await push('kadi.rep1', [
      upsert(1, 'beneficiary', ids.family, person('أسرة أبو سالم', 'family', '1000000008')),
      upsert(2, 'beneficiary', ids.single, person('سالم', 'individual', '1000000016')),
      upsert(3, 'case', ids.onTime, request(ids.family, '2026-12-15')),
      upsert(4, 'case', ids.late, request(ids.family, '2026-11-10')),
      upsert(5, 'case', ids.overdue, request(ids.single, '2026-11-15')),
      // Two answers after the service: one named, one anonymous (C-OBJ-6); 4.5 and 3 on the 1–5 scale.
      upsert(6, 'survey_response', randomUUID(), {
        surveyId: randomUUID(),
        caseId: ids.onTime,
        branchId: env.branch.b1,
        beneficiaryId: ids.family,
        answers: { q1: 5, q2: 4, comment: 'شكراً' },
        at,
      }),
      upsert(7, 'survey_response', randomUUID(), {
        surveyId: randomUUID(),
        caseId: ids.onTime,
        branchId: env.branch.b1,
        beneficiaryId: null,
        answers: { q1: 3, q2: 3, recommend: true },
        at,
      }),
      // A complaint answered two hours after it came, one still waiting.
      upsert(8, 'complaint', randomUUID(), {
        reference: 'KADI-AAAAAAAAAA',
        beneficiaryId: null,
        channel: 'phone',
        kind: 'complaint',
        text: 'تأخر',
        receivedAt: '2026-11-20T08:00:00.000Z',
        firstResponseAt: '2026-11-20T10:00:00.000Z',
        resolution: null,
      }),
      upsert(9, 'complaint', randomUUID(), {
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
      upsert(10, 'beneficiary', randomUUID(), { ...person('خطأ', 'family', '1000000000') }),
    ]),
  ).toEqual([...Array(9).fill('applied'), 'rejected validation_failed']);
  // The committee decides two requests today: one within its due date, one after it.
  const decision = { at, by: randomUUID(), outcome: 'accepted', reason: 'مستحق' };
  expect(
    await push('kadi.committee', [
      upsert(1, 'case', ids.onTime, { status: 'accepted', decision }, await versionOf(ids.onTime)),
      upsert(2, 'case', ids.late, { status: 'accepted', decision }, await versionOf(ids.late)),
    ]),
  ).toEqual(['applied', 'applied']);
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
        onTime: 1,
        late: 1,
        open: 0,
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
      // Accepted and not yet delivered is still open work.
      ['families', 1, 2],
      ['individuals', 1, 1],
    ]);
    expect(dashboard.sync).toMatchObject({ rejected: 1, byEntity: [{ entity: 'beneficiary', rejected: 1 }] });
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
