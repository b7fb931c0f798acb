// Saudi validators: national ID / iqama, mobile numbers, National Address, digits (C-PROC-2).
import { describe, expect, it } from 'vitest';
import { normalizeDigits, toArabicIndicDigits } from '../../src/domain/digits';
import { checkNationalAddress } from '../../src/domain/national-address';
import { checkNationalId, isValidNationalId } from '../../src/domain/national-id';
import { checkSaudiMobile, formatSaudiMobileLocal, normalizeSaudiMobile } from '../../src/domain/phone';
import { verifyApplicant } from '../../src/domain/verification';

describe('digits', () => {
  it('turns Arabic-Indic and Eastern Arabic-Indic digits into 0-9 and leaves the rest', () => {
    expect(normalizeDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(normalizeDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(normalizeDigits('رقم ١٢ و 34')).toBe('رقم 12 و 34');
    expect(toArabicIndicDigits('1446')).toBe('١٤٤٦');
  });
});

describe('C-PROC-2 national ID and iqama', () => {
  it('accepts the checked examples and says why others fail', () => {
    expect(isValidNationalId('1000000008')).toBe(true);
    expect(checkNationalId('1000000008')).toEqual({ ok: true, value: '1000000008', holder: 'citizen' });
    expect(checkNationalId('2000000006')).toMatchObject({ ok: true, holder: 'resident' });
    expect(checkNationalId('1000000000')).toEqual({ ok: false, code: 'national_id_checksum' });
    expect(checkNationalId('3000000004')).toEqual({ ok: false, code: 'national_id_wrong_prefix' });
    expect(checkNationalId('100000000')).toEqual({ ok: false, code: 'national_id_wrong_length' });
    expect(checkNationalId('10000000080')).toEqual({ ok: false, code: 'national_id_wrong_length' });
    expect(checkNationalId('10000-0008')).toEqual({ ok: false, code: 'national_id_not_digits' });
    expect(checkNationalId('   ')).toEqual({ ok: false, code: 'national_id_empty' });
  });

  it('accepts Arabic-Indic digits and surrounding spaces', () => {
    expect(checkNationalId(' ١٠٠٠٠٠٠٠٠٨ ')).toEqual({ ok: true, value: '1000000008', holder: 'citizen' });
    expect(isValidNationalId('۱۰۰۰۰۰۰۰۰۸')).toBe(true);
    expect(isValidNationalId('١٠٠٠٠٠٠٠٠٠')).toBe(false);
  });

  it('catches every single-digit typo of a valid number', () => {
    const valid = '1000000008';
    for (let i = 1; i < 10; i++) {
      for (let d = 0; d <= 9; d++) {
        const typo = valid.slice(0, i) + String(d) + valid.slice(i + 1);
        if (typo !== valid) expect(isValidNationalId(typo), typo).toBe(false);
      }
    }
  });
});

describe('C-PROC-2 Saudi mobile numbers', () => {
  it('normalises the ways people write them to E.164', () => {
    for (const input of [
      '0501234567',
      '+966501234567',
      '966501234567',
      '00966501234567',
      '050 123 4567',
      '٠٥٠١٢٣٤٥٦٧',
    ]) {
      expect(normalizeSaudiMobile(input), input).toBe('+966501234567');
    }
    expect(formatSaudiMobileLocal('+966501234567')).toBe('0501234567');
  });

  it('refuses landlines, short and long numbers, and other countries', () => {
    expect(checkSaudiMobile('0112345678')).toEqual({ ok: false, code: 'phone_not_saudi_mobile' });
    expect(checkSaudiMobile('050123456')).toEqual({ ok: false, code: 'phone_not_saudi_mobile' });
    expect(checkSaudiMobile('05012345678')).toEqual({ ok: false, code: 'phone_not_saudi_mobile' });
    expect(checkSaudiMobile('+971501234567')).toEqual({ ok: false, code: 'phone_not_saudi_mobile' });
    expect(checkSaudiMobile('')).toEqual({ ok: false, code: 'phone_empty' });
  });
});

describe('National Address', () => {
  const address = {
    buildingNumber: '٨٢٢٨',
    street: 'طريق الملك فهد',
    district: 'العليا',
    city: 'الرياض',
    postalCode: '12214',
    additionalNumber: '2121',
    shortAddress: 'rrrd2929',
  };

  it('accepts a complete address, normalising digits and the short address', () => {
    expect(checkNationalAddress(address)).toEqual({
      ok: true,
      value: { ...address, buildingNumber: '8228', shortAddress: 'RRRD2929' },
    });
  });

  it('reports every wrong field by name', () => {
    const result = checkNationalAddress({
      ...address,
      buildingNumber: '82',
      postalCode: '1221',
      street: ' ',
      shortAddress: 'RR2929',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        buildingNumber: 'address_building_number',
        street: 'address_street_required',
        postalCode: 'address_postal_code',
        shortAddress: 'address_short_address',
      },
    });
  });
});

describe('C-PROC-2 verification at submission', () => {
  it('passes valid data and lists each problem otherwise, including an expired ID', () => {
    expect(
      verifyApplicant(
        { nationalId: '1000000008', idExpiry: '2027-01-01', mobile: '+966501234567' },
        '2026-11-22',
      ),
    ).toEqual([]);
    expect(
      verifyApplicant(
        { nationalId: '1000000000', idExpiry: '2026-11-21', mobile: '0112345678' },
        '2026-11-22',
      ),
    ).toEqual(['national_id_checksum', 'id_expired', 'phone_not_saudi_mobile']);
  });
});
