// The public complaint page (K-CMPL-a: "the direct link on the website"): a small, self-contained HTML form
// served by the backend, in Arabic (right to left) or English, one at a time, with a link to the other. It needs no login and no
// JavaScript (it works on any phone's browser), posts to itself, and answers with the reference number and
// a link to check where the complaint stands. A refused form comes back with what was typed, never lost.
import type { ComplaintState, PublicComplaintStatus } from '../../src/protocol/complaints';
import type { AssociationNames } from '../services/complaint-service';

/** The page's own policy: its inline style, posting to itself, nothing else. */
export const COMPLAINT_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const style = `
  body { font-family: system-ui, "Noto Naskh Arabic", "Noto Sans Arabic", sans-serif; margin: 0; background: #f5f7f6; color: #1d2622; line-height: 1.6; }
  main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
  h1 { font-size: 1.4rem; margin: .5rem 0; } h2 { font-size: 1.1rem; }
  .switch { margin: 0; text-align: end; }
  form, .card { background: #fff; border: 1px solid #cfd8d3; border-radius: .5rem; padding: 1rem; margin: 1rem 0; }
  label { display: block; font-weight: 600; margin-top: .8rem; }
  input, select, textarea { display: block; box-sizing: border-box; width: 100%; font: inherit; padding: .6rem; margin-top: .25rem; border: 1px solid #7d8b84; border-radius: .35rem; min-height: 2.75rem; }
  textarea { min-height: 8rem; }
  .check { display: flex; gap: .5rem; align-items: flex-start; font-weight: normal; }
  .check input { width: auto; min-height: auto; margin-top: .35rem; }
  button { margin-top: 1rem; font: inherit; font-weight: 700; padding: .7rem 1.4rem; border: 0; border-radius: .35rem; background: #0b6b4f; color: #fff; min-height: 2.75rem; cursor: pointer; }
  .error { color: #a4161a; font-weight: 600; }
  .reference { font-size: 1.6rem; font-weight: 700; letter-spacing: .08em; }
  [dir=ltr] { unicode-bidi: isolate; }
  a { color: #0b6b4f; }`;

/** The page's language: Arabic unless the person chose English (`?lang=en`, kept when the form is sent). */
export type PageLang = 'ar' | 'en';

export const pageLang = (value: string | undefined): PageLang => (value === 'en' ? 'en' : 'ar');

/** The words of the page's language, escaped. */
const say =
  (lang: PageLang) =>
  ([ar, en]: readonly [string, string]) =>
    escape(lang === 'ar' ? ar : en);

/** `href` with the language as its query, so that the other pages stay in it. */
const inLang = (href: string, lang: PageLang) =>
  lang === 'ar' ? href : `${href}${href.includes('?') ? '&' : '?'}lang=en`;

function page(lang: PageLang, title: string, body: string, switchTo: string): string {
  const other: PageLang = lang === 'ar' ? 'en' : 'ar';
  return `<!doctype html>
<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)}</title><style>${style}</style></head>
<body><main><p class="switch"><a href="${escape(inLang(switchTo, other))}" lang="${other}" hreflang="${other}">${other === 'en' ? 'English' : 'العربية'}</a></p>${body}</main></body></html>`;
}

const heading = (a: AssociationNames, lang: PageLang) =>
  `<h1>${escape(lang === 'ar' ? a.nameAr : a.nameEn)}</h1>`;

const kindLabels = {
  complaint: ['شكوى', 'Complaint'],
  suggestion: ['مقترح', 'Suggestion'],
  inquiry: ['استفسار', 'Inquiry'],
  support: ['طلب دعم فني في التواصل', 'Help with contacting us'],
} as const;

export interface FormValues {
  kind: string;
  text: string;
  name: string;
  mobile: string;
  consent: boolean;
}

