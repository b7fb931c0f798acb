// Satisfaction answers from the kiosk (src/state/satisfaction.ts, src/domain/surveys.ts): what is kept of
// an anonymous answer, what counts as an answer, which instruments each policy uses.
import { describe, expect, it } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';
import { createCipher, randomKeys } from '../../src/db/vault';
import { profiles } from '../../src/domain/profiles/associations';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import { instrumentsOf, postServiceQuestionnaire } from '../../src/domain/surveys';
import { recordSurveyAnswer } from '../../src/state/satisfaction';

const clock = Date.parse('2026-11-22T18:30:00Z'); // 21:30 in Riyadh
const ids = {
  case: crypto.randomUUID(),
  beneficiary: crypto.randomUUID(),
  branch: crypto.randomUUID(),
  ballot: crypto.randomUUID(),
};

async function repository() {
  const db = new WaselDb(`satisfaction-${crypto.randomUUID()}`);
  return createRecordsRepository(db, createCipher(await randomKeys()), {
    newId: () => crypto.randomUUID(),
    now: () => clock,
  });
}

const answer = (anonymous: boolean, answers: Record<string, number | string | boolean>) => ({
  instrument: postServiceQuestionnaire(),
  caseId: ids.case,
  beneficiaryId: ids.beneficiary,
  serviceTypeId: 'aid',
  branchId: ids.branch,
  anonymous,
  answers,
  ballot: ids.ballot,
});
const deps = { now: () => clock, newId: () => crypto.randomUUID() };

describe('answers from the kiosk (C-OBJ-5, C-OBJ-6)', () => {
  it('C-OBJ-6 an anonymous answer names neither the beneficiary nor the request, and keeps only the day', async () => {
    const records = await repository();
    const saved = await recordSurveyAnswer(
      records,
      answer(true, { staff: 5, overall: 4, comments: ' شكراً ' }),
      deps,
    );
    if (!saved.ok) throw new Error('refused');
    expect((await records.get('survey_response', saved.id))?.data).toEqual({
      surveyId: postServiceQuestionnaire().id,
      caseId: null,
      beneficiaryId: null,
      serviceTypeId: 'aid',
      branchId: ids.branch,
      answers: { staff: 5, overall: 4, comments: 'شكراً' },
      at: '2026-11-22T12:00:00+03:00',
      // The delivery's one-time ballot travels with the answer; the server spends it and does not keep it.
      ballot: ids.ballot,
    });
  });

  it('C-OBJ-5 a named answer keeps its request; out-of-scale and empty answers are dropped; nothing is refused', async () => {
    const records = await repository();
    const saved = await recordSurveyAnswer(
      records,
      answer(false, { staff: 3, ease: 9, time: 2.5, comments: ' ' }),
      deps,
    );
    if (!saved.ok) throw new Error('refused');
    expect((await records.get('survey_response', saved.id))?.data).toMatchObject({
      caseId: ids.case,
      beneficiaryId: ids.beneficiary,
      answers: { staff: 3 },
      at: '2026-11-22T18:30:00.000Z',
    });
    expect(await recordSurveyAnswer(records, answer(true, { comments: '' }), deps)).toEqual({
      ok: false,
      code: 'unanswered',
    });
  });

  it('K-SAT-a K-SAT-b K-SAT-c K-SAT-d each policy uses the instruments it names', () => {
    const methods = (code: string) => instrumentsOf(profiles[code] as PolicyProfile).map((i) => i.method);
    expect(methods('kadi')).toEqual(['questionnaire', 'fieldSurvey', 'supervisoryVisit', 'interview']);
    expect(methods('bakkah')).toEqual(['questionnaire']);
  });
});
