// Satisfaction answers (C-OBJ-5, C-OBJ-6, K-SAT-a): what the beneficiary answered on the tablet after a
// service, saved as a survey response that syncs. An anonymous answer names neither the beneficiary nor
// the request, and keeps only the day it was given: the service and branch are enough for the results.
import type { SurveyInstrument } from '../domain/surveys';
import { riyadhDate } from '../domain/working-days';
import type { RecordsRepository } from '../db/records-repository';

export type Answers = Record<string, number | string | boolean>;

export interface SurveyAnswerInput {
  instrument: SurveyInstrument;
  caseId: string | null;
  beneficiaryId: string | null;
  serviceTypeId: string | null;
  branchId: string;
  anonymous: boolean;
  answers: Answers;
  /** The one-time ballot the delivery issued (C-OBJ-6): the server accepts one answer per delivery. */
  ballot: string;
}

export type SurveyAnswerResult = { ok: true; id: string } | { ok: false; code: 'unanswered' };

/** The answers that fit the instrument's questions (1–5 whole numbers, yes/no, text trimmed); the rest dropped. */
function keptAnswers(instrument: SurveyInstrument, given: Answers): Answers {
  const answers: Answers = {};
  for (const q of instrument.questions) {
    const value = given[q.id];
    if (q.scale === '1-5' && typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5)
      answers[q.id] = value;
    else if (q.scale === 'yes-no' && typeof value === 'boolean') answers[q.id] = value;
    else if (q.scale === 'text' && typeof value === 'string' && value.trim() !== '')
      answers[q.id] = value.trim();
  }
  return answers;
}

/**
 * K-SAT-b..d: what a member of staff recorded with a field survey, a supervisory visit or an interview, in
 * the branch concerned (the visited unit, for a visit). It names no request and spends no ballot.
 */
export async function recordStaffAnswer(
  records: RecordsRepository,
  input: { instrument: SurveyInstrument; branchId: string; answers: Answers },
  deps: { now: () => number; newId: () => string },
): Promise<SurveyAnswerResult> {
  const answers = keptAnswers(input.instrument, input.answers);
  if (Object.keys(answers).length === 0) return { ok: false, code: 'unanswered' };
  const id = deps.newId();
  await records.save('survey_response', id, {
    surveyId: input.instrument.id,
    caseId: null,
    beneficiaryId: null,
    serviceTypeId: null,
    branchId: input.branchId,
    answers,
    at: new Date(deps.now()).toISOString(),
  });
  return { ok: true, id };
}

export async function recordSurveyAnswer(
  records: RecordsRepository,
  input: SurveyAnswerInput,
  deps: { now: () => number; newId: () => string },
): Promise<SurveyAnswerResult> {
  const answers = keptAnswers(input.instrument, input.answers);
  if (Object.keys(answers).length === 0) return { ok: false, code: 'unanswered' };
  const id = deps.newId();
  const at = deps.now();
  await records.save('survey_response', id, {
    surveyId: input.instrument.id,
    caseId: input.anonymous ? null : input.caseId,
    beneficiaryId: input.anonymous ? null : input.beneficiaryId,
    serviceTypeId: input.serviceTypeId,
    branchId: input.branchId,
    answers,
    ballot: input.ballot,
    at: input.anonymous ? `${riyadhDate(at)}T12:00:00+03:00` : new Date(at).toISOString(),
  });
  return { ok: true, id };
}
