// Messages of beneficiary satisfaction: the kiosk where the beneficiary rates a delivered service on the
// tablet, the services waiting for it, the supervisor's results, and the field instruments staff run
// themselves. They travel with those screens.
import { useCatalogue } from './use-catalogue';

const ar = {
  'kiosk.handOver': 'تسليم الجهاز للمستفيد لتقييم الخدمة',
  'kiosk.title': 'قيّم الخدمة التي قُدّمت لك',
  'kiosk.anonymous': 'أجيب دون ذكر اسمي',
  'kiosk.send': 'إرسال التقييم',
  'kiosk.decline': 'لا أرغب في التقييم',
  'kiosk.thanks': 'شكراً لك على تقييمك. أعد الجهاز إلى الموظف من فضلك.',
  'kiosk.declined': 'لا بأس. أعد الجهاز إلى الموظف من فضلك.',
  'kiosk.giveBack': 'إعادة الجهاز للموظف',
  'kiosk.unanswered': 'اختر إجابة لسؤال واحد على الأقل، أو اختر «لا أرغب في التقييم».',
  'kiosk.yes': 'نعم',
  'kiosk.no': 'لا',
  'kiosk.lockNote': 'بعد التقييم يُقفل الجهاز، ولا يُفتح إلا بكلمة مرور الموظف.',
  'satisfaction.title': 'قياس رضا المستفيدين',
  'satisfaction.lead':
    'بعد تسليم الخدمة يُسلَّم الجهاز للمستفيد ليقيّمها بنفسه، مرة واحدة لكل خدمة، ودون ذكر اسمه إن شاء.',
  'satisfaction.waiting': 'خدمات سُلّمت بانتظار تقييم المستفيد',
  'satisfaction.none': 'لا توجد خدمة مسلّمة بانتظار التقييم على هذا الجهاز.',
  'satisfaction.handOver': 'تسليم الجهاز للمستفيد',
  'satisfaction.deliveredOn': 'سُلّمت في',
  'satisfaction.results': 'نتائج قياس الرضا',
  'instruments.title': 'أدوات القياس الميداني',
  'instruments.lead':
    'ما تجريه بنفسك من أدوات قياس الرضا التي تنص عليها السياسة؛ تُحفظ على الجهاز وتُرسل مع المزامنة، وتُحسب في لوحة المتابعة حسب الأداة.',
  'instruments.branch': 'الوحدة (الفرع) المعنية',
  'instruments.save': 'حفظ الإجابات',
  'instruments.saved': 'حُفظت الإجابات.',
  'instruments.unanswered': 'أجب عن سؤال واحد على الأقل.',
  'instruments.noBranch': 'اختر الوحدة المعنية.',
} as const;

export type SatisfactionKey = keyof typeof ar;

const en: Record<SatisfactionKey, string> = {
  'kiosk.handOver': 'Hand the tablet to the beneficiary to rate the service',
  'kiosk.title': 'Rate the service you received',
  'kiosk.anonymous': 'Answer without my name',
  'kiosk.send': 'Send my rating',
  'kiosk.decline': 'I would rather not rate',
  'kiosk.thanks': 'Thank you for your rating. Please hand the tablet back to the staff member.',
  'kiosk.declined': 'That is fine. Please hand the tablet back to the staff member.',
  'kiosk.giveBack': 'Hand the tablet back',
  'kiosk.unanswered': 'Choose an answer to at least one question, or choose “I would rather not rate”.',
  'kiosk.yes': 'Yes',
  'kiosk.no': 'No',
  'kiosk.lockNote': 'After the rating the tablet locks; only the staff member’s password opens it.',
  'satisfaction.title': 'Beneficiary satisfaction',
  'satisfaction.lead':
    'After a service is delivered, the beneficiary rates it on the tablet themselves — once per service, anonymously if they wish.',
  'satisfaction.waiting': 'Delivered services waiting for the beneficiary’s rating',
  'satisfaction.none': 'No delivered service on this device is waiting for a rating.',
  'satisfaction.handOver': 'Hand the tablet to the beneficiary',
  'satisfaction.deliveredOn': 'Delivered on',
  'satisfaction.results': 'Satisfaction results',
  'instruments.title': 'Field instruments',
  'instruments.lead':
    'The satisfaction instruments the policy names that you run yourself; kept on the device, sent with the sync, and counted on the dashboard by instrument.',
  'instruments.branch': 'The unit (branch) concerned',
  'instruments.save': 'Save the answers',
  'instruments.saved': 'The answers are saved.',
  'instruments.unanswered': 'Answer at least one question.',
  'instruments.noBranch': 'Choose the unit concerned.',
};

export const satisfactionMessages = { ar, en };

/** A message of satisfaction, in the current language, with {placeholders} filled. */
export const useSatisfactionT = () => useCatalogue(satisfactionMessages);
