// More of a beneficiary's registration: ID expiry, category, the household's monthly income (a requirement of
// most services), preferred contact channel (K-PROC-e: the channel status updates go to), and consent to the
// privacy notice, recorded with its version (L-CONSENT).
import { useState } from 'preact/hooks';
import { normalizeDigits } from '../../domain/digits';
import { noticeOf } from '../../domain/privacy-notice';
import type { PolicyProfile } from '../../domain/profiles/profile';
import type { LocalRecord } from '../../db/database';
import { useStore } from '../../state/use-store';
import { useAppState, useLang, useWorkspace } from '../context';
import { useIntakeT } from '../i18n/intake';
import { textOf } from '../text';
import { Field, SelectField } from './Field';

export function Details({ person, profile }: { person: LocalRecord; profile: PolicyProfile }) {
  const t = useIntakeT();
  const lang = useLang();
  const { session } = useAppState();
  const { records } = useWorkspace();
  const userId = useStore(session.store, (s) => s.profile?.user.id ?? '');
  const privacyNotice = noticeOf(profile);
  const data = person.data ?? {};
  const [edit, setEdit] = useState<Record<string, string> | null>(null);
  const [consent, setConsent] = useState(false);
  const current = edit ?? {
    idExpiry: textOf(data.idExpiry),
    category: textOf(data.category),
    monthlyIncome: typeof data.monthlyIncome === 'number' ? String(data.monthlyIncome) : '',
    preferredChannel: textOf(data.preferredChannel),
    preferredChannelOther: textOf(data.preferredChannelOther),
  };
  const set = (name: string) => (value: string) => {
    setEdit({ ...current, [name]: value });
  };
  const given = data.consent as { noticeVersion?: string } | undefined;
  const other = profile.channels.find((c) => c.id === current.preferredChannel)?.freeText === true;
  const select = (
    name: 'category' | 'preferredChannel',
    label: string,
    options: { id: string; label: { ar: string; en: string } }[],
  ) => (
    <SelectField
      label={label}
      name={name}
      value={current[name] ?? ''}
      onChange={set(name)}
      placeholder={t('details.choose')}
      options={options.map((o) => ({ value: o.id, label: o.label[lang] }))}
    />
  );
  return (
    <details class="card" data-testid="details">
      <summary>{t('details.title')}</summary>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          const patch: Record<string, unknown> = {};
          for (const [field, value] of Object.entries(current)) {
            // The income is a number of riyals, typed in either digits.
            const typed = field === 'monthlyIncome' ? Number(normalizeDigits(value)) : value;
            if (value !== '' && typed !== data[field] && !Number.isNaN(typed)) patch[field] = typed;
          }
          if (consent)
            patch.consent = {
              noticeVersion: privacyNotice.version,
              givenAt: new Date().toISOString(),
              recordedBy: userId,
              viaHeadOfHousehold: true,
            };
          if (Object.keys(patch).length > 0) void records.save('beneficiary', person.recordId, patch);
          setEdit(null);
          setConsent(false);
        }}
      >
        <Field
          label={t('details.idExpiry')}
          name="idExpiry"
          type="date"
          dir="ltr"
          value={current.idExpiry ?? ''}
          onInput={set('idExpiry')}
        />
        {select('category', t('details.category'), profile.categories)}
        <Field
          label={t('details.monthlyIncome')}
          name="monthlyIncome"
          type="text"
          inputMode="numeric"
          dir="ltr"
          value={current.monthlyIncome ?? ''}
          onInput={set('monthlyIncome')}
        />
        {select('preferredChannel', t('details.channel'), profile.channels)}
        {other && (
          <Field
            label={t('details.channelOther')}
            name="preferredChannelOther"
            type="text"
            value={current.preferredChannelOther ?? ''}
            onInput={set('preferredChannelOther')}
          />
        )}
        <blockquote class="declaration">{privacyNotice.text[lang]}</blockquote>
        {given?.noticeVersion === privacyNotice.version ? (
          <p class="done">✓ {t('details.consented', { version: `\u2066${given.noticeVersion}\u2069` })}</p>
        ) : (
          <label class="check">
            <input
              type="checkbox"
              name="consent"
              checked={consent}
              onChange={(e) => {
                setConsent(e.currentTarget.checked);
              }}
            />
            <span>{t('details.consent')}</span>
          </label>
        )}
        <button type="submit" class="button">
          {t('details.save')}
        </button>
      </form>
    </details>
  );
}
