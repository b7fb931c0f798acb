// A beneficiary's own data as one form: the name (its four parts when registered so), mobile, details and
// National Address, checked together and saved as one change. Pure: the screen keeps the draft, this turns
// it into the patch the records repository seals, or names every field that is wrong.
import { checkNationalAddress, type AddressError, type NationalAddress } from '../domain/national-address';
import { normalizeDigits } from '../domain/digits';
import { checkSaudiMobile, formatSaudiMobileLocal } from '../domain/phone';
import { fourPartName } from '../domain/import-rows';
import { entityErrors } from '../protocol/validate';
import { textOf } from './text';

export const nameParts = ['first', 'father', 'grandfather', 'family'] as const;
export type NamePart = (typeof nameParts)[number];

export const addressFields = [
  'buildingNumber',
  'street',
  'district',
  'city',
  'postalCode',
  'additionalNumber',
  'shortAddress',
] as const satisfies readonly (keyof NationalAddress)[];
export type AddressField = (typeof addressFields)[number];

export const detailFields = [
  'idExpiry',
  'category',
  'monthlyIncome',
  'preferredChannel',
  'preferredChannelOther',
] as const;
export type DetailField = (typeof detailFields)[number];

/** What the form holds: every value as typed. */
export interface ProfileDraft {
  /** The four parts, for a person registered with them; null for a single full name (older records). */
  name: Record<NamePart, string> | null;
  fullName: string;
  mobile: string;
  email: string;
  details: Record<DetailField, string>;
  address: Record<AddressField, string>;
  /** The privacy notice read and accepted, now (L-CONSENT). */
  consent: boolean;
}

export type ProfileError = 'required' | 'tooLong' | 'phone' | 'email' | 'income' | AddressError;
/** By field: `fullName`, `name.first`, `mobile`, `monthlyIncome`, `address.postalCode`, … */
export type ProfileErrors = Partial<Record<string, ProfileError>>;

export type ProfileResult =
  { ok: true; patch: Record<string, unknown> } | { ok: false; errors: ProfileErrors };

/** A stored object's fields (a name, an address), or null when there is none. */
function fieldsOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? { ...value } : null;
}

/**
 * The form's starting values, from the record as stored. The name is edited in its four parts while they
 * spell the full name; a full name corrected by itself (before names had parts) is edited whole.
 */
export function draftOf(data: Record<string, unknown>): ProfileDraft {
  const name = fieldsOf(data.name);
  const address = fieldsOf(data.address);
  const parts =
    name === null
      ? null
      : (Object.fromEntries(nameParts.map((p) => [p, textOf(name[p])])) as Record<NamePart, string>);
  return {
    name: parts !== null && nameParts.map((p) => parts[p]).join(' ') === textOf(data.fullName) ? parts : null,
    fullName: textOf(data.fullName),
    mobile: formatSaudiMobileLocal(textOf(data.mobile)),
    email: textOf(data.email),
    details: {
      idExpiry: textOf(data.idExpiry),
      category: textOf(data.category),
      monthlyIncome: typeof data.monthlyIncome === 'number' ? String(data.monthlyIncome) : '',
      preferredChannel: textOf(data.preferredChannel),
      preferredChannelOther: textOf(data.preferredChannelOther),
    },
    address: Object.fromEntries(addressFields.map((f) => [f, textOf(address?.[f])])) as Record<
      AddressField,
      string
    >,
    consent: false,
  };
}

export interface ProfileContext {
  noticeVersion: string;
  userId: string;
  now: () => number;
}

/**
 * The change to save: only what differs from the record, all of it checked first. Every wrong field is
 * named at once and nothing is saved; a blank detail is left as it was (clearing is not an edit here).
 */
export function profilePatch(
  data: Record<string, unknown>,
  draft: ProfileDraft,
  context: ProfileContext,
): ProfileResult {
  const errors: ProfileErrors = {};
  const patch: Record<string, unknown> = {};

  // The name: four parts joined in order, as at registration; or the one full name.
  if (draft.name !== null) {
    const parts = nameParts.map((p) => draft.name?.[p].trim() ?? '');
    const name = Object.fromEntries(nameParts.map((p, i) => [p, parts[i]]));
    const fullName = parts.join(' ');
    const refused = entityErrors('beneficiary', { fullName, name }, undefined);
    for (const [i, part] of nameParts.entries()) {
      if (parts[i] === '') errors[`name.${part}`] = 'required';
      else if (refused.some((f) => f.path === `name.${part}`)) errors[`name.${part}`] = 'tooLong';
    }
    const stored = data.name as Record<string, unknown> | undefined;
    if (nameParts.some((p, i) => stored?.[p] !== parts[i])) patch.name = name;
    if (fullName !== data.fullName) patch.fullName = fullName;
  } else {
    const fullName = draft.fullName.trim();
    if (fullName === '') errors.fullName = 'required';
    else if (entityErrors('beneficiary', { fullName }, undefined).some((f) => f.path === 'fullName'))
      errors.fullName = 'tooLong';
    if (fullName !== data.fullName) {
      patch.fullName = fullName;
      // The parts follow the corrected name when it has four; otherwise the ones kept are left as they were.
      const parts = fourPartName(fullName);
      if (parts !== null && data.name !== undefined) patch.name = parts;
    }
  }

  const phone = checkSaudiMobile(draft.mobile);
  if (!phone.ok) errors.mobile = 'phone';
  else if (phone.e164 !== data.mobile) patch.mobile = phone.e164;

  // The e-mail is optional; typed, it must be one the record's schema takes (as the server checks it).
  const email = draft.email.trim();
  if (email !== '' && entityErrors('beneficiary', { email }, undefined).some((f) => f.path === 'email'))
    errors.email = 'email';
  else if (email !== '' && email !== data.email) patch.email = email;
  // Blanked: the address is removed (a wrong one must not keep being offered).
  else if (email === '' && typeof data.email === 'string') patch.email = null;

  for (const field of detailFields) {
    const typed = draft.details[field].trim();
    if (typed === '') continue;
    if (field === 'monthlyIncome') {
      // Riyals, typed in either digits.
      const income = Number(normalizeDigits(typed));
      if (!Number.isFinite(income) || income < 0) errors.monthlyIncome = 'income';
      else if (income !== data.monthlyIncome) patch.monthlyIncome = income;
    } else if (typed !== data[field]) patch[field] = typed;
  }

  // The address is all or nothing: untouched and empty stays absent; anything typed is checked whole.
  const typedAddress = addressFields.some((f) => draft.address[f].trim() !== '');
  if (typedAddress) {
    const { shortAddress, ...rest } = draft.address;
    const result = checkNationalAddress({
      ...rest,
      ...(shortAddress.trim() === '' ? {} : { shortAddress }),
    });
    if (!result.ok)
      for (const [field, error] of Object.entries(result.errors)) errors[`address.${field}`] = error;
    else if (JSON.stringify(result.value) !== JSON.stringify(data.address ?? null))
      patch.address = result.value;
  }

  if (draft.consent)
    patch.consent = {
      noticeVersion: context.noticeVersion,
      givenAt: new Date(context.now()).toISOString(),
      recordedBy: context.userId,
      viaHeadOfHousehold: true,
    };

  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, patch };
}
