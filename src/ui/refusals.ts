// A change the server refused, said in the user's language: which field (by its label on the form), what is
// wrong with it, and what to do now — correct and resend, ask the supervisor, or discard. The codes are the
// server's stable ones (src/protocol/errors.ts, the sync service's refusals, zod's issue codes).
import type { Lang } from '../state/preferences';

type Words = Record<Lang, string>;

const fieldLabels: Record<string, Words> = {
  fullName: { ar: 'الاسم الكامل', en: 'Full name' },
  name: { ar: 'الاسم', en: 'Name' },
  nationalId: { ar: 'رقم الهوية', en: 'National ID' },
  mobile: { ar: 'رقم الجوال', en: 'Mobile' },
  email: { ar: 'البريد الإلكتروني', en: 'E-mail' },
  birthDate: { ar: 'تاريخ الميلاد', en: 'Date of birth' },
  gender: { ar: 'الجنس', en: 'Gender' },
  nationality: { ar: 'الجنسية', en: 'Nationality' },
  relation: { ar: 'صلة القرابة', en: 'Relation' },
  monthlyIncome: { ar: 'الدخل الشهري', en: 'Monthly income' },
  category: { ar: 'فئة المستفيد', en: 'Category' },
  address: { ar: 'العنوان الوطني', en: 'National address' },
  preferredChannel: { ar: 'قناة التواصل المفضلة', en: 'Preferred channel' },
  preferredChannelOther: { ar: 'اسم القناة', en: 'Channel name' },
  channel: { ar: 'القناة', en: 'Channel' },
  channelOther: { ar: 'اسم القناة', en: 'Channel name' },
  summary: { ar: 'الملخص', en: 'Summary' },
  answer: { ar: 'الإجابة', en: 'Answer' },
  followUpOn: { ar: 'موعد المتابعة', en: 'Follow-up date' },
  nextVisitOn: { ar: 'الزيارة القادمة', en: 'Next visit' },
  serviceTypeId: { ar: 'الخدمة', en: 'Service' },
  providedItems: { ar: 'المتطلبات المقدمة', en: 'Requirements provided' },
  sensitive: { ar: 'البيانات الحساسة', en: 'Sensitive data' },
  idExpiry: { ar: 'تاريخ انتهاء الهوية', en: 'ID expiry' },
  beneficiaryId: { ar: 'المستفيد', en: 'Beneficiary' },
  branchId: { ar: 'الفرع', en: 'Branch' },
};

const fieldProblems: Record<string, Words> = {
  too_big: { ar: 'أطول أو أكبر من المسموح', en: 'too long or too large' },
  too_small: { ar: 'فارغ أو أقصر من المسموح', en: 'empty or too short' },
  invalid_format: { ar: 'بصيغة غير صحيحة', en: 'not in the right format' },
  invalid_type: { ar: 'ناقص أو من نوع غير صحيح', en: 'missing or of the wrong kind' },
  invalid_value: { ar: 'ليس من الخيارات المسموح بها', en: 'not one of the allowed choices' },
  national_id: { ar: 'رقم هوية غير صحيح', en: 'not a valid national ID' },
  saudi_mobile: { ar: 'رقم جوال غير صحيح', en: 'not a valid Saudi mobile' },
  category_not_in_profile: { ar: 'ليست من فئات سياسة الجمعية', en: 'not a category of the policy' },
  channel_not_in_profile: { ar: 'ليست من قنوات الجمعية', en: 'not one of the association’s channels' },
  channel_name_required: { ar: 'اكتب اسم القناة', en: 'name the channel' },
  field_not_in_profile: {
    ar: 'ليس من البيانات التي تجمعها الجمعية',
    en: 'not data the association collects',
  },
  service_not_in_profile: { ar: 'ليست من خدمات الجمعية', en: 'not a service of the association' },
  requirement_not_in_service: { ar: 'ليس من متطلبات الخدمة', en: 'not a requirement of the service' },
  stamp_not_caller: { ar: 'باسم مستخدم آخر', en: 'in another user’s name' },
};

