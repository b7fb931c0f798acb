// Aid as data (issue 20): an amount in riyals and/or the items, typed in either digit system, shown in the
// user's language. The decision grants it; the delivery says what was handed over.
import type { Aid } from '../../state/intake';
import { normalizeDigits } from '../../domain/digits';
import { numberLocale, useDateStyle, type DateStyle } from '../dates';
import { useCaseworkT } from '../i18n/casework';
import { Field } from './Field';

export interface AidInput {
  amount: string;
  items: string;
}

export const noAid: AidInput = { amount: '', items: '' };

/** The aid typed, as data; an amount that is not a number stays as NaN for the machine to refuse. */
export function aidOf(input: AidInput): Aid | undefined {
  const amount = normalizeDigits(input.amount)
    .replace(/[,،٬\s]/g, '')
    .replace('٫', '.');
  const items = input.items.trim();
  if (amount === '' && items === '') return undefined;
  return { ...(amount === '' ? {} : { amount: Number(amount) }), ...(items === '' ? {} : { items }) };
}

/** An amount in riyals, in Arabic in the digits the user chose (as dates are). */
export function formatRiyals(amount: number, style: DateStyle): string {
  return new Intl.NumberFormat(numberLocale(style, 'en-SA'), {
    style: 'currency',
    currency: 'SAR',
    maximumFractionDigits: 2,
  }).format(amount);
}

export function AidFields({
  value,
  onChange,
  legend,
}: {
  value: AidInput;
  onChange: (value: AidInput) => void;
  legend: string;
}) {
  const t = useCaseworkT();
  return (
    <fieldset class="aid" data-testid="aid">
      <legend>{legend}</legend>
      <Field
        label={t('aid.amount')}
        name="aidAmount"
        type="text"
        dir="ltr"
        inputMode="decimal"
        value={value.amount}
        onInput={(amount) => {
          onChange({ ...value, amount });
        }}
      />
      <Field
        label={t('aid.items')}
        name="aidItems"
        maxLength={500}
        value={value.items}
        onInput={(items) => {
          onChange({ ...value, items });
        }}
      />
    </fieldset>
  );
}

/** What was granted or handed over, in words. */
export function AidText({ aid }: { aid: Aid | undefined }) {
  const t = useCaseworkT();
  const style = useDateStyle();
  if (aid === undefined) return null;
  return (
    <p data-testid="aid-text">
      {aid.amount !== undefined && (
        <>
          {t('aid.amount')}: <bdi dir="ltr">{formatRiyals(aid.amount, style)}</bdi>
        </>
      )}
      {aid.amount !== undefined && aid.items !== undefined && ' · '}
      {aid.items !== undefined && (
        <>
          {t('aid.items')}: <span dir="auto">{aid.items}</span>
        </>
      )}
    </p>
  );
}
