// The five associations' profiles. Channels, tools, procedure, declaration and reply rule are their policy
// texts' own; categories and service types are not listed in the texts, so these are starting
// configurations (from each association's field of work) that its administrator adjusts.
import { kadiClauseIds, lawClauseIds } from '../clauses';
import {
  basicRequirements,
  common,
  commonChapters,
  defaultRetention,
  householdRequirements,
  medicalReport,
} from './common';
import { profileSchema, type PolicyProfile } from './profile';

const staffOnly: PolicyProfile['sensitive'] = {
  fields: ['parents_unknown'],
  roles: ['researcher', 'committee', 'supervisor'],
};

const ld: PolicyProfile = {
  code: 'ld',
  name: { ar: 'الجمعية الخيرية لصعوبات التعلم', en: 'Charity for Learning Difficulties' },
  policy: {
    title: {
      ar: 'سياسة تنظيم العلاقة مع المستفيدين',
      en: 'Policy for organizing the relationship with beneficiaries',
    },
    version: '1',
    // The text's approval page reads "Error! Bookmark not defined.": no meeting or date is recorded.
    approval: null,
    source: 'seeds/ld-learning-difficulties.txt',
  },
  ...common,
  categories: [
    { id: 'student', label: { ar: 'طالب لديه صعوبات تعلم', en: 'Student with learning difficulties' } },
    { id: 'family', label: { ar: 'أسرة الطالب', en: "Student's family" } },
    { id: 'school', label: { ar: 'مدرسة أو معلم', en: 'School or teacher' } },
  ],
  serviceTypes: [
    {
      id: 'assessment',
      label: { ar: 'تشخيص صعوبات التعلم', en: 'Learning difficulties assessment' },
      criteria: [{ ar: 'طالب في مراحل التعليم العام', en: 'A student in general education' }],
      requirements: [
        ...basicRequirements,
        { id: 'school_report', kind: 'document', label: { ar: 'تقرير المدرسة', en: 'School report' } },
      ],
    },
    {
      id: 'tuition_support',
      label: { ar: 'دعم برامج علاجية', en: 'Support for remedial programmes' },
      criteria: [{ ar: 'تشخيص معتمد بصعوبات التعلم', en: 'A certified learning-difficulties assessment' }],
      requirements: [...basicRequirements, ...householdRequirements],
    },
  ],
  chapters: commonChapters,
  sensitive: staffOnly,
};

const bakkah: PolicyProfile = {
  code: 'bakkah',
  name: { ar: 'جمعية بكة للخدمات الإنسانية', en: 'Bakkah Humanitarian Services' },
  policy: {
    title: {
      ar: 'سياسة تنظيم العلاقات مع المستفيدين',
      en: 'Policy for organizing relations with beneficiaries',
    },
    version: '1',
    approval: { meeting: 'اجتماع مجلس الإدارة رقم (٢)', date: '2023-02-19' },
    source: 'seeds/bakkah.txt',
  },
  ...common,
  categories: [
    { id: 'family', label: { ar: 'أسرة محتاجة', en: 'Family in need' } },
    { id: 'elderly', label: { ar: 'كبار السن', en: 'Elderly' } },
    { id: 'widow_divorcee', label: { ar: 'أرملة أو مطلقة', en: 'Widow or divorcee' } },
  ],
  serviceTypes: [
    {
      id: 'food_basket',
      label: { ar: 'سلة غذائية', en: 'Food basket' },
      criteria: [{ ar: 'أسرة مقيمة في منطقة مكة المكرمة', en: 'A family living in the Makkah region' }],
      requirements: [...basicRequirements, ...householdRequirements],
    },
    {
      id: 'rent_support',
      label: { ar: 'مساعدة في الإيجار', en: 'Rent support' },
      criteria: [{ ar: 'عقد إيجار موثق', en: 'A registered lease contract' }],
      requirements: [
        ...basicRequirements,
        ...householdRequirements,
        { id: 'lease_contract', kind: 'document', label: { ar: 'عقد الإيجار', en: 'Lease contract' } },
      ],
    },
  ],
  chapters: commonChapters,
  sensitive: staffOnly,
};

