// A beneficiary's household members: the four-part name, relation, birth date, and optionally their ID and
// monthly income. Data collected through the head of household is flagged as such (L-CONSENT).
import { useState } from 'preact/hooks';
import { checkNationalId } from '../../domain/national-id';
import type { LocalRecord } from '../../db/database';
import { useLive } from '../../state/use-live';
import { useWorkspace } from '../context';
import { useBeneficiaryT, type BeneficiaryKey } from '../i18n/beneficiary';
import { textOf } from '../text';
import { Field, SelectField } from './Field';
import { useDates } from '../dates';
import { nameParts } from '../beneficiary-profile';

const relations = ['spouse', 'son', 'daughter', 'father', 'mother', 'brother', 'sister', 'other'] as const;
const empty = {
  first: '',
  father: '',
  grandfather: '',
  family: '',
  relation: 'son',
  birthDate: '',
  nationalId: '',
};

export function Household({ beneficiaryId }: { beneficiaryId: string }) {
  const t = useBeneficiaryT();
  const dates = useDates();
  const { records } = useWorkspace();
  const members = useLive(
    () => records.listOf('household_member', beneficiaryId),
    [beneficiaryId],
    [] as LocalRecord[],
  );
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<BeneficiaryKey | null>(null);
  const set = (name: keyof typeof empty) => (value: string) => {
    setForm({ ...form, [name]: value });
  };
  const live = members.filter((m) => !m.deleted && m.data !== null);
  return (
    <section data-testid="household">
      <h2>{t('household.title')}</h2>
      {live.length === 0 ? (
        <p class="hint">{t('household.none')}</p>
      ) : (
        <ul class="plain">
          {live.map((m) => {
            const name = (m.data?.name ?? {}) as Record<string, unknown>;
            return (
              <li key={m.key} class="card" data-testid="member">
                <strong dir="auto">{nameParts.map((part) => textOf(name[part])).join(' ')}</strong>{' '}
                <span class="muted">
                  {t(`household.relation.${textOf(m.data?.relation)}` as BeneficiaryKey)}
                </span>{' '}
                <bdi>{dates.day(textOf(m.data?.birthDate), true)}</bdi>
              </li>
            );
          })}
        </ul>
      )}
      <details>
        <summary>{t('household.add')}</summary>
        <form
          class="form"
          data-testid="member-form"
          onSubmit={(e) => {
            e.preventDefault();
            const names = nameParts.map((part) => form[part].trim());
            if (names.some((n) => n === '') || form.birthDate === '') {
              setError('household.incomplete');
              return;
            }
            const id = form.nationalId.trim() === '' ? null : checkNationalId(form.nationalId);
            if (id !== null && !id.ok) {
              setError('household.badId');
              return;
            }
            setError(null);
            void records
              .save('household_member', crypto.randomUUID(), {
                beneficiaryId,
                name: { first: names[0], father: names[1], grandfather: names[2], family: names[3] },
                relation: form.relation,
                birthDate: form.birthDate,
                ...(id === null ? {} : { nationalId: id.value }),
                collectedViaHead: true,
              })
              .then(() => {
                setForm(empty);
              });
          }}
        >
          <div class="grid-2">
            {nameParts.map((part) => (
              <Field
                key={part}
                label={t(`household.${part}`)}
                name={part}
                type="text"
                value={form[part]}
                onInput={set(part)}
              />
            ))}
          </div>
          <SelectField
            label={t('household.relationLabel')}
            name="relation"
            value={form.relation}
            onChange={set('relation')}
            options={relations.map((r) => ({ value: r, label: t(`household.relation.${r}`) }))}
          />
          <Field
            label={t('household.birthDate')}
            name="birthDate"
            type="date"
            dir="ltr"
            value={form.birthDate}
            onInput={set('birthDate')}
          />
          <Field
            label={t('household.nationalId')}
            name="memberNationalId"
            type="text"
            dir="ltr"
            value={form.nationalId}
            onInput={set('nationalId')}
          />
          {error !== null && (
            <p class="error" role="alert">
              {t(error)}
            </p>
          )}
          <button type="submit" class="button">
            {t('household.save')}
          </button>
        </form>
      </details>
    </section>
  );
}
