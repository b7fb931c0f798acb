// K-SAT-b..d over HTTP, as a modified client would try it: staff record a field survey, a supervisory visit
// or an interview without a ballot, but only an instrument their association's policy names and their role
// runs, tied to no request; the beneficiary's own questionnaire still spends a delivery's ballot. The
// dashboard counts each instrument apart, and the satisfaction figures stay the beneficiaries' own. Runs on
// PGlite (npm test) and PostgreSQL (npm run test:pg), over the HTTP API in-process.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { instruments, type SurveyMethod } from '../../src/domain/surveys';
import { dashboardSchema } from '../../src/protocol/dashboard';
import { bearer, upsert, useKadiTestApp } from './helpers';

const env = useKadiTestApp();

const surveyOf = (method: SurveyMethod) => {
  const found = instruments.find((i) => i.method === method);
  if (found === undefined) throw new Error(method);
  return found;
};

/** Answers to every scaled question of the instrument: 4 on a scale, yes for yes/no. */
const answered = (method: SurveyMethod) =>
  Object.fromEntries(
    surveyOf(method)
      .questions.filter((q) => q.scale !== 'text')
      .map((q) => [q.id, q.scale === '1-5' ? 4 : true]),
  );

const answer = (method: SurveyMethod, branchId: string, extra: Record<string, unknown> = {}) => ({
  surveyId: surveyOf(method).id,
  caseId: null,
  beneficiaryId: null,
  serviceTypeId: null,
  branchId,
  answers: answered(method),
  at: '2026-11-22T10:00:00+03:00',
  ...extra,
});

const one = async (username: string, data: Record<string, unknown>) =>
  (await env.push(username, [upsert(1, 'survey_response', randomUUID(), data)]))[0];

async function byMethod() {
  const response = await env.app.request('/api/v1/dashboard', bearer(await env.tokenOf('kadi.supervisor')));
  expect(response.status).toBe(200);
  const { satisfaction } = dashboardSchema.parse(await response.json());
  return { satisfaction, count: (m: SurveyMethod) => satisfaction.byMethod.find((r) => r.method === m) };
}

describe('K-SAT-b..d staff instruments, judged by the server', () => {
  it('a representative records a field survey and an interview in their branch, with no ballot', async () => {
    const b1 = env.branch.b1 ?? '';
    expect(await one('kadi.rep1', answer('fieldSurvey', b1))).toBe('applied');
    expect(await one('kadi.rep1', answer('interview', b1))).toBe('applied');
    const { satisfaction, count } = await byMethod();
    expect(count('fieldSurvey')).toEqual({ method: 'fieldSurvey', responses: 1, mean: 4 });
    expect(count('interview')?.responses).toBe(1);
    // The beneficiaries' figures are theirs alone: no staff answer among them, nor as "anonymous".
    expect(satisfaction.responses).toBe(count('questionnaire')?.responses);
    expect(satisfaction.anonymous).toBe(0);
  });

  it('the supervisor records a supervisory visit to a unit; a representative may not', async () => {
    expect(await one('kadi.supervisor', answer('supervisoryVisit', env.branch.b2 ?? ''))).toBe('applied');
    expect((await byMethod()).count('supervisoryVisit')?.responses).toBe(1);
    expect(await one('kadi.rep1', answer('supervisoryVisit', env.branch.b1 ?? ''))).toBe(
      'rejected survey_forbidden_role',
    );
    // Nor the committee a field survey: the instrument says who runs it.
    expect(await one('kadi.committee', answer('fieldSurvey', env.branch.b2 ?? ''))).toBe(
      'rejected survey_forbidden_role',
    );
  });

  it('an instrument the association’s policy does not name is refused', async () => {
    const [branch] = await env.db.query<{ id: string }>(
      "SELECT b.id FROM branches b JOIN associations a ON a.id = b.association_id WHERE a.code = 'bakkah' LIMIT 1",
    );
    expect(await one('bakkah.rep1', answer('fieldSurvey', branch?.id ?? ''))).toBe(
      'rejected survey_not_in_policy',
    );
  });

  it('a staff answer names no request and spends no ballot; answers off the scale are refused', async () => {
    const b1 = env.branch.b1 ?? '';
    expect(await one('kadi.rep1', answer('fieldSurvey', b1, { caseId: randomUUID() }))).toBe(
      'rejected validation_failed',
    );
    expect(await one('kadi.rep1', answer('fieldSurvey', b1, { ballot: randomUUID() }))).toBe(
      'rejected validation_failed',
    );
    expect(await one('kadi.rep1', answer('fieldSurvey', b1, { answers: { needsMet: 99 } }))).toBe(
      'rejected answers_invalid',
    );
    // The beneficiary's questionnaire is not a staff form: without a delivery's ballot, refused as ever.
    expect(await one('kadi.rep1', answer('questionnaire', b1))).toBe('rejected ballot_invalid');
  });

  it('a field survey may name a beneficiary of its branch, not one of another branch', async () => {
    const [b1, b2] = [env.branch.b1 ?? '', env.branch.b2 ?? ''];
    const person = (branchId: string, mobile: string) => ({
      branchId,
      fullName: 'سلمى خالد العتيبي',
      nationalId: '1000000008',
      mobile,
    });
    const [ours, theirs] = [randomUUID(), randomUUID()];
    expect(
      await env.push('kadi.rep1', [upsert(1, 'beneficiary', ours, person(b1, '+966551000001'))]),
    ).toEqual(['applied']);
    expect(
      await env.push('kadi.rep2', [upsert(1, 'beneficiary', theirs, person(b2, '+966551000002'))]),
    ).toEqual(['applied']);
    expect(await one('kadi.rep1', answer('fieldSurvey', b1, { beneficiaryId: ours }))).toBe('applied');
    expect(await one('kadi.rep1', answer('fieldSurvey', b1, { beneficiaryId: theirs }))).toBe(
      'rejected validation_failed',
    );
  });

  it('a representative records only in their own branch; a visit names one of the association’s units', async () => {
    expect(await one('kadi.rep1', answer('fieldSurvey', env.branch.b2 ?? ''))).toBe('rejected forbidden');
    // Nor a unit the association does not have.
    expect(await one('kadi.supervisor', answer('supervisoryVisit', randomUUID()))).toBe(
      'rejected validation_failed',
    );
  });
});