const healthSensitive: PolicyProfile['sensitive'] = {
  fields: ['medical_condition', 'treatment_history', 'medical_report', 'parents_unknown'],
  roles: ['researcher', 'committee'],
};

const awn: PolicyProfile = {
  code: 'awn',
  name: {
    ar: 'جمعية عون لعلاج وتأهيل مدمني المخدرات بمنطقة عسير',
    en: 'Awn – Drug Addiction Treatment and Rehabilitation, Asir',
  },
  policy: {
    title: {
      ar: 'سياسة تنظيم العلاقة مع المستفيدين',
      en: 'Policy for organizing the relationship with beneficiaries',
    },
    version: '1',
    approval: { meeting: 'اجتماع مجلس الإدارة الرابع لعام ٢٠٢٤م', date: null },
    source: 'seeds/awn.txt',
  },
  ...common,
  categories: [
    { id: 'patient', label: { ar: 'متعافٍ أو متلقٍ للعلاج', en: 'Person in treatment or recovery' } },
    { id: 'family', label: { ar: 'أسرة المتعافي', en: 'Family of the person in recovery' } },
  ],
  serviceTypes: [
    {
      id: 'treatment_referral',
      label: { ar: 'إحالة للعلاج والتأهيل', en: 'Referral to treatment and rehabilitation' },
      criteria: [{ ar: 'مقيم في منطقة عسير', en: 'Living in the Asir region' }],
      requirements: [...basicRequirements, medicalReport],
    },
    {
      id: 'family_support',
      label: { ar: 'دعم أسرة المتعافي', en: 'Support for the family' },
      criteria: [
        { ar: 'أسرة أحد المستفيدين من برامج العلاج', en: 'The family of someone in a treatment programme' },
      ],
      requirements: [...basicRequirements, ...householdRequirements],
    },
  ],
  chapters: commonChapters,
  sensitive: healthSensitive,
};

const qalb: PolicyProfile = {
  code: 'qalb',
  name: { ar: 'جمعية قلب لرعاية مرضى القلب', en: 'Qalb – Care of Heart Patients' },
  policy: {
    title: {
      ar: 'سياسة تنظيم العلاقة مع المستفيدين',
      en: 'Policy for organizing the relationship with beneficiaries',
    },
    version: '1',
    approval: { meeting: 'جلسة مجلس الإدارة (3)', date: '2023-07-15' },
    source: 'seeds/qalb.txt',
  },
  ...common,
  categories: [
    { id: 'patient', label: { ar: 'مريض قلب', en: 'Heart patient' } },
    { id: 'child_patient', label: { ar: 'طفل مريض قلب', en: 'Child heart patient' } },
  ],
  serviceTypes: [
    {
      id: 'medical_device',
      label: { ar: 'توفير جهاز طبي', en: 'Medical device' },
      criteria: [{ ar: 'وصفة طبية من مستشفى معتمد', en: 'A prescription from an accredited hospital' }],
      requirements: [
        ...basicRequirements,
        medicalReport,
        { id: 'prescription', kind: 'document', label: { ar: 'الوصفة الطبية', en: 'Prescription' } },
      ],
    },
    {
      id: 'treatment_cost',
      label: { ar: 'المساعدة في تكاليف العلاج', en: 'Help with treatment costs' },
      criteria: [{ ar: 'عدم وجود تغطية تأمينية', en: 'No insurance cover' }],
      requirements: [...basicRequirements, ...householdRequirements, medicalReport],
    },
  ],
  chapters: commonChapters,
  sensitive: healthSensitive,
};

