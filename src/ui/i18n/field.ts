// Messages of the field day's own sections: a new support request, the contact log across beneficiaries, and
// the worklist with its reminders. They travel with those screens.
import { useCatalogue } from './use-catalogue';

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
  'worklist.title': 'قائمة العمل',
  'worklist.empty': 'لا شيء يحتاج إلى انتباهك اليوم.',
  'worklist.deadlineOverdue': 'تجاوزت موعد الرد',
  'worklist.visitOverdue': 'زيارات فات موعدها',
  'worklist.visitToday': 'زيارات اليوم',
  'worklist.followUp': 'متابعات مستحقة',
  'worklist.decisionToTell': 'قرارات يلزم إبلاغ المستفيد بها',
  'worklist.deadlineClose': 'موعد الرد قريب',
  'worklist.replyExpected': 'حان موعد الرد المتوقع',
  'worklist.draft': 'طلبات لم تكتمل (مسودات)',
  'worklist.more': 'عرض المزيد (بقي {count})',
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
  'worklist.title': 'Worklist',
  'worklist.empty': 'Nothing needs your attention today.',
  'worklist.deadlineOverdue': 'Reply deadline passed',
  'worklist.visitOverdue': 'Visits missed',
  'worklist.visitToday': "Today's visits",
  'worklist.followUp': 'Follow-ups due',
  'worklist.decisionToTell': 'Decisions to tell the beneficiary',
  'worklist.deadlineClose': 'Reply deadline close',
  'worklist.replyExpected': 'A reply is now expected',
  'worklist.draft': 'Requests not completed (drafts)',
  'worklist.more': 'Show more ({count} left)',
};

export const fieldMessages = { ar, en };

/** A message of the field sections, in the current language, with {placeholders} filled. */
export const useFieldT = () => useCatalogue(fieldMessages);
