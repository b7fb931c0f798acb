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

export async function recordSurveyAnswer(
  records: RecordsRepository,
  input: SurveyAnswerInput,
  deps: { now: () => number; newId: () => string },
): Promise<SurveyAnswerResult> {
  const answers: Answers = {};
  for (const q of input.instrument.questions) {
    const value = input.answers[q.id];
    if (q.scale === '1-5' && typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5)
      answers[q.id] = value;
    else if (q.scale === 'yes-no' && typeof value === 'boolean') answers[q.id] = value;
    else if (q.scale === 'text' && typeof value === 'string' && value.trim() !== '')
      answers[q.id] = value.trim();
  }
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