const kadi: PolicyProfile = {
  code: 'kadi',
  name: { ar: 'جمعية كادي', en: 'Kadi Association' },
  policy: {
    title: {
      ar: 'سياسة جمعية كادي في تنظيم العلاقات مع المستفيدين',
      en: "Kadi's policy for organizing relations with beneficiaries",
    },
    version: '1',
    // Chapter 8 of a larger bylaw; the chapter does not record its approval.
    approval: null,
    source: 'seeds/kadi.txt',
  },
  channels: [
    { id: 'interview', clause: 'K-CH-a', label: { ar: 'المقابلة', en: 'Interview' } },
    { id: 'correspondence', clause: 'K-CH-b', label: { ar: 'المخاطبات والمراسلات', en: 'Correspondence' } },
    { id: 'social_media', clause: 'K-CH-c', label: { ar: 'شبكات التواصل الاجتماعي', en: 'Social networks' } },
    { id: 'phone', clause: 'K-CH-d', label: { ar: 'الاتصال الهاتفي', en: 'Phone' } },
    { id: 'fax', clause: 'K-CH-e', label: { ar: 'الفاكس', en: 'Fax' } },
    {
      id: 'website_email',
      clause: 'K-CH-f',
      label: { ar: 'الموقع والبريد الإلكتروني', en: 'Website and email' },
    },
    {
      id: 'volunteering',
      clause: 'K-CH-g',
      label: { ar: 'الفرص التطوعية', en: 'Volunteering opportunities' },
    },
    { id: 'other', clause: 'K-CH-h', freeText: true, label: { ar: 'قناة أخرى', en: 'Other channel' } },
  ],
  tools: [
    {
      id: 'regulations',
      clause: 'K-TOOL-a',
      kind: 'reference',
      label: { ar: 'اللوائح والأنظمة', en: 'Regulations and bylaws' },
    },
    {
      id: 'partners_policy',
      clause: 'K-TOOL-b',
      kind: 'reference',
      label: { ar: 'سياسة التعامل مع الشركاء المنفذين والأطراف', en: 'Policy on implementing partners' },
    },
    {
      id: 'volunteering_policy',
      clause: 'K-TOOL-c',
      kind: 'reference',
      label: { ar: 'سياسة إدارة التطوع', en: 'Volunteering management policy' },
    },
    {
      id: 'aid_policy',
      clause: 'K-TOOL-d',
      kind: 'reference',
      label: { ar: 'سياسة صرف المساعدات', en: 'Aid disbursement policy' },
    },
    {
      id: 'service_request_form',
      clause: 'K-TOOL-e',
      kind: 'form',
      label: { ar: 'نموذج طلب خدمة', en: 'Service request form' },
    },
    {
      id: 'other_policies',
      clause: 'K-TOOL-f',
      kind: 'reference',
      label: { ar: 'سياسات أخرى ذات علاقة بالمستفيدين', en: 'Other related policies' },
    },
  ],
  requestForm: { ar: 'نموذج طلب خدمة', en: 'Service request form' },
  decidingBody: { ar: 'الوحدة الإدارية المختصة', en: 'The competent administrative unit' },
  procedure: [
    {
      id: 'reception',
      clause: 'K-PROC-a',
      label: {
        ar: 'حسن الاستقبال والرد على الاستفسار بمعلومة دقيقة',
        en: 'Good reception and accurate answers',
      },
    },
    {
      id: 'requirements',
      clause: 'K-PROC-b',
      label: {
        ar: 'تزويد المستفيد بمعايير واشتراطات الطلب',
        en: 'Give the criteria and requirements of the request',
      },
    },
    {
      id: 'completeness',
      clause: 'K-PROC-c',
      label: {
        ar: 'التأكد من اكتمال جميع البيانات والمعلومات قبل مغادرة المستفيد',
        en: 'Complete all data before the beneficiary leaves',
      },
    },
    {
      id: 'verification',
      clause: 'K-PROC-d',
      label: { ar: 'التأكيد على صحة البيانات والمعلومات', en: 'Confirm the data is correct' },
    },
    {
      id: 'declaration',
      clause: 'K-PROC-d',
      label: { ar: 'أخذ توقيع المستفيد على صحتها', en: "Take the beneficiary's signature" },
    },
    {
      id: 'submission',
      clause: 'K-PROC-e',
      label: {
        ar: 'عرض الطلب على الوحدة الإدارية المختصة للدراسة',
        en: 'Submit to the competent administrative unit',
      },
    },
    { id: 'delivery', clause: 'C-PROC-7', label: { ar: 'تقديم الخدمة', en: 'Provide the service' } },
  ],
  declaration: {
    ar: 'أؤكد صحة البيانات والمعلومات المقدمة مني، وأنني مسؤول مسؤولية مباشرة عنها.',
    en: 'I confirm that the data and information I have given are correct, and I am directly responsible for them.',
  },
  deadlineRule: { kind: 'dueWithin', workingDays: 15, from: 'completion' },
  deadlineText: {
    ar: 'يُعرض طلبك على الوحدة الإدارية المختصة للدراسة، وسيتم موافاتك بالجديد على الوسيلة المتفق عليها، ويكون الرد خلال مدة لا تتجاوز (15) يوم عمل من تاريخ اكتمال الطلب.',
    en: 'Your request goes to the competent administrative unit; you will be updated through the channel agreed with you, with a reply within at most 15 working days from the date the request was completed.',
  },
  categories: [
    { id: 'family', label: { ar: 'الأسر', en: 'Families' } },
    { id: 'individual', label: { ar: 'الأفراد', en: 'Individuals' } },
  ],
  contactOfficers: [
    {
      id: 'families',
      categories: ['family'],
      title: { ar: 'مسؤول التواصل مع الأسر', en: 'Contact officer for families' },
    },
    {
      id: 'individuals',
      categories: ['individual'],
      title: { ar: 'مسؤول التواصل مع الأفراد', en: 'Contact officer for individuals' },
    },
  ],
  serviceTypes: [
    {
      id: 'aid',
      label: { ar: 'صرف مساعدة', en: 'Aid disbursement' },
      criteria: [
        { ar: 'استيفاء شروط سياسة صرف المساعدات', en: 'Meets the aid disbursement policy' },
        {
          ar: 'تقديم الطلب كاملاً مع المستندات المطلوبة',
          en: 'A complete request with the required documents',
        },
      ],
      requirements: [...basicRequirements, ...householdRequirements],
    },
  ],
  chapters: {
    compensation: true,
    complaints: true,
    contactOfficers: true,
    satisfactionMethods: [
      'questionnaire',
      'fieldSurvey',
      'supervisoryVisit',
      'interview',
      'complaintsOversight',
      'contactOfficerOversight',
    ],
    staffSignOff: true,
  },
  sensitive: staffOnly,
  clauses: [...kadiClauseIds, ...lawClauseIds, 'C-PROC-7'],
  retention: defaultRetention,
};

