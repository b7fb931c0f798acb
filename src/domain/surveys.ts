// The satisfaction instruments (C-OBJ-5, K-SAT-a..d): a periodic questionnaire (also the one handed to the
// beneficiary on the tablet after a service), a field survey, a supervisory visit checklist and an interview
// guide. Each association uses those its policy names (profile.chapters.satisfactionMethods). Answers are
// scored 1–5 where the question is a scale; free text is never scored.
import type { PolicyProfile } from './profiles/profile';
import type { Role } from './roles';

export type SurveyMethod = 'questionnaire' | 'fieldSurvey' | 'supervisoryVisit' | 'interview';

export interface SurveyQuestion {
  id: string;
  text: { ar: string; en: string };
  scale: '1-5' | 'yes-no' | 'text';
}

export interface SurveyInstrument {
  /** Stable, so that answers from every device and year add up. */
  id: string;
  method: SurveyMethod;
  title: { ar: string; en: string };
  questions: readonly SurveyQuestion[];
}

/** C-OBJ-6, in the policy's words: evaluating is the beneficiary's right, for improvement, not punishment. */
export const evaluationRight = {
  ar: 'تقييمك للخدمة حق لك، وهو أداة لتحسين الخدمة وليس للمحاسبة أو التشهير. يمكنك الإجابة دون ذكر اسمك.',
  en: 'Evaluating the service is your right. It is a tool to improve the service, not to punish or shame anyone. You may answer without your name.',
};

/** The labels of the 1–5 scale, from 1 to 5. */
export const scaleLabels = [
  { ar: 'غير راضٍ أبداً', en: 'Not at all satisfied' },
  { ar: 'غير راضٍ', en: 'Not satisfied' },
  { ar: 'محايد', en: 'Neutral' },
  { ar: 'راضٍ', en: 'Satisfied' },
  { ar: 'راضٍ جداً', en: 'Very satisfied' },
] as const;

const comments: SurveyQuestion = {
  id: 'comments',
  text: { ar: 'ملاحظات أو مقترحات (اختياري)', en: 'Comments or suggestions (optional)' },
  scale: 'text',
};

export const instruments: readonly SurveyInstrument[] = [
  {
    id: '5a7e0c1e-0001-4c6f-9a51-6b2f3c0d1e01',
    method: 'questionnaire',
    title: { ar: 'استبانة قياس رضا المستفيدين', en: 'Beneficiary satisfaction questionnaire' },
    questions: [
      { id: 'staff', text: { ar: 'تعامل الموظف معك', en: 'How the staff member treated you' }, scale: '1-5' },
      {
        id: 'ease',
        text: { ar: 'سهولة الإجراءات ووضوحها', en: 'How easy and clear the steps were' },
        scale: '1-5',
      },
      { id: 'time', text: { ar: 'سرعة تقديم الخدمة', en: 'How quickly the service came' }, scale: '1-5' },
      { id: 'overall', text: { ar: 'رضاك عن الخدمة بشكل عام', en: 'The service overall' }, scale: '1-5' },
      comments,
    ],
  },
  {
    id: '5a7e0c1e-0002-4c6f-9a51-6b2f3c0d1e02',
    method: 'fieldSurvey',
    title: { ar: 'المسح الميداني', en: 'Field survey' },
    questions: [
      {
        id: 'needsMet',
        text: { ar: 'تلبية الخدمة لاحتياج الأسرة', en: 'The service met the household’s need' },
        scale: '1-5',
      },
      {
        id: 'informed',
        text: { ar: 'معرفتكم بقنوات التواصل مع الجمعية', en: 'You know how to reach the association' },
        scale: 'yes-no',
      },
      comments,
    ],
  },
  {
    id: '5a7e0c1e-0003-4c6f-9a51-6b2f3c0d1e03',
    method: 'supervisoryVisit',
    title: { ar: 'قائمة الزيارة الإشرافية', en: 'Supervisory visit checklist' },
    questions: [
      { id: 'reception', text: { ar: 'حسن الاستقبال في الوحدة', en: 'Reception at the unit' }, scale: '1-5' },
      {
        id: 'policyShown',
        text: { ar: 'السياسة متاحة للمستفيدين', en: 'The policy is available to beneficiaries' },
        scale: 'yes-no',
      },
      { id: 'records', text: { ar: 'اكتمال السجلات', en: 'Records complete' }, scale: '1-5' },
      comments,
    ],
  },
  {
    id: '5a7e0c1e-0004-4c6f-9a51-6b2f3c0d1e04',
    method: 'interview',
    title: { ar: 'المقابلة', en: 'Interview' },
    questions: [
      {
        id: 'experience',
        text: { ar: 'تجربتك مع الجمعية', en: 'Your experience with the association' },
        scale: '1-5',
      },
      comments,
    ],
  },
];

