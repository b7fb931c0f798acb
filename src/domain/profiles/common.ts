// What the four common texts (ld, bakkah, awn, qalb) share, in their own Arabic words.
import { commonClauseIds, lawClauseIds } from '../clauses';
import type { PolicyProfile } from './profile';

type Common = Pick<
  PolicyProfile,
  | 'channels'
  | 'tools'
  | 'requestForm'
  | 'decidingBody'
  | 'procedure'
  | 'declaration'
  | 'deadlineRule'
  | 'deadlineText'
  | 'clauses'
  | 'retention'
  | 'contactOfficers'
>;

/**
 * L-RETAIN, a starting configuration for the association's administrator (and its legal adviser) to adjust:
 * a beneficiary's file is kept 5 years after its last activity; the records of support given — the case,
 * the committee's decision, a compensation — are financial records, kept 10 years.
 */
export const defaultRetention: PolicyProfile['retention'] = [
  { entity: 'beneficiary', years: 5 },
  { entity: 'household_member', years: 5 },
  { entity: 'interaction', years: 5 },
  { entity: 'attachment', years: 5 },
  { entity: 'research_report', years: 5 },
  { entity: 'notification', years: 5 },
  { entity: 'complaint', years: 5 },
  { entity: 'survey_response', years: 5 },
  { entity: 'case', years: 10 },
  { entity: 'decision', years: 10 },
  { entity: 'compensation', years: 10 },
];

export const commonChannels: PolicyProfile['channels'] = [
  { id: 'interview', clause: 'C-CH-1', label: { ar: 'المقابلة', en: 'Interview' } },
  { id: 'phone', clause: 'C-CH-2', label: { ar: 'الاتصالات الهاتفية', en: 'Phone calls' } },
  { id: 'social_media', clause: 'C-CH-3', label: { ar: 'وسائل التواصل الاجتماعي', en: 'Social media' } },
  { id: 'letters', clause: 'C-CH-4', label: { ar: 'الخطابات', en: 'Letters' } },
  {
    id: 'assistance_request',
    clause: 'C-CH-5',
    label: { ar: 'خدمات طلب المساعدة', en: 'Assistance-request services' },
  },
  { id: 'volunteering', clause: 'C-CH-6', label: { ar: 'خدمة التطوع', en: 'Volunteering service' } },
  {
    id: 'website',
    clause: 'C-CH-7',
    label: { ar: 'الموقع الالكتروني للجمعية', en: "The association's website" },
  },
  {
    id: 'branch_representative',
    clause: 'C-CH-8',
    label: { ar: 'مناديب المكاتب الفرعية', en: 'Branch-office representatives' },
  },
];