/** Messages for the fields the server refused, by the field's name. */
const fieldErrors: Record<string, [string, string]> = {
  text: ['اكتب نص الشكوى (10 أحرف على الأقل).', 'Write your message (at least 10 characters).'],
  mobile: ['رقم الجوال غير صحيح، مثال: 05xxxxxxxx', 'The mobile number is not valid, e.g. 05xxxxxxxx'],
  consent: [
    'الموافقة على استخدام البيانات مطلوبة لإرسال الشكوى.',
    'Your agreement is needed to send the form.',
  ],
  kind: ['اختر نوع الرسالة.', 'Choose what you are sending.'],
  name: ['الاسم أطول من المسموح.', 'The name is too long.'],
};

export function complaintFormPage(
  a: AssociationNames,
  action: string,
  values: FormValues,
  errors: readonly string[] = [],
  lang: PageLang = 'ar',
): string {
  const bilingual = say(lang);
  const error = (field: string) =>
    errors.includes(field)
      ? `<p class="error" id="${field}-error" role="alert">${bilingual(fieldErrors[field] ?? ['تحقق من هذا الحقل.', 'Check this field.'])}</p>`
      : '';
  const invalid = (field: string) =>
    errors.includes(field) ? ` aria-invalid="true" aria-describedby="${field}-error"` : '';
  const options = Object.entries(kindLabels)
    .map(
      ([kind, label]) =>
        `<option value="${kind}"${values.kind === kind ? ' selected' : ''}>${bilingual(label)}</option>`,
    )
    .join('');
  return page(
    lang,
    lang === 'ar' ? `${a.nameAr} — الشكاوى والمقترحات` : `${a.nameEn} — Complaints and suggestions`,
    `${heading(a, lang)}
<h2>${bilingual(['الشكاوى والمقترحات والاستفسارات', 'Complaints, suggestions and inquiries'])}</h2>
<p>${bilingual([
      'تصل رسالتك إلى الوحدة المعنية بالمتابعة في الجمعية، وتحصل على رقم مرجعي تتابع به حالتها. لا يلزم تسجيل الدخول.',
      'Your message goes to the association’s follow-up unit; you get a reference number to follow it. No account is needed.',
    ])}</p>
<form method="post" action="${escape(inLang(action, lang))}" novalidate>
  <label for="kind">${bilingual(['نوع الرسالة', 'Type'])}</label>
  <select id="kind" name="kind"${invalid('kind')}>${options}</select>${error('kind')}
  <label for="text">${bilingual(['نص الرسالة', 'Your message'])}</label>
  <textarea id="text" name="text" maxlength="4000" required${invalid('text')}>${escape(values.text)}</textarea>${error('text')}
  <label for="name">${bilingual(['الاسم (اختياري)', 'Name (optional)'])}</label>
  <input id="name" name="name" maxlength="120" autocomplete="name" value="${escape(values.name)}"${invalid('name')}>${error('name')}
  <label for="mobile">${bilingual(['رقم الجوال للرد (اختياري)', 'Mobile for our reply (optional)'])}</label>
  <input id="mobile" name="mobile" dir="ltr" inputmode="tel" autocomplete="tel" value="${escape(values.mobile)}"${invalid('mobile')}>${error('mobile')}
  <label class="check"><input type="checkbox" name="consent" value="yes"${values.consent ? ' checked' : ''}${invalid('consent')}>
  <span>${bilingual([
    'أوافق على أن تستخدم الجمعية ما كتبته وبيانات التواصل لمعالجة رسالتي والرد عليها فقط.',
    'I agree that the association uses what I wrote and my contact details only to handle and answer my message.',
  ])}</span></label>${error('consent')}
  <button type="submit">${bilingual(['إرسال', 'Send'])}</button>
</form>
<p><a href="${escape(inLang(`${action}/status`, lang))}">${bilingual(['متابعة رسالة سابقة برقمها المرجعي', 'Follow a message by its reference'])}</a></p>`,
    action,
  );
}

