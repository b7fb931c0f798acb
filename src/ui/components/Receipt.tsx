// The beneficiary's receipt for a submitted request: its number, the service, the items received, the date
// of completion, the reply rule in the policy's words with its date (Gregorian and Hijri), and the
// contact officer of the beneficiary's category (K-INFO-a) and the association's channels. Printable (the print stylesheet shows only the receipt) and shareable as text.
import { SendLinks, type SendMethod } from './SendLinks';
import type { ContactOfficer, PolicyProfile } from '../../domain/profiles/profile';
import type { Request } from '../../state/intake';
import { useLang } from '../context';
import { formatDay, useDates } from '../dates';
import { useRequestT } from '../i18n/request';

/** K-INFO-a: the contact officer of the beneficiary's category, if the profile names one. */
export function officerFor(profile: PolicyProfile, category: string): ContactOfficer | undefined {
  return profile.contactOfficers.find((o) => o.categories.includes(category));
}

const officerLine = (officer: ContactOfficer, lang: 'ar' | 'en') =>
  [officer.title[lang], officer.domain?.[lang], officer.name, officer.phone, officer.hours?.[lang]]
    .filter((x) => x !== undefined)
    .join(' — ');

export function receiptText(
  profile: PolicyProfile,
  request: Request,
  lang: 'ar' | 'en',
  category = '',
): string {
  const officer = officerFor(profile, category);
  const service = profile.serviceTypes.find((s) => s.id === request.serviceTypeId);
  // Sent to any phone: Western digits, which every phone shows.
  const date = (d: string) => formatDay(d, { lang, digits: 'latn' }, true);
  const lines = [
    profile.name[lang],
    `${profile.requestForm[lang]}: ${request.number}`,
    service?.label[lang] ?? '',
    ...(service?.requirements
      .filter((r) => request.providedItems.includes(r.id))
      .map((r) => `✓ ${r.label[lang]}`) ?? []),
    request.submittedAt === null ? '' : date(request.submittedAt),
    profile.deadlineText[lang],
    request.deadline === null ? '' : date(request.deadline.date),
    officer === undefined ? '' : officerLine(officer, lang),
    profile.channels.map((c) => c.label[lang]).join(' · '),
  ];
  return lines.filter((l) => l !== '').join('\n');
}

export function Receipt({
  profile,
  request,
  category,
  send,
}: {
  profile: PolicyProfile;
  request: Request;
  /** The beneficiary's category, for their contact officer. */
  category: string;
  /** Sending the receipt to the beneficiary's phone, recorded once the user confirms it went. */
  send?: {
    mobileE164: string;
    email: string;
    first: SendMethod;
    onSent: (method: SendMethod, text: string) => void;
  };
}) {
  const t = useRequestT();
  const lang = useLang();
  const officer = officerFor(profile, category);
  const service = profile.serviceTypes.find((s) => s.id === request.serviceTypeId);
  const received = service?.requirements.filter((r) => request.providedItems.includes(r.id)) ?? [];
  const dates = useDates();
  // Where the policy counts days: the Gregorian date with the Umm al-Qura one.
  const both = (d: string) => <bdi>{dates.day(d, true)}</bdi>;
  return (
    <section class="card receipt" data-testid="receipt">
      <h2>{t('receipt.title')}</h2>
      <p>{profile.name[lang]}</p>
      <dl class="pairs">
        <dt>{t('receipt.number')}</dt>
        <dd>
          <bdi dir="ltr" data-testid="receipt-number">
            {request.number}
          </bdi>
        </dd>
        <dt>{t('receipt.service')}</dt>
        <dd>{service?.label[lang]}</dd>
        <dt>{t('receipt.received')}</dt>
        <dd>
          <ul class="plain">
            {received.map((r) => (
              <li key={r.id}>✓ {r.label[lang]}</li>
            ))}
          </ul>
        </dd>
        {request.submittedAt !== null && (
          <>
            <dt>{t('receipt.submitted')}</dt>
            <dd>{both(request.submittedAt)}</dd>
          </>
        )}
        <dt>{t('receipt.completed')}</dt>
        <dd>{request.completedAt === null ? t('receipt.notComplete') : both(request.completedAt)}</dd>
        <dt>{t('receipt.reply')}</dt>
        <dd>
          <p>{profile.deadlineText[lang]}</p>
          {request.deadline !== null && (
            <p data-testid="receipt-deadline" data-date={request.deadline.date}>
              {t(request.deadline.kind === 'notBefore' ? 'receipt.notBefore' : 'receipt.dueBy')}{' '}
              {both(request.deadline.date)}
            </p>
          )}
        </dd>
        {officer !== undefined && (
          <>
            <dt>{t('receipt.officer')}</dt>
            <dd data-testid="receipt-officer">
              {officer.title[lang]}
              {officer.domain !== undefined && <> — {officer.domain[lang]}</>}
              {officer.name !== undefined && (
                <>
                  {' — '}
                  <bdi data-testid="receipt-officer-name">{officer.name}</bdi>
                </>
              )}
              {officer.phone !== undefined && (
                <>
                  {' '}
                  <bdi dir="ltr" class="nowrap">
                    {officer.phone}
                  </bdi>
                </>
              )}
              {officer.hours !== undefined && <> · {officer.hours[lang]}</>}
            </dd>
          </>
        )}
        <dt>{t('receipt.channels')}</dt>
        <dd>{profile.channels.map((c) => c.label[lang]).join(' · ')}</dd>
      </dl>
      <div class="actions no-print">
        <button
          type="button"
          class="button"
          onClick={() => {
            window.print();
          }}
        >
          {t('receipt.print')}
        </button>
        <button
          type="button"
          class="button button--ghost"
          onClick={() => {
            const text = receiptText(profile, request, lang, category);
            if ('share' in navigator)
              // A rejection here is the user closing the share sheet: nothing failed.
              void navigator.share({ title: request.number, text }).catch(() => undefined);
            else {
              const link = document.createElement('a');
              link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
              link.download = `receipt-${request.number}.txt`;
              link.click();
              setTimeout(() => {
                URL.revokeObjectURL(link.href);
              }, 60_000);
            }
          }}
        >
          {t('receipt.share')}
        </button>
      </div>
      {send !== undefined && (
        <div class="no-print" data-testid="receipt-send">
          <p class="hint">{t('receipt.sendTo')}</p>
          <SendLinks
            mobileE164={send.mobileE164}
            email={send.email}
            first={send.first}
            text={receiptText(profile, request, lang, category)}
            onSent={(method) => {
              send.onSent(method, receiptText(profile, request, lang, category));
            }}
          />
        </div>
      )}
    </section>
  );
}
