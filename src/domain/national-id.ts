// Saudi national ID (citizens, first digit 1) and iqama (residents, first digit 2): 10 digits with a Luhn
// checksum over all ten. A checksum catches typos only; it does not prove the number was issued.
import { normalizeDigits } from './digits';

export const NationalIdError = {
  empty: 'national_id_empty',
  notDigits: 'national_id_not_digits',
  wrongLength: 'national_id_wrong_length',
  wrongPrefix: 'national_id_wrong_prefix',
  checksum: 'national_id_checksum',
} as const;
export type NationalIdError = (typeof NationalIdError)[keyof typeof NationalIdError];

export type NationalIdResult =
  { ok: true; value: string; holder: 'citizen' | 'resident' } | { ok: false; code: NationalIdError };

/** Luhn over the ten digits: the 1st, 3rd, 5th, 7th and 9th are doubled (minus 9 above 9). */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Checks a national ID or iqama as typed (Arabic-Indic digits and surrounding spaces accepted) and says why not. */
export function checkNationalId(input: string): NationalIdResult {
  const value = normalizeDigits(input).trim();
  if (value === '') return { ok: false, code: NationalIdError.empty };
  if (!/^\d+$/.test(value)) return { ok: false, code: NationalIdError.notDigits };
  if (value.length !== 10) return { ok: false, code: NationalIdError.wrongLength };
  if (value[0] !== '1' && value[0] !== '2') return { ok: false, code: NationalIdError.wrongPrefix };
  if (!luhnValid(value)) return { ok: false, code: NationalIdError.checksum };
  return { ok: true, value, holder: value[0] === '1' ? 'citizen' : 'resident' };
}

export function isValidNationalId(input: string): boolean {
  return checkNationalId(input).ok;
}