export function complaintReceiptPage(
  a: AssociationNames,
  action: string,
  reference: string,
  lang: PageLang = 'ar',
): string {
  const bilingual = say(lang);
  const status = `${action}/status?reference=${encodeURIComponent(reference)}`;
  return page(
    lang,
    `${lang === 'ar' ? a.nameAr : a.nameEn} — ${reference}`,
    `${heading(a, lang)}
<div class="card" role="status">
  <h2>${bilingual(['وصلت رسالتك', 'Your message was received'])}</h2>
  <p>${bilingual(['رقمك المرجعي — احتفظ به:', 'Your reference — keep it:'])}</p>
  <p class="reference" dir="ltr">${escape(reference)}</p>
  <p><a href="${escape(inLang(status, lang))}">${bilingual(['متابعة حالتها', 'Follow it'])}</a></p>
</div>`,
    status,
  );
}

const stateLabels: Record<ComplaintState, [string, string]> = {
  received: ['وصلت وهي لدى الوحدة المعنية بالمتابعة', 'Received; with the follow-up unit'],
  answered: ['ردّت عليها الوحدة المعنية بالمتابعة', 'Answered by the follow-up unit'],
  resolved: ['سُوّيت ودياً', 'Settled amicably'],
  escalated: [
    'رُفعت لمعالجة أوسع (لجنة التحقيق والمتابعة)',
    'Escalated (investigation and follow-up committee)',
  ],
};

const day = (iso: string) => `<bdi dir="ltr">${escape(iso.slice(0, 10))}</bdi>`;

export function complaintStatusPage(
  a: AssociationNames,
  action: string,
  reference: string,
  status: PublicComplaintStatus | 'not_found' | null,
  lang: PageLang = 'ar',
): string {
  const bilingual = say(lang);
  const here =
    reference === '' ? `${action}/status` : `${action}/status?reference=${encodeURIComponent(reference)}`;
  const result =
    status === null
      ? ''
      : status === 'not_found'
        ? `<p class="error" role="alert">${bilingual(['لا توجد رسالة بهذا الرقم المرجعي.', 'No message has this reference.'])}</p>`
        : `<div class="card" role="status"><h2 dir="ltr">${escape(status.reference)}</h2>
  <p><strong>${bilingual(stateLabels[status.state])}</strong></p>
  <p>${bilingual(['تاريخ الاستلام', 'Received'])}: ${day(status.receivedAt)}</p>
  ${status.answeredAt === null ? '' : `<p>${bilingual(['تاريخ الرد', 'Answered'])}: ${day(status.answeredAt)}</p>`}
  ${status.resolvedAt === null ? '' : `<p>${bilingual(['تاريخ التسوية', 'Closed'])}: ${day(status.resolvedAt)}</p>`}</div>`;
  return page(
    lang,
    lang === 'ar' ? `${a.nameAr} — متابعة` : `${a.nameEn} — Follow a message`,
    `${heading(a, lang)}
<form method="get" action="${escape(action)}/status">${lang === 'en' ? '<input type="hidden" name="lang" value="en">' : ''}
  <label for="reference">${bilingual(['الرقم المرجعي', 'Reference'])}</label>
  <input id="reference" name="reference" dir="ltr" autocomplete="off" value="${escape(reference)}">
  <button type="submit">${bilingual(['عرض الحالة', 'Show status'])}</button>
</form>${result}
<p><a href="${escape(inLang(action, lang))}">${bilingual(['إرسال رسالة جديدة', 'Send a new message'])}</a></p>`,
    here,
  );
}

const limits = {
  rate: [
    'أُرسل كثير من الرسائل من هذا العنوان. حاول بعد قليل.',
    'Too many messages from this address. Please try again later.',
  ],
  size: [
    'الرسالة أطول من المسموح. اختصرها ثم أرسلها.',
    'The message is too long. Please shorten it and send it again.',
  ],
} as const;

/** A refusal by a limit: too many messages from one address, or a body too large. */
export function complaintLimitPage(limit: keyof typeof limits, lang: PageLang = 'ar'): string {
  return page(
    lang,
    limit === 'rate' ? 'Too many' : 'Too long',
    `<p class="error" role="alert">${say(lang)(limits[limit])}</p>`,
    '',
  );
}
