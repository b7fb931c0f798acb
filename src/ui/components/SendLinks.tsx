// Telling the beneficiary really reaches them (K-PROC-e, K-INFO-c): from the representative's phone, the
// message opens prefilled in WhatsApp or the SMS app, or the number is dialled — and it is recorded as sent
// only when the user confirms it went. Nothing is sent by the app itself: the phone's own apps send it.
// (Sending from the server through an SMS provider would be a notification with method 'sms' queued on the
// server; see the closing note of issue 20.)
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useLang } from '../context';

export type SendMethod = 'whatsapp' | 'sms' | 'call' | 'email' | 'in_person';

const words = {
  ar: {
    whatsapp: 'واتساب',
    sms: 'رسالة نصية',
    call: 'اتصال',
    email: 'بريد إلكتروني',
    in_person: 'أُبلغ حضوريًا',
    noMobile: 'لا يوجد رقم جوال في ملف المستفيد.',
    went: 'هل وصلت الرسالة (أو تم الاتصال)؟',
    yes: 'نعم، سجّل الإبلاغ',
    no: 'لا، لم يتم',
  },
  en: {
    whatsapp: 'WhatsApp',
    sms: 'SMS',
    call: 'Call',
    email: 'E-mail',
    in_person: 'Told in person',
    noMobile: 'The beneficiary’s file has no mobile number.',
    went: 'Did the message go (or the call take place)?',
    yes: 'Yes, record it',
    no: 'No, it did not',
  },
};

/** The link that opens the phone's app with the message (or the call); `to` is the mobile, or the e-mail. */
export function sendLink(method: Exclude<SendMethod, 'in_person'>, to: string, text: string): string {
  const body = encodeURIComponent(text);
  switch (method) {
    case 'email':
      return `mailto:${encodeURIComponent(to).replace('%40', '@')}?body=${body}`;
    case 'whatsapp':
      return `https://wa.me/${to.replace(/^\+/, '')}?text=${body}`;
    case 'sms':
      return `sms:${to}?body=${body}`;
    case 'call':
      return `tel:${to}`;
  }
}

export function SendLinks(props: {
  mobileE164: string;
  /** The beneficiary's e-mail, if their file has one: then e-mail is offered too. */
  email?: string;
  text: string;
  /** The user confirmed it went: record it. */
  onSent: (method: SendMethod) => void;
  /** WhatsApp first when the beneficiary's agreed channel is social media; the call first for the phone. */
  first?: SendMethod;
  /** Whether "told in person" is offered (a decision may be; a reminder is sent, never handed over). */
  inPerson?: boolean;
}) {
  const w = words[useLang()];
  const [opened, setOpened] = useState<SendMethod | null>(null);
  const question = useId();
  // The question takes the focus the tapped link had (the link is gone).
  const confirm = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (opened !== null) confirm.current?.focus();
  }, [opened]);
  const email = props.email ?? '';
  const methods: Exclude<SendMethod, 'in_person'>[] = [
    ...(props.mobileE164 === '' ? [] : (['whatsapp', 'sms', 'call'] as const)),
    ...(email === '' ? [] : (['email'] as const)),
  ];
  const ordered = [...methods].sort((a, b) => Number(b === props.first) - Number(a === props.first));
  if (opened !== null)
    return (
      <div
        class="card notice"
        role="alertdialog"
        aria-labelledby={question}
        data-testid="send-confirm"
        tabIndex={-1}
        ref={confirm}
      >
        <p id={question}>{w.went}</p>
        <div class="actions">
          <button
            type="button"
            class="button"
            data-testid="send-confirmed"
            onClick={() => {
              props.onSent(opened);
              setOpened(null);
            }}
          >
            {w.yes}
          </button>
          <button
            type="button"
            class="button button--ghost"
            onClick={() => {
              setOpened(null);
            }}
          >
            {w.no}
          </button>
        </div>
      </div>
    );
  return (
    <div class="actions" data-testid="send-links">
      {props.mobileE164 === '' && <p class="hint">{w.noMobile}</p>}
      {ordered.map((method) => (
        <a
          key={method}
          class="button button--ghost"
          href={sendLink(method, method === 'email' ? email : props.mobileE164, props.text)}
          target="_blank"
          rel="noopener noreferrer"
          data-send={method}
          onClick={() => {
            setOpened(method);
          }}
        >
          {w[method]}
        </a>
      ))}
      {props.inPerson !== false && (
        <button
          type="button"
          class="button button--ghost"
          data-send="in_person"
          onClick={() => {
            props.onSent('in_person');
          }}
        >
          {w.in_person}
        </button>
      )}
    </div>
  );
}
