// Messages of the library screen: the association's documents, the staff's sign-off of its policy, and
// telling beneficiaries of changed information. They travel with that screen's chunk.
import { useCatalogue } from './use-catalogue';

const ar = {
  'library.tools': 'أدوات إدارة علاقات المستفيدين',
  'library.form': 'يُعبّأ في التطبيق: طلب جديد من صفحة المستفيد.',
  'library.notProvided': 'لم تُضِف الجمعية هذا المستند إلى المكتبة بعد.',
  'library.open': 'فتح',
  'library.unavailable': 'المستند غير محفوظ على هذا الجهاز؛ يُفتح عند الاتصال بالشبكة.',
  'library.version': 'الإصدار',
  'signoff.title': 'الإقرار بالاطلاع على السياسة والالتزام بها',
  'signoff.statement':
    'اطّلعت على السياسة والأنظمة المرتبطة بها، وأتعهد بالالتزام بها وبميثاق أخلاقيات المهنة والسلوك.',
  'signoff.sign': 'توقيع الإقرار',
  'signoff.signed': 'وقّعتَ الإقرار على الإصدار {version} في {date}.',
  'signoff.needed': 'لم توقّع بعد الإقرار على الإصدار الحالي ({version}) من السياسة.',
  'notice.title': 'إبلاغ المستفيدين بالمعلومات المحدّثة',
  'notice.hint':
    'عند تغيّر معلومة تخص المستفيدين (متطلبات خدمة، موعد، وسيلة تواصل) يُبلَّغ المعنيون عبر وسيلة التواصل المتفق عليها، ويُسجَّل الإبلاغ.',
  'notice.target': 'المعنيون',
  'notice.service': 'أصحاب الطلبات المفتوحة لخدمة: {name}',
  'notice.category': 'فئة: {name}',
  'notice.text': 'نص الإبلاغ',
  'notice.affected': 'سيُبلَّغ {count} مستفيداً.',
  'notice.send': 'تسجيل الإبلاغات',
  'notice.done': 'سُجّل {count} إبلاغاً، كلٌّ عبر وسيلته المتفق عليها.',
  'notice.text_required': 'اكتب نص الإبلاغ.',
  'notice.nobody': 'لا يوجد مستفيدون معنيون على هذا الجهاز.',
  'notice.forbidden': 'الإبلاغ من عمل الوحدة المعنية بالمتابعة.',
} as const;

export type LibraryKey = keyof typeof ar;

const en: Record<LibraryKey, string> = {
  'library.tools': 'Tools for beneficiary relations',
  'library.form': "Filled in the app: a new request from the beneficiary's screen.",
  'library.notProvided': 'The association has not added this document to the library yet.',
  'library.open': 'Open',
  'library.unavailable': 'This document is not kept on this device yet; it opens with a network connection.',
  'library.version': 'version',
  'signoff.title': 'Acknowledgement of the policy',
  'signoff.statement':
    'I have read the policy and the regulations it relates to, and undertake to follow them and the code of professional ethics and conduct.',
  'signoff.sign': 'Sign the acknowledgement',
  'signoff.signed': 'You signed version {version} on {date}.',
  'signoff.needed': 'You have not yet signed the current version ({version}) of the policy.',
  'notice.title': 'Tell beneficiaries of changed information',
  'notice.hint':
    'When something that concerns beneficiaries changes (a service’s requirements, a date, a contact), those it affects are told through their agreed channel, and each notice is recorded.',
  'notice.target': 'Who it affects',
  'notice.service': 'Open requests for: {name}',
  'notice.category': 'Category: {name}',
  'notice.text': 'The notice',
  'notice.affected': '{count} beneficiaries will be told.',
  'notice.send': 'Record the notices',
  'notice.done': '{count} notices recorded, each through its agreed channel.',
  'notice.text_required': 'Write the notice.',
  'notice.nobody': 'No beneficiary on this device is affected.',
  'notice.forbidden': 'Notices are the follow-up unit’s to send.',
};

export const libraryMessages = { ar, en };

/** A message of the library screen, in the current language, with {placeholders} filled. */
export const useLibraryT = () => useCatalogue(libraryMessages);
