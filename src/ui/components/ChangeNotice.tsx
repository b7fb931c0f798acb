// K-INFO-c, for the follow-up unit under the policy in the library: a change that affects beneficiaries is
// told to those it affects (open requests of a service, or a category), each through their agreed channel,
// and recorded as a notification. Works offline from the records on the device.
import { useEffect, useState } from 'preact/hooks';
import type { Role } from '../../domain/permissions';
import type { PolicyProfile } from '../../domain/profiles/profile';
import { affectedBy, noticeChange, type NoticeResult, type NoticeTarget } from '../../state/change-notice';
import { Field, SelectField } from './Field';
import { useLang, useWorkspace } from '../context';
import { useLibraryT } from '../i18n/library';

export function ChangeNotice({
  profile,
  actor,
}: {
  profile: PolicyProfile;
  /** One of the follow-up unit (followUpUnit in the domain's rulebook). */
  actor: { id: string; role: Role };
}) {
  const t = useLibraryT();
  const lang = useLang();
  const { records } = useWorkspace();
  const targets: { value: string; label: string; target: NoticeTarget }[] = [
    ...profile.serviceTypes.map((s) => ({
      value: `service:${s.id}`,
      label: t('notice.service', { name: s.label[lang] }),
      target: { kind: 'service' as const, serviceTypeId: s.id },
    })),
    ...profile.categories.map((c) => ({
      value: `category:${c.id}`,
      label: t('notice.category', { name: c.label[lang] }),
      target: { kind: 'category' as const, category: c.id },
    })),
  ];
  const [choice, setChoice] = useState(targets[0]?.value ?? '');
  const [text, setText] = useState('');
  const [result, setResult] = useState<NoticeResult | null>(null);
  const target = targets.find((x) => x.value === choice)?.target;
  const fallback = profile.channels[0]?.id ?? 'phone';
  // Counted once per choice, not live: it reads every beneficiary and request on the device, which a sync
  // writing records would otherwise repeat on each change.
  const [affected, setAffected] = useState(0);
  useEffect(() => {
    const run = { cancelled: false };
    if (target !== undefined)
      void affectedBy(records, target, fallback).then((list) => {
        if (!run.cancelled) setAffected(list.length);
      });
    return () => {
      run.cancelled = true;
    };
  }, [choice]);
  return (
    <section class="card form" data-testid="change-notice">
      <h2>{t('notice.title')}</h2>
      <p class="hint">{t('notice.hint')}</p>
      <SelectField
        label={t('notice.target')}
        name="target"
        value={choice}
        options={targets.map((x) => ({ value: x.value, label: x.label }))}
        onChange={setChoice}
      />
      <p data-testid="notice-affected">{t('notice.affected', { count: affected })}</p>
      <Field label={t('notice.text')} name="notice" value={text} onInput={setText} />
      <button
        type="button"
        class="button"
        onClick={() => {
          if (target === undefined) return;
          void noticeChange(
            records,
            { target, text, fallbackChannel: fallback },
            { actor, now: () => Date.now(), newId: () => crypto.randomUUID() },
          ).then((r) => {
            setResult(r);
            if (r.ok) setText('');
          });
        }}
      >
        {t('notice.send')}
      </button>
      {result !== null &&
        (result.ok ? (
          <p role="status">{t('notice.done', { count: result.notified })}</p>
        ) : (
          <p class="error" role="alert">
            {t(`notice.${result.code}`)}
          </p>
        ))}
    </section>
  );
}
