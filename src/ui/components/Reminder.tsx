// K-REL-c, C-OBJ-4: a reminder to the beneficiary from the worklist — of today's (or a missed) visit, a
// follow-up due, or the documents a draft request still needs. The message opens prefilled in the phone's
// WhatsApp or SMS app (or the number is dialled); once the user confirms it went, it is logged as an
// outgoing contact, so the file shows who was reminded of what, when and how.
import { useState } from 'preact/hooks';
import type { LocalRecord } from '../../db/database';
import { useLive } from '../../state/use-live';
import { reportFailure } from '../../state/error-report';
import { useStore } from '../../state/use-store';
import type { WorkItem } from '../../state/worklist';
import { useAppState, useLang, useWorkspace } from '../context';
import { useDates } from '../dates';
import { useFieldT } from '../i18n/field';
import { textOf } from '../text';
import { useIntake } from '../use-intake';
import { Field } from './Field';
import { SendLinks, type SendMethod } from './SendLinks';

/** The kinds of work a reminder to the beneficiary serves. */
export const remindable = new Set<WorkItem['kind']>(['visitToday', 'visitOverdue', 'followUp', 'draft']);

/** The contact log's channel for the way it went: a call or a message by phone, WhatsApp as social media. */
const channelOf = (method: SendMethod, channels: readonly { id: string }[]) => {
  const email = channels.find((c) => c.id.includes('email'))?.id;
  const wanted =
    method === 'whatsapp' ? 'social_media' : method === 'email' && email !== undefined ? email : 'phone';
  return channels.some((c) => c.id === wanted) ? wanted : (channels[0]?.id ?? wanted);
};

export function Reminder({ item }: { item: WorkItem }) {
  const t = useFieldT();
  const lang = useLang();
  const dates = useDates();
  const { session } = useAppState();
  const { records } = useWorkspace();
  const intake = useIntake();
  const userId = useStore(session.store, (s) => s.profile?.user.id ?? '');
  const association = useStore(session.store, (s) => s.profile?.association);
  const [typed, setTyped] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const loaded = useLive(
    async () => ({
      person: await records.get('beneficiary', item.beneficiaryId),
      request: item.caseId === null ? undefined : await records.get('case', item.caseId),
    }),
    [item.beneficiaryId, item.caseId],
    null as { person: LocalRecord | undefined; request: LocalRecord | undefined } | null,
  );
  const profile = intake?.profile;
  if (loaded === null || profile === undefined) return null;
  const person = loaded.person?.data ?? {};
  const request = loaded.request?.data ?? {};
  const service = profile.serviceTypes.find((s) => s.id === request.serviceTypeId);
  const provided = Array.isArray(request.providedItems) ? request.providedItems : [];
  const missing = (service?.requirements ?? [])
    .filter((r) => r.kind === 'document' && !provided.includes(r.id))
    .map((r) => r.label[lang]);
  const words = {
    name: textOf(person.fullName),
    association: association === undefined ? '' : association[lang === 'ar' ? 'nameAr' : 'nameEn'],
    date: item.date === null ? '' : dates.day(item.date),
    number: textOf(request.number),
    missing: missing.join('، '),
  };
  const prefilled = t(
    item.kind === 'draft'
      ? 'remind.draft'
      : item.kind === 'followUp'
        ? 'remind.followUp'
        : item.kind === 'visitOverdue'
          ? 'remind.visitMissed'
          : 'remind.visit',
    words,
  );
  const message = typed ?? prefilled;
  if (sent)
    return (
      <p class="done" role="status" data-testid="reminded">
        ✓ {t('remind.done')}
      </p>
    );
  return (
    <div class="form" data-testid="reminder">
      <Field
        label={t('remind.text')}
        name="reminderText"
        value={message}
        onInput={setTyped}
        maxLength={4000}
      />
      <p class="hint">{t('remind.how')}</p>
      <SendLinks
        mobileE164={textOf(person.mobile)}
        email={textOf(person.email)}
        text={message}
        first={item.kind === 'followUp' ? 'call' : 'whatsapp'}
        inPerson={false}
        onSent={(method) => {
          const logged = records
            .save('interaction', crypto.randomUUID(), {
              beneficiaryId: item.beneficiaryId,
              caseId: item.caseId,
              channel: channelOf(method, profile.channels),
              kind: method === 'call' ? 'call' : 'message',
              direction: 'outgoing',
              summary: message,
              occurredAt: new Date().toISOString(),
              by: userId,
            })
            .then(() => {
              setSent(true);
            });
          reportFailure(logged, 'reminder');
        }}
      />
    </div>
  );
}