export const common: Common = {
  channels: commonChannels,
  // The common texts have no contact-officer chapter (K-INFO is Kadi's).
  contactOfficers: [],
  tools: [
    {
      id: 'bylaws',
      clause: 'C-TOOL-1',
      kind: 'reference',
      label: { ar: 'اللائحة الأساسية للجمعية', en: "The association's basic bylaws" },
    },
    {
      id: 'research_guide',
      clause: 'C-TOOL-2',
      kind: 'reference',
      label: { ar: 'دليل خدمات البحث الاجتماعي', en: 'Social research services guide' },
    },
    {
      id: 'support_policy_guide',
      clause: 'C-TOOL-3',
      kind: 'reference',
      label: { ar: 'دليل سياسة الدعم للمستفيدين', en: 'Beneficiary support policy guide' },
    },
    {
      id: 'support_request_form',
      clause: 'C-TOOL-4',
      kind: 'form',
      label: { ar: 'طلب دعم مستفيد', en: 'Beneficiary support request' },
    },
  ],
  requestForm: { ar: 'طلب دعم مستفيد', en: 'Beneficiary support request' },
  decidingBody: { ar: 'لجنة البحث', en: 'The research committee' },
  procedure: [
    {
      id: 'reception',
      clause: 'C-PROC-1',
      label: {
        ar: 'استقبال المستفيد بلباقة واحترام والإجابة على جميع الاستفسارات',
        en: 'Receive the beneficiary and answer every inquiry',
      },
    },
    {
      id: 'completeness',
      clause: 'C-PROC-2',
      label: {
        ar: 'التأكد من تقديم المراجع كافة المعلومات المطلوبة',
        en: 'Make sure all required information is given',
      },
    },
    {
      id: 'verification',
      clause: 'C-PROC-2',
      label: {
        ar: 'مطابقة البيانات والتأكد من صلاحيتها وقت التقديم',
        en: 'Match the data and check its validity at submission',
      },
    },
    {
      id: 'referral',
      clause: 'C-PROC-3',
      optional: true,
      label: { ar: 'الإحالة لمسؤول البحث الاجتماعي', en: 'Refer to the social research officer' },
    },
    {
      id: 'declaration',
      clause: 'C-PROC-4',
      label: { ar: 'التأكيد على صحة البيانات المقدمة والتوقيع عليها', en: 'Confirm the data and sign it' },
    },
    {
      id: 'submission',
      clause: 'C-PROC-5',
      label: {
        ar: 'رفع الطلب للجنة البحث لدراسته والرد عليه',
        en: 'Submit the request to the research committee',
      },
    },
    {
      id: 'registration',
      clause: 'C-PROC-6',
      label: { ar: 'استكمال إجراءات التسجيل مع اكتمال الطلبات', en: 'Complete registration' },
    },
    { id: 'delivery', clause: 'C-PROC-7', label: { ar: 'تقديم الخدمة اللازمة', en: 'Provide the service' } },
  ],
  declaration: {
    ar: 'أقر بصحة البيانات المقدمة مني في هذا الطلب، وأنني مسؤول مسؤولية مباشرة عن صحة المعلومات.',
    en: 'I confirm that the data I have given in this request is correct, and I bear direct responsibility for its accuracy.',
  },
  deadlineRule: { kind: 'notBefore', calendarDays: 14, from: 'submission' },
  deadlineText: {
    ar: 'سيُرفع طلبك للجنة البحث لدراسة طلبك والرد عليه بشأن قبوله أو رفضه خلال مدة لا تقل عن أسبوعين.',
    en: 'Your request goes to the research committee, which will reply with acceptance or rejection within a period of not less than two weeks.',
  },
  clauses: [...commonClauseIds, ...lawClauseIds],
  retention: defaultRetention,
};

/** Requirements that most support requests share. */
export const basicRequirements: PolicyProfile['serviceTypes'][number]['requirements'] = [
  {
    id: 'national_id',
    kind: 'field',
    label: { ar: 'رقم الهوية الوطنية أو الإقامة', en: 'National ID or iqama number' },
  },
  { id: 'mobile', kind: 'field', label: { ar: 'رقم الجوال', en: 'Mobile number' } },
  { id: 'national_address', kind: 'field', label: { ar: 'العنوان الوطني', en: 'National Address' } },
  { id: 'id_copy', kind: 'document', label: { ar: 'صورة الهوية', en: 'Copy of the ID' } },
];

export const householdRequirements: PolicyProfile['serviceTypes'][number]['requirements'] = [
  { id: 'household', kind: 'field', label: { ar: 'بيانات أفراد الأسرة', en: 'Household members' } },
  { id: 'monthly_income', kind: 'field', label: { ar: 'الدخل الشهري', en: 'Monthly income' } },
  { id: 'income_proof', kind: 'document', label: { ar: 'ما يثبت الدخل', en: 'Proof of income' } },
];

export const medicalReport: PolicyProfile['serviceTypes'][number]['requirements'][number] = {
  id: 'medical_report',
  kind: 'document',
  label: { ar: 'تقرير طبي', en: 'Medical report' },
};

/** The common texts have none of Kadi's optional chapters; they measure satisfaction (C-OBJ-5) by questionnaire. */
export const commonChapters: PolicyProfile['chapters'] = {
  compensation: false,
  complaints: false,
  contactOfficers: false,
  satisfactionMethods: ['questionnaire'],
  staffSignOff: false,
};