type Action = 'correct' | 'supervisor' | 'discard' | 'request';

const refusals: Record<string, { reason: Words; action: Action }> = {
  validation_failed: {
    reason: { ar: 'البيانات لا تطابق قواعد السجل', en: 'The data does not meet the record’s rules' },
    action: 'correct',
  },
  forbidden: {
    reason: { ar: 'هذا التغيير ليس من صلاحيتك', en: 'This change is not within your role' },
    action: 'supervisor',
  },
  stamp_not_caller: {
    reason: { ar: 'التغيير يحمل اسم مستخدم آخر', en: 'The change carries another user’s name' },
    action: 'discard',
  },
  record_destroyed: {
    reason: { ar: 'أُتلف هذا السجل بطلب حقوق، فلا يقبل تغييرًا', en: 'This record was destroyed on request' },
    action: 'discard',
  },
  record_final: {
    reason: {
      ar: 'هذا السجل نهائي لا يُعدَّل؛ يُسجَّل التصحيح إدخالًا جديدًا',
      en: 'This record is final; a correction is a new entry',
    },
    action: 'discard',
  },
  parent_not_found: {
    reason: {
      ar: 'السجل الذي يتبعه غير موجود على الخادم',
      en: 'The record it belongs to is not on the server',
    },
    action: 'supervisor',
  },
  parent_mismatch: {
    reason: { ar: 'ينتسب إلى سجل آخر', en: 'It belongs to another record' },
    action: 'discard',
  },
  case_step_required: {
    reason: { ar: 'الطلب لا يتغير إلا بخطوات إجرائه', en: 'A request changes only by its procedure’s steps' },
    action: 'request',
  },
  survey_already_answered: {
    reason: { ar: 'قُيّمت هذه الخدمة من قبل', en: 'This service was rated already' },
    action: 'discard',
  },
  ballot_invalid: {
    reason: {
      ar: 'بطاقة التقييم مستعملة أو من فرع آخر',
      en: 'The rating’s ballot was spent or is another branch’s',
    },
    action: 'discard',
  },
};

const actions: Record<Action, Words> = {
  correct: { ar: 'صحّح الحقل ثم أعد الإرسال.', en: 'Correct the field, then send it again.' },
  supervisor: {
    ar: 'لا يمكن إرساله كما هو: راجع المشرف، ثم تجاهل التغيير إن لم يلزم.',
    en: 'It cannot go as it is: ask your supervisor, then discard the change if it is not needed.',
  },
  discard: {
    ar: 'لا يمكن إرساله: تجاهل التغيير بعد الاطلاع عليه.',
    en: 'It cannot be sent: discard the change once you have read it.',
  },
  request: {
    ar: 'افتح الطلب لترى حاله على الخادم وأكمل ما ينقص.',
    en: 'Open the request to see it as the server holds it, and complete what is missing.',
  },
};

export interface Refusal {
  /** What was refused, in words: the reason and each field with its problem. */
  reason: string;
  fields: { path: string; label: string; problem: string }[];
  action: string;
}

/** The label of a field as the forms show it; a field without one keeps its name. */
export function fieldLabel(path: string, lang: Lang): string {
  const top = path.split('.')[0] ?? path;
  return fieldLabels[top]?.[lang] ?? path;
}

export function describeRefusal(
  error: { code: string; fields: readonly { path: string; code: string }[] },
  lang: Lang,
): Refusal {
  const known = refusals[error.code];
  const fields = error.fields.map((f) => ({
    path: f.path,
    label: fieldLabel(f.path, lang),
    problem: fieldProblems[f.code]?.[lang] ?? f.code,
  }));
  const action: Action = known?.action ?? (fields.length > 0 ? 'correct' : 'supervisor');
  return {
    reason:
      known?.reason[lang] ??
      (lang === 'ar'
        ? `رفض الخادم التغيير (${error.code})`
        : `The server refused the change (${error.code})`),
    fields,
    action: actions[action][lang],
  };
}
