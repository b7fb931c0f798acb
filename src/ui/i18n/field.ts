// Messages of the field day's own sections: a new support request, the contact log across beneficiaries,
// and satisfaction (the kiosk waiting list, the supervisor's results). They travel with those screens.
import { useDigits, useLang } from '../context';
import { catalogueT } from './i18n';

const ar = {
  'start.title': 'طلب دعم مستفيد',
  'start.lead': 'ابحث عن المستفيد بالاسم أو رقم الهوية أو الجوال، أو سجّله إن كان جديدًا، ثم ابدأ طلبه.',
  'start.search': 'بحث عن المستفيد',
  'start.recent': 'آخر من تعاملت معهم',
  'start.noMatch': 'لا يوجد مستفيد بهذا البحث على هذا الجهاز.',
  'start.tooShort': 'اكتب ثلاثة أحرف من الاسم أو خمسة أرقام من الهوية أو الجوال.',
  'start.choose': 'اختيار',
  'start.registerNew': 'تسجيل مستفيد جديد',
  'start.for': 'طلب لـ',
  'start.open': 'طلبات قائمة لهذا المستفيد — أكمل أحدها بدل فتح طلب مكرر:',
  'start.resume': 'متابعة',
  'start.new': 'بدء طلب جديد',
  'start.other': 'اختيار مستفيد آخر',
  'start.notAllowed': 'فتح الطلبات من عمل مندوب الفرع أو الباحث.',
  'contacts.title': 'سجل التواصل',
  'contacts.lead': 'كل تواصل مع المستفيدين على هذا الجهاز، الأحدث أولًا. يُسجَّل التواصل الجديد من ملف المستفيد.',
  'contacts.search': 'بحث باسم المستفيد أو رقم هويته أو جواله',
  'contacts.none': 'لا يوجد تواصل مسجّل بعد.',
  'contacts.noMatch': 'لا يوجد تواصل مع مستفيد بهذا البحث.',
  'contacts.more': 'عرض المزيد',
  'contacts.followUp': 'المتابعة في',
  'contacts.openFile': 'فتح ملف المستفيد',
  'instruments.title': 'أدوات القياس الميداني',
  'instruments.lead':
    'ما تجريه بنفسك من أدوات قياس الرضا التي تنص عليها السياسة؛ تُحفظ على الجهاز وتُرسل مع المزامنة، وتُحسب في لوحة المتابعة حسب الأداة.',
  'instruments.branch': 'الوحدة (الفرع) المعنية',
  'instruments.save': 'حفظ الإجابات',
  'instruments.saved': 'حُفظت الإجابات.',
  'instruments.unanswered': 'أجب عن سؤال واحد على الأقل.',
  'instruments.noBranch': 'اختر الوحدة المعنية.',
  'remind.open': 'تذكير المستفيد',
  'remind.close': 'إغلاق التذكير',
  'remind.text': 'نص التذكير',
  'remind.how': 'يُرسل من جوالك؛ ويُسجَّل في سجل التواصل بعد أن تؤكد وصوله.',
  'remind.done': 'سُجّل التذكير في سجل التواصل.',
  'remind.visit':
    'السلام عليكم {name}، نذكّركم بزيارة مندوب {association} لكم بتاريخ {date}. للتعديل تواصلوا معنا.',
  'remind.followUp': 'السلام عليكم {name}، نتواصل معكم من {association} لمتابعة ما تحدثنا فيه. شكرًا لكم.',
  'remind.visitMissed':
    'السلام عليكم {name}، نعتذر عن تأخر زيارة مندوب {association} التي كانت مقررة بتاريخ {date}، وسنتواصل معكم لتحديد موعد جديد.',
  'remind.draft':
    'السلام عليكم {name}، لإكمال طلبكم رقم {number} لدى {association} نرجو تجهيز: {missing}. سيمرّ عليكم المندوب لاستلامها.',
  'satisfaction.title': 'قياس رضا المستفيدين',
  'satisfaction.lead':
    'بعد تسليم الخدمة يُسلَّم الجهاز للمستفيد ليقيّمها بنفسه، مرة واحدة لكل خدمة، ودون ذكر اسمه إن شاء.',
  'satisfaction.waiting': 'خدمات سُلّمت بانتظار تقييم المستفيد',
  'satisfaction.none': 'لا توجد خدمة مسلّمة بانتظار التقييم على هذا الجهاز.',
  'satisfaction.handOver': 'تسليم الجهاز للمستفيد',
  'satisfaction.deliveredOn': 'سُلّمت في',
  'satisfaction.results': 'نتائج قياس الرضا',
};

