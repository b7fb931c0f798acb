// Every contact with a beneficiary (C-CH-*, K-CH-*, C-OBJ-3): the channel from the association's profile,
// what kind of contact, a summary, for an inquiry the answer given, and a follow-up date. Append-only: a
// correction is a new entry. Also where the next home visit is planned (C-GOAL, C-OBJ-4: the worklist).
import { useState } from 'preact/hooks';
import type { PolicyProfile } from '../../domain/profiles/profile';
import type { LocalRecord } from '../../db/database';
import { useLive } from '../../state/use-live';
import { useLang, useT, useWorkspace } from '../context';
import { useBeneficiaryT, type BeneficiaryKey } from '../i18n/beneficiary';
import { textOf } from '../text';
import { useDates } from '../dates';
import { Field, SelectField } from './Field';

const kinds = ['visit', 'call', 'message', 'inquiry', 'support', 'notification'] as const;

export function ContactLog({ person, profile }: { person: LocalRecord; profile: PolicyProfile }) {
  const common = useT();
  const t = useBeneficiaryT();
  const dates = useDates();
  const lang = useLang();
  const { records, userId } = useWorkspace();
  const beneficiaryId = person.recordId;
  const contacts = useLive(
    () => records.listOf('interaction', beneficiaryId),
    [beneficiaryId],
    [] as LocalRecord[],
  );
  const channels = profile.channels;
  const blank = { channel: channels[0]?.id ?? '', kind: 'visit', summary: '', answer: '', followUpOn: '' };
  const [contact, setContact] = useState(blank);
  const set = (name: keyof typeof blank) => (value: string) => {
    setContact({ ...contact, [name]: value });
  };
  const [visit, setVisit] = useState<string | null>(null);
  const nextVisit = visit ?? textOf(person.data?.nextVisitOn);
  const newest = [...contacts]
    .filter((c) => c.data !== null)
    .sort((a, b) => textOf(b.data?.occurredAt).localeCompare(textOf(a.data?.occurredAt)));
  return (
    <section data-testid="contact-log">
      <form
        class="card form"
        data-testid="visit-form"
        onSubmit={(e) => {
          e.preventDefault();
          void records.save('beneficiary', beneficiaryId, {
            nextVisitOn: nextVisit === '' ? null : nextVisit,
          });
          setVisit(null);
        }}
      >
        <Field
          label={t('contacts.nextVisit')}
          name="nextVisitOn"
          type="date"
          dir="ltr"
          value={nextVisit}
          onInput={setVisit}
        />
        <button type="submit" class="button button--ghost">
          {t('contacts.planVisit')}
        </button>
      </form>

      <h2>{common('beneficiaries.contacts')}</h2>
      {newest.length === 0 ? (
        <p class="hint">{common('beneficiaries.noContacts')}</p>
      ) : (
        <ul class="plain" data-testid="contacts">
          {newest.map((c) => (
            <li key={c.key} class="card" data-testid="contact">
              <strong>
                {channels.find((ch) => ch.id === c.data?.channel)?.label[lang] ?? textOf(c.data?.channel)}
              </strong>{' '}
              {c.data?.kind !== undefined && (
                <span class="muted">{t(`contacts.kind.${textOf(c.data.kind)}` as BeneficiaryKey)}</span>
              )}{' '}
              <bdi class="muted">{dates.instant(textOf(c.data?.occurredAt))}</bdi>
              <p dir="auto">{textOf(c.data?.summary)}</p>
              {c.data?.answer !== undefined && (
                <p dir="auto">
                  <b>{t('contacts.answer')}:</b> {textOf(c.data.answer)}
                </p>
              )}
              {c.data?.followUpOn !== undefined && (
                <p class="muted">
                  {t('contacts.followUpOn')}: <bdi>{dates.day(textOf(c.data.followUpOn))}</bdi>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        class="card form"
        data-testid="contact-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (contact.summary.trim() === '' || contact.channel === '') return;
          void records
            .save('interaction', crypto.randomUUID(), {
              beneficiaryId,
              channel: contact.channel,
              kind: contact.kind,
              direction: contact.kind === 'inquiry' ? 'incoming' : 'outgoing',
              summary: contact.summary.trim(),
              occurredAt: new Date().toISOString(),
              ...(contact.kind === 'inquiry' && contact.answer.trim() !== ''
                ? { answer: contact.answer.trim() }
                : {}),
              ...(contact.followUpOn === '' ? {} : { followUpOn: contact.followUpOn }),
              by: userId,
            })
            .then(() => {
              setContact({ ...blank, channel: contact.channel, kind: contact.kind });
            });
        }}
      >
        <h3>{common('beneficiaries.addContact')}</h3>
        <SelectField
          label={common('beneficiaries.channel')}
          name="channel"
          value={contact.channel}
          onChange={set('channel')}
          options={channels.map((ch) => ({ value: ch.id, label: ch.label[lang] }))}
        />
        <SelectField
          label={t('contacts.kindLabel')}
          name="kind"
          value={contact.kind}
          onChange={set('kind')}
          options={kinds.map((k) => ({ value: k, label: t(`contacts.kind.${k}`) }))}
        />
        <Field
          label={common('beneficiaries.summary')}
          name="summary"
          value={contact.summary}
          onInput={set('summary')}
        />
        {contact.kind === 'inquiry' && (
          <Field label={t('contacts.answer')} name="answer" value={contact.answer} onInput={set('answer')} />
        )}
        <Field
          label={t('contacts.followUpOn')}
          name="followUpOn"
          type="date"
          dir="ltr"
          value={contact.followUpOn}
          onInput={set('followUpOn')}
        />
        <button type="submit" class="button">
          {common('beneficiaries.save')}
        </button>
      </form>
    </section>
  );
}
