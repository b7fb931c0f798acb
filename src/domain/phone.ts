// Saudi mobile numbers, validated and normalised by libphonenumber-js (its mobile-only metadata), stored as
// E.164 (+9665XXXXXXXX). Arabic-Indic digits are accepted.
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { normalizeDigits } from './digits';

export const PhoneError = {
  empty: 'phone_empty',
  notSaudiMobile: 'phone_not_saudi_mobile',
} as const;
export type PhoneError = (typeof PhoneError)[keyof typeof PhoneError];

export type PhoneResult = { ok: true; e164: string } | { ok: false; code: PhoneError };

export function checkSaudiMobile(input: string): PhoneResult {
  const text = normalizeDigits(input).trim();
  if (text === '') return { ok: false, code: PhoneError.empty };
  const parsed = parsePhoneNumberFromString(text, 'SA');
  // With mobile-only metadata, isValid() holds only for mobile numbers.
  if (parsed?.country !== 'SA' || !parsed.isValid()) return { ok: false, code: PhoneError.notSaudiMobile };
  return { ok: true, e164: parsed.number };
}

/** `+9665XXXXXXXX`, or null when the input is not a Saudi mobile number. */
export function normalizeSaudiMobile(input: string): string | null {
  const result = checkSaudiMobile(input);
  return result.ok ? result.e164 : null;
}

/** The national way of writing a stored number: 05XXXXXXXX. */
export function formatSaudiMobileLocal(e164: string): string {
  return e164.startsWith('+966') ? `0${e164.slice(4)}` : e164;
}
