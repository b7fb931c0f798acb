// The beneficiary's Saudi National Address, as a group of the beneficiary's form: building number, street,
// district, city, postal code, additional number and the optional short address. Digits may be typed in
// Arabic-Indic; each field's problem is named under it, and nothing typed is lost until it is right and saved.
import { addressFields, type AddressField, type ProfileErrors } from '../beneficiary-profile';
import { useBeneficiaryT, type BeneficiaryKey } from '../i18n/beneficiary';
import { Field } from './Field';

/** Numbers and the short address read left to right; names follow their text. */
const numeric = new Set<string>(['buildingNumber', 'postalCode', 'additionalNumber', 'shortAddress']);

export function AddressFields({
  value,
  errors,
  onChange,
}: {
  value: Record<AddressField, string>;
  errors: ProfileErrors;
  onChange: (value: Record<AddressField, string>) => void;
}) {
  const t = useBeneficiaryT();
  return (
    <fieldset class="group" data-testid="address">
      <legend>{t('address.title')}</legend>
      <div class="grid-2">
        {addressFields.map((f) => {
          const error = errors[`address.${f}`];
          return (
            <Field
              key={f}
              label={
                f === 'shortAddress' ? `${t(`address.${f}`)} (${t('address.optional')})` : t(`address.${f}`)
              }
              name={f}
              type="text"
              dir={numeric.has(f) ? 'ltr' : 'auto'}
              inputMode={numeric.has(f) && f !== 'shortAddress' ? 'numeric' : undefined}
              value={value[f]}
              error={error === undefined ? undefined : t(`address.error.${error}` as BeneficiaryKey)}
              onInput={(typed) => {
                onChange({ ...value, [f]: typed });
              }}
            />
          );
        })}
      </div>
    </fieldset>
  );
}
