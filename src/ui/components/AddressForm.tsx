// The beneficiary's Saudi National Address: building number, street, district, city, postal code, additional
// number and the optional short address. Digits may be typed in Arabic-Indic; each field's problem is named
// under it, and nothing typed is lost until it is right and saved.
import { useState } from 'preact/hooks';
import { checkNationalAddress, type AddressError, type NationalAddress } from '../../domain/national-address';
import type { LocalRecord } from '../../db/database';
import { useWorkspace } from '../context';
import { useIntakeT, type IntakeKey } from '../i18n/intake';
import { textOf } from '../text';

const fields = [
  'buildingNumber',
  'street',
  'district',
  'city',
  'postalCode',
  'additionalNumber',
  'shortAddress',
] as const satisfies readonly (keyof NationalAddress)[];
/** Numbers and the short address read left to right; names follow their text. */
const numeric = new Set<string>(['buildingNumber', 'postalCode', 'additionalNumber', 'shortAddress']);

export function AddressForm({ person }: { person: LocalRecord }) {
  const t = useIntakeT();
  const { records } = useWorkspace();
  const saved = (person.data?.address ?? null) as NationalAddress | null;
  const [edit, setEdit] = useState<Record<(typeof fields)[number], string> | null>(null);
  const [errors, setErrors] = useState<Partial<Record<keyof NationalAddress, AddressError>>>({});
  const [done, setDone] = useState(false);
  const current =
    edit ??
    (Object.fromEntries(fields.map((f) => [f, textOf(saved?.[f])])) as Record<
      (typeof fields)[number],
      string
    >);
  return (
    <details class="card" data-testid="address">
      <summary>
        {t('address.title')}
        {saved !== null && (
          <>
            {' '}
            <bdi dir="ltr" class="muted">
              {saved.shortAddress ?? `${saved.buildingNumber} ${saved.postalCode}`}
            </bdi>
          </>
        )}
      </summary>
      <form
        class="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const { shortAddress, ...rest } = current;
          const result = checkNationalAddress({ ...rest, ...(shortAddress === '' ? {} : { shortAddress }) });
          if (!result.ok) {
            setErrors(result.errors);
            setDone(false);
            return;
          }
          setErrors({});
          void records.save('beneficiary', person.recordId, { address: result.value }).then(() => {
            setEdit(null);
            setDone(true);
          });
        }}
      >
        <div class="grid-2">
          {fields.map((f) => (
            <label class="field" key={f}>
              <span>
                {t(`address.${f}`)}
                {f === 'shortAddress' && <span class="muted"> ({t('address.optional')})</span>}
              </span>
              <input
                name={f}
                dir={numeric.has(f) ? 'ltr' : 'auto'}
                inputMode={numeric.has(f) && f !== 'shortAddress' ? 'numeric' : undefined}
                value={current[f]}
                aria-invalid={errors[f] !== undefined}
                aria-describedby={errors[f] === undefined ? undefined : `address-${f}-error`}
                onInput={(e) => {
                  setEdit({ ...current, [f]: e.currentTarget.value });
                  setDone(false);
                }}
              />
              {errors[f] !== undefined && (
                <span class="error" role="alert" id={`address-${f}-error`}>
                  {t(`address.error.${errors[f]}` as IntakeKey)}
                </span>
              )}
            </label>
          ))}
        </div>
        {done && <p class="done">✓ {t('address.saved')}</p>}
        <button type="submit" class="button">
          {t('address.save')}
        </button>
      </form>
    </details>
  );
}