/**
 * The neutral starting point for an association whose text is none of the five: the common text's
 * channels, tools, procedure, declaration and reply rule, with one general service that its administrator
 * renames, refines and adds to in the console.
 */
const commonText: PolicyProfile = {
  code: 'common',
  name: { ar: 'النص المشترك', en: 'Common text' },
  policy: {
    title: {
      ar: 'سياسة تنظيم العلاقة مع المستفيدين',
      en: 'Policy for organizing the relationship with beneficiaries',
    },
    version: '1',
    approval: null,
  },
  ...common,
  categories: [
    { id: 'family', label: { ar: 'الأسر', en: 'Families' } },
    { id: 'individual', label: { ar: 'الأفراد', en: 'Individuals' } },
  ],
  serviceTypes: [
    {
      id: 'support',
      label: { ar: 'طلب دعم', en: 'Support request' },
      criteria: [{ ar: 'استيفاء شروط الجمعية للدعم', en: "Meets the association's support conditions" }],
      requirements: [...basicRequirements, ...householdRequirements],
    },
  ],
  chapters: commonChapters,
  sensitive: staffOnly,
};

/** Every seed profile, validated once when first read: bad profile data fails loudly, at start. */
export const profiles: Readonly<Record<string, PolicyProfile>> = Object.fromEntries(
  [ld, bakkah, awn, qalb, kadi].map((p) => [p.code, profileSchema.parse(p)]),
);

/**
 * The templates a new association starts from: the five seed policies, and the neutral common text. An
 * association's profile is its own data on the server (versioned); these are only where it begins.
 */
export const templates: Readonly<Record<string, PolicyProfile>> = {
  ...profiles,
  common: profileSchema.parse(commonText),
};

export const DEFAULT_TEMPLATE = 'common';

/** A seed's profile by its association code (tests, the demo data and the library's texts). */
export function profileOf(code: string): PolicyProfile | undefined {
  return profiles[code];
}

/** An association's first profile: the template, under the association's own code and name. */
export function profileFromTemplate(
  template: PolicyProfile,
  association: { code: string; nameAr: string; nameEn: string },
): PolicyProfile {
  return {
    ...template,
    code: association.code,
    name: { ar: association.nameAr, en: association.nameEn },
  };
}
