// Satisfaction answers arriving over sync (C-OBJ-5, C-OBJ-6, K-SAT-a..d): checked against their instrument,
// tied to a delivered request or to none, and the beneficiary's one-time ballot spent.
import {
  answerErrors,
  instrumentById,
  staffSurveyRefusal,
  type SurveyInstrument,
} from '../../../src/domain/surveys';
import { isOpenBranch } from '../../store/records-store';
import { spendBallot } from '../../store/sync-store';
import type { PushContext } from './push-context';
import { Rejection } from './rejection';

type Data = Record<string, unknown>;

/** What an answer is checked with: the push's transaction, records, caller and profile. */
type AnswerContext = Pick<PushContext, 'tx' | 'set' | 'auth' | 'profile'>;

/** The branch an answer names (a UUID once the answer is valid). */
const branchOfAnswer = (answer: Data) => (typeof answer.branchId === 'string' ? answer.branchId : null);

/**
 * K-SAT-b..d: answers a member of staff records with a field survey, a supervisory visit or an interview:
 * an instrument the policy names and their role runs, tied to no request and spending no ballot; a named
 * beneficiary must be one the association holds.
 */
async function staffAnswer(
  { tx, set, auth, profile }: AnswerContext,
  instrument: SurveyInstrument,
  answer: Data,
): Promise<Data> {
  const refusal = staffSurveyRefusal(instrument, auth.role, profile);
  if (refusal !== null)
    throw new Rejection(refusal, 'This survey is not recorded by this role here.', [
      { path: 'surveyId', code: refusal },
    ]);
  if (answer.caseId !== null || answer.ballot !== undefined)
    throw new Rejection('validation_failed', 'A staff survey names no request and spends no ballot.', [
      { path: answer.caseId !== null ? 'caseId' : 'ballot', code: 'survey_by_staff' },
    ]);
  if (typeof answer.beneficiaryId === 'string') {
    const person = await set.data('beneficiary', answer.beneficiaryId);
    if (person === null)
      throw new Rejection('parent_not_found', `No beneficiary ${answer.beneficiaryId}.`, [
        { path: 'beneficiaryId', code: 'parent_not_found' },
      ]);
    // Someone of the branch the answer is recorded in: not a way to name another branch's beneficiary.
    if (person.branchId !== answer.branchId)
      throw new Rejection('validation_failed', 'The beneficiary is of another branch.', [
        { path: 'beneficiaryId', code: 'beneficiary_mismatch' },
      ]);
  }
  // The unit concerned (the one visited, for a supervisor) is one of the association's open branches.
  if (!(await isOpenBranch(tx, auth.aid, branchOfAnswer(answer))))
    throw new Rejection('validation_failed', 'No such branch.', [
      { path: 'branchId', code: 'branch_unknown' },
    ]);
  return { ...answer, serviceTypeId: null };
}

/**
 * C-OBJ-5, C-OBJ-6, K-SAT-a: an answer is checked against its instrument's questions and scales; the
 * beneficiary's questionnaire belongs to one delivered request and spends that delivery's one-time ballot. A named answer's request must be
 * delivered and its beneficiary's; an anonymous one names neither. The ballot is spent, never stored with the
 * answer; the service rated comes from the ballot, not the device. Returns the answer as stored.
 */
export async function checkAnswer(push: AnswerContext, answer: Data): Promise<Data> {
  const { tx, set, auth } = push;
  let named: Data | null = null;
  const instrument = instrumentById(answer.surveyId);
  if (instrument === undefined)
    throw new Rejection('survey_unknown', 'No such survey.', [{ path: 'surveyId', code: 'survey_unknown' }]);
  const faults = answerErrors(instrument, (answer.answers ?? {}) as Data);
  if (faults.length > 0) throw new Rejection('answers_invalid', 'The answers do not fit the survey.', faults);
  if (instrument.method !== 'questionnaire') return staffAnswer(push, instrument, answer);
  if (typeof answer.caseId === 'string') {
    const request = await set.data('case', answer.caseId);
    if (
      request === null ||
      (request.status !== 'delivered' && request.status !== 'closed') ||
      request.delivery == null
    )
      throw new Rejection('survey_not_delivered', 'Only a delivered request is rated.', [
        { path: 'caseId', code: 'survey_not_delivered' },
      ]);
    if (answer.beneficiaryId !== request.beneficiaryId)
      throw new Rejection('validation_failed', 'The answer names another beneficiary.', [
        { path: 'beneficiaryId', code: 'beneficiary_mismatch' },
      ]);
    if ((await set.children('survey_response', 'caseId', answer.caseId)).length > 0)
      throw new Rejection('survey_already_answered', 'This request has been rated already.', [
        { path: 'caseId', code: 'survey_already_answered' },
      ]);
    named = request;
  } else if (answer.beneficiaryId !== null) {
    throw new Rejection('validation_failed', 'An anonymous answer names nobody.', [
      { path: 'beneficiaryId', code: 'anonymous_names_nobody' },
    ]);
  }
  const ballot = await spendBallot(tx, {
    associationId: auth.aid,
    ballotId: typeof answer.ballot === 'string' ? answer.ballot : null,
    branchId: branchOfAnswer(answer),
  });
  if (ballot === undefined)
    throw new Rejection('ballot_invalid', 'A rating needs the unspent ballot of a delivery in this branch.', [
      { path: 'ballot', code: 'ballot_invalid' },
    ]);
  const stored = Object.fromEntries(Object.entries(answer).filter(([field]) => field !== 'ballot'));
  // The service rated is the request's for a named answer, the ballot's for an anonymous one.
  return {
    ...stored,
    serviceTypeId: named === null ? ballot.service_type_id : (named.serviceTypeId ?? null),
  };
}
