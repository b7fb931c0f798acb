// The Saudi National Address: building number, street, district, city, postal code, additional number,
// and the optional short address (four letters, four digits).
import { normalizeDigits } from './digits';

export interface NationalAddress {
  buildingNumber: string;
  street: string;
  district: string;
  city: string;
  postalCode: string;
  additionalNumber: string;
  shortAddress?: string | undefined;
}

export const AddressError = {
  buildingNumber: 'address_building_number',
  street: 'address_street_required',
  district: 'address_district_required',
  city: 'address_city_required',
  postalCode: 'address_postal_code',
  additionalNumber: 'address_additional_number',
  shortAddress: 'address_short_address',
} as const;
export type AddressError = (typeof AddressError)[keyof typeof AddressError];

export type AddressResult =
  | { ok: true; value: NationalAddress }
  | { ok: false; errors: Partial<Record<keyof NationalAddress, AddressError>> };

/** Normalises digits and spacing, then checks each field; every problem is reported, by field. */
export function checkNationalAddress(input: NationalAddress): AddressResult {
  const value: NationalAddress = {
    buildingNumber: normalizeDigits(input.buildingNumber).trim(),
    street: input.street.trim(),
    district: input.district.trim(),
    city: input.city.trim(),
    postalCode: normalizeDigits(input.postalCode).trim(),
    additionalNumber: normalizeDigits(input.additionalNumber).trim(),
  };
  const short =
    input.shortAddress === undefined
      ? ''
      : normalizeDigits(input.shortAddress).replace(/\s/g, '').toUpperCase();
  if (short !== '') value.shortAddress = short;

  const errors: Partial<Record<keyof NationalAddress, AddressError>> = {};
  if (!/^\d{4}$/.test(value.buildingNumber)) errors.buildingNumber = AddressError.buildingNumber;
  if (value.street === '') errors.street = AddressError.street;
  if (value.district === '') errors.district = AddressError.district;
  if (value.city === '') errors.city = AddressError.city;
  if (!/^\d{5}$/.test(value.postalCode)) errors.postalCode = AddressError.postalCode;
  if (!/^\d{4}$/.test(value.additionalNumber)) errors.additionalNumber = AddressError.additionalNumber;
  if (short !== '' && !/^[A-Z]{4}\d{4}$/.test(short)) errors.shortAddress = AddressError.shortAddress;
  return Object.keys(errors).length === 0 ? { ok: true, value } : { ok: false, errors };
}