/**
 * Who runs each instrument (K-SAT-b..d): the field survey at the beneficiary's home (representatives and
 * researchers), the supervisory visit to a unit of the association (supervisors), the interview (field
 * staff and supervisors). The questionnaire is the beneficiary's own, on the tablet, and spends the
 * delivery's ballot (C-OBJ-6): no member of staff fills it in.
 */
export const instrumentRunners: Record<SurveyMethod, readonly Role[]> = {
  questionnaire: [],
  fieldSurvey: ['representative', 'researcher'],
  supervisoryVisit: ['supervisor'],
  interview: ['representative', 'researcher', 'supervisor'],
};

/**
 * Why a member of staff may not record answers to this instrument, or null: it is the beneficiary's own
 * questionnaire, the association's policy does not name it, or their role does not run it. The same on the
 * device (which offers only the instruments this allows) and on the server.
 */
export function staffSurveyRefusal(
  instrument: SurveyInstrument,
  role: Role,
  profile: PolicyProfile,
): 'survey_by_ballot' | 'survey_not_in_policy' | 'survey_forbidden_role' | null {
  if (instrument.method === 'questionnaire') return 'survey_by_ballot';
  if (!(profile.chapters.satisfactionMethods as readonly string[]).includes(instrument.method))
    return 'survey_not_in_policy';
  if (!instrumentRunners[instrument.method].includes(role)) return 'survey_forbidden_role';
  return null;
}

/** The instruments this role records answers to, of those the policy names (K-SAT-b..d). */
export function staffInstruments(profile: PolicyProfile, role: Role): SurveyInstrument[] {
  return instruments.filter((i) => staffSurveyRefusal(i, role, profile) === null);
}

/** The instruments an association's policy names. */
export function instrumentsOf(profile: PolicyProfile): SurveyInstrument[] {
  const methods: readonly string[] = profile.chapters.satisfactionMethods;
  return instruments.filter((i) => methods.includes(i.method));
}

/** The questionnaire handed to the beneficiary after a service: every profile measures by questionnaire. */
export function postServiceQuestionnaire(): SurveyInstrument {
  const questionnaire = instruments.find((i) => i.method === 'questionnaire');
  if (questionnaire === undefined) throw new Error('no questionnaire');
  return questionnaire;
}

/**
 * C-OBJ-5: the answers' faults against the instrument, as field errors: a question it does not ask, a value
 * off its scale (1–5 whole numbers, yes/no, text). The kiosk keeps only valid answers; the server refuses
 * the rest — one function, so a stuffed rating (99 on a 1–5 question) is caught on both sides.
 */
export function answerErrors(
  instrument: SurveyInstrument,
  answers: Readonly<Record<string, unknown>>,
): { path: string; code: string }[] {
  const errors: { path: string; code: string }[] = [];
  for (const [id, value] of Object.entries(answers)) {
    const question = instrument.questions.find((q) => q.id === id);
    const fits =
      question === undefined
        ? false
        : question.scale === '1-5'
          ? typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5
          : question.scale === 'yes-no'
            ? typeof value === 'boolean'
            : typeof value === 'string' && value.trim() !== '' && value.length <= 4000;
    if (!fits)
      errors.push({
        path: `answers.${id}`,
        code: question === undefined ? 'question_unknown' : 'answer_off_scale',
      });
  }
  if (Object.keys(answers).length === 0) errors.push({ path: 'answers', code: 'unanswered' });
  return errors;
}

export const instrumentById = (id: unknown): SurveyInstrument | undefined =>
  instruments.find((i) => i.id === id);