export type FieldKey = keyof typeof ar;

const en: Record<FieldKey, string> = {
  'start.title': 'Support request',
  'start.lead':
    'Find the beneficiary by name, ID or mobile, or register them if new; then start the request.',
  'start.search': 'Find the beneficiary',
  'start.recent': 'Recently worked with',
  'start.noMatch': 'No beneficiary on this device matches.',
  'start.tooShort': 'Type three letters of the name, or five digits of the ID or mobile.',
  'start.choose': 'Choose',
  'start.registerNew': 'Register a new beneficiary',
  'start.for': 'Request for',
  'start.open': 'This beneficiary has open requests — continue one rather than opening a duplicate:',
  'start.resume': 'Continue',
  'start.new': 'Start a new request',
  'start.other': 'Choose someone else',
  'start.notAllowed': 'Requests are opened by branch representatives and researchers.',
  'contacts.title': 'Contact log',
  'contacts.lead':
    'Every contact with beneficiaries on this device, newest first. A new contact is logged from the beneficiary’s file.',
  'contacts.search': 'Search by the beneficiary’s name, ID or mobile',
  'contacts.none': 'No contact logged yet.',
  'contacts.noMatch': 'No contact with a beneficiary matching this search.',
  'contacts.more': 'Show more',
  'contacts.followUp': 'Follow up on',
  'contacts.openFile': 'Open the beneficiary’s file',
  'instruments.title': 'Field instruments',
  'instruments.lead':
    'The satisfaction instruments the policy names that you run yourself; kept on the device, sent with the sync, and counted on the dashboard by instrument.',
  'instruments.branch': 'The unit (branch) concerned',
  'instruments.save': 'Save the answers',
  'instruments.saved': 'The answers are saved.',
  'instruments.unanswered': 'Answer at least one question.',
  'instruments.noBranch': 'Choose the unit concerned.',
  'remind.open': 'Remind the beneficiary',
  'remind.close': 'Close the reminder',
  'remind.text': 'Reminder text',
  'remind.how': 'Sent from your phone; logged in the contact log once you confirm it went.',
  'remind.done': 'The reminder is logged in the contact log.',
  'remind.visit':
    'Hello {name}, a reminder that a representative of {association} will visit you on {date}. Contact us to change it.',
  'remind.followUp': 'Hello {name}, {association} is following up on what we spoke about. Thank you.',
  'remind.visitMissed':
    'Hello {name}, we apologise that the visit by a representative of {association} planned for {date} is late; we will contact you to set a new date.',
  'remind.draft':
    'Hello {name}, to complete your request {number} with {association}, please prepare: {missing}. The representative will come to collect them.',
  'satisfaction.title': 'Beneficiary satisfaction',
  'satisfaction.lead':
    'After a service is delivered, the beneficiary rates it on the tablet themselves — once per service, anonymously if they wish.',
  'satisfaction.waiting': 'Delivered services waiting for the beneficiary’s rating',
  'satisfaction.none': 'No delivered service on this device is waiting for a rating.',
  'satisfaction.handOver': 'Hand the tablet to the beneficiary',
  'satisfaction.deliveredOn': 'Delivered on',
  'satisfaction.results': 'Satisfaction results',
};

const messages = { ar, en };

/** A message of the field sections, in the current language, with {placeholders} filled. */
export function useFieldT() {
  const catalogue: Record<FieldKey, string> = messages[useLang()];
  return catalogueT(catalogue, useDigits());
}
