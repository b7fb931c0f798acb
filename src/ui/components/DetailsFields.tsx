// More of a beneficiary's registration, as a group of the beneficiary's form: ID expiry, category, the
// household's monthly income (a requirement of most services), preferred contact channel (K-PROC-e: the
// channel status updates go to), and consent to the privacy notice, recorded with its version (L-CONSENT).
import { noticeOf } from '../../domain/privacy-notice';
import type { PolicyProfile } from '../../domain/profiles/profile';
import type { DetailField, ProfileErrors } from '../beneficiary-profile';
import { useLang, useT } from '../context';
import { useBeneficiaryT } from '../i18n/beneficiary';
import { Field, SelectField } from './Field';

export function DetailsFields({
  profile,
  value,
  errors,
  onChange,
  consent,
  consented,
  onConsent,
}: {
  profile: PolicyProfile;
  value: Record<DetailField, string>;
  errors: ProfileErrors;
  onChange: (value: Record<DetailField, string>) => void;
  consent: boolean;
  /** The notice's version already consented to, if any. */
  consented: string | undefined;
  onConsent: (given: boolean) => void;
}) {
  const t = useBeneficiaryT();
  const wt = useT();
  const lang = useLang();
  const notice = noticeOf(profile);
  const set = (name: DetailField) => (typed: string) => {
    onChange({ ...value, [name]: typed });
  };
  const other = profile.channels.find((c) => c.id === value.preferredChannel)?.freeText === true;
  const select = (
    name: 'category' | 'preferredChannel',
    label: string,
    options: { id: string; label: { ar: string; en: string } }[],
  ) => (
    <SelectField
      label={label}
      name={name}
      value={value[name]}
      onChange={set(name)}
      placeholder={t('details.choose')}
      options={options.map((o) => ({ value: o.id, label: o.label[lang] }))}
    />
  );
  return (
    <fieldset class="group" data-testid="details">
      <legend>{t('details.title')}</legend>
      <Field
        label={t('details.idExpiry')}
        name="idExpiry"
        type="date"
        dir="ltr"
        value={value.idExpiry}
        onInput={set('idExpiry')}
      />
      {select('category', t('details.category'), profile.categories)}
      <Field
        label={t('details.monthlyIncome')}
        name="monthlyIncome"
        type="text"
        inputMode="numeric"
        dir="ltr"
        value={value.monthlyIncome}
        error={errors.monthlyIncome === undefined ? undefined : wt('error.income')}
        onInput={set('monthlyIncome')}
      />
      {select('preferredChannel', t('details.channel'), profile.channels)}
      {other && (
        <Field
          label={t('details.channelOther')}
          name="preferredChannelOther"
          type="text"
          value={value.preferredChannelOther}
          onInput={set('preferredChannelOther')}
        />
      )}
      <blockquote class="declaration">{notice.text[lang]}</blockquote>
      {consented === notice.version ? (
        <p class="done">✓ {t('details.consented', { version: `\u2066${notice.version}\u2069` })}</p>
      ) : (
        <label class="check">
          <input
            type="checkbox"
            name="consent"
            checked={consent}
            onChange={(e) => {
              onConsent(e.currentTarget.checked);
            }}
          />
          <span>{t('details.consent')}</span>
        </label>
      )}
    </fieldset>
  );
}
