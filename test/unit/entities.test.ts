// Entity schemas and profile-aware validation: the one function the app's forms and the server both call.
import { describe, expect, it } from 'vitest';
import { profiles } from '../../src/domain/profiles/associations';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import { entitySchemas } from '../../src/protocol/entities';
import { validateEntity } from '../../src/protocol/validate';
import { nationalAddress } from '../fixtures';

const kadi = profiles.kadi as PolicyProfile;
const awn = profiles.awn as PolicyProfile;
const ids = {
  association: '7f1c2d3e-4f50-4a61-8b72-9c83d4e5f602',
  branch: '8f1c2d3e-4f50-4a61-8b72-9c83d4e5f603',
  user: '6f1c2d3e-4f50-4a61-8b72-9c83d4e5f601',
  beneficiary: '4f1c2d3e-4f50-4a61-8b72-9c83d4e5f609',
};
const at = '2026-11-22T09:00:00+03:00';

const beneficiary = {
  branchId: ids.branch,
  fullName: 'فاطمة أحمد علي الزهراني',
  name: { first: 'فاطمة', father: 'أحمد', grandfather: 'علي', family: 'الزهراني' },
  nationalId: '1000000008',
  idExpiry: '2028-01-01',
  birthDate: '1980-05-01',
  nationality: 'سعودية',
  gender: 'female',
  mobile: '+966501234567',
  address: { ...nationalAddress },
  preferredChannel: 'phone',
  category: 'family',
  consent: { noticeVersion: '2026-1', givenAt: at, recordedBy: ids.user, viaHeadOfHousehold: false },
};

const codes = (result: ReturnType<typeof validateEntity>) =>
  result.ok ? [] : result.errors.map((e) => `${e.path}:${e.code}`);

describe('beneficiary', () => {
  it('L-CONSENT a complete record with its consent passes', () => {
    expect(validateEntity('beneficiary', beneficiary, kadi)).toMatchObject({ ok: true });
  });

  it('K-PROC-e an e-mail, when given, is an address (the device and the server run this same check)', () => {
    expect(
      validateEntity('beneficiary', { ...beneficiary, email: 'fatima@example.com' }, kadi),
    ).toMatchObject({
      ok: true,
    });
    expect(codes(validateEntity('beneficiary', { ...beneficiary, email: 'fatima@' }, kadi))).toEqual([
      'email:invalid_format',
    ]);
  });

  it('on the wire, branch, full name, national ID and mobile are enough; each of them is required', () => {
    const minimal = {
      branchId: ids.branch,
      fullName: 'فاطمة الزهراني',
      nationalId: '1000000008',
      mobile: '+966501234567',
    };
    expect(validateEntity('beneficiary', minimal, kadi)).toMatchObject({ ok: true });
    for (const field of ['branchId', 'fullName', 'nationalId', 'mobile'] as const) {
      const without = Object.fromEntries(Object.entries(minimal).filter(([key]) => key !== field));
      expect(codes(validateEntity('beneficiary', without, kadi))).toEqual([`${field}:invalid_type`]);
    }
  });

  it('C-PROC-2 refuses an invalid or unnormalised national ID, a non-E.164 mobile and an impossible date, by field', () => {
    expect(codes(validateEntity('beneficiary', { ...beneficiary, nationalId: '1000000000' }, kadi))).toEqual([
      'nationalId:national_id_checksum',
    ]);
    expect(codes(validateEntity('beneficiary', { ...beneficiary, nationalId: '١٠٠٠٠٠٠٠٠٨' }, kadi))).toEqual([
      'nationalId:national_id_not_normalized',
    ]);
    expect(codes(validateEntity('beneficiary', { ...beneficiary, mobile: '0501234567' }, kadi))).toEqual([
      'mobile:phone_not_saudi_mobile_e164',
    ]);
    expect(codes(validateEntity('beneficiary', { ...beneficiary, birthDate: '1980-02-30' }, kadi))).toEqual([
      'birthDate:date_invalid',
    ]);
    expect(
      codes(
        validateEntity(
          'beneficiary',
          { ...beneficiary, address: { ...beneficiary.address, postalCode: '1' } },
          kadi,
        ),
      ),
    ).toEqual(['address:address_invalid']);
  });

  it('refuses a record with the four-part name incomplete', () => {
    const result = validateEntity(
      'beneficiary',
      { ...beneficiary, name: { ...beneficiary.name, grandfather: ' ' } },
      kadi,
    );
    expect(codes(result)).toEqual(['name.grandfather:too_small']);
  });

  it('K-PROC-e K-CH-h the preferred channel must be one of the profile’s, and "other" needs its name', () => {
    expect(
      codes(validateEntity('beneficiary', { ...beneficiary, preferredChannel: 'pigeon' }, kadi)),
    ).toEqual(['preferredChannel:channel_not_in_profile']);
    expect(codes(validateEntity('beneficiary', { ...beneficiary, preferredChannel: 'other' }, kadi))).toEqual(
      ['preferredChannelOther:channel_name_required'],
    );
    expect(
      validateEntity(
        'beneficiary',
        { ...beneficiary, preferredChannel: 'other', preferredChannelOther: 'واتساب' },
        kadi,
      ).ok,
    ).toBe(true);
    // Fax is Kadi's channel, not the common texts'.
    expect(validateEntity('beneficiary', { ...beneficiary, preferredChannel: 'fax' }, kadi).ok).toBe(true);
    expect(
      codes(
        validateEntity('beneficiary', { ...beneficiary, preferredChannel: 'fax', category: 'patient' }, awn),
      ),
    ).toEqual(['preferredChannel:channel_not_in_profile']);
  });

  it('L-SENSITIVE sensitive fields exist only where the profile declares them', () => {
    const withHealth = { ...beneficiary, category: 'patient', sensitive: { medical_condition: 'متعافٍ' } };
    expect(validateEntity('beneficiary', withHealth, awn).ok).toBe(true);
    expect(codes(validateEntity('beneficiary', { ...withHealth, category: 'family' }, kadi))).toEqual([
      'sensitive.medical_condition:field_not_in_profile',
    ]);
  });
});

describe('case', () => {
  const base = {
    beneficiaryId: ids.beneficiary,
    number: 'KADI-2026-000001',
    status: 'draft',
    serviceTypeId: 'aid',
    reception: { at, by: ids.user },
    requirementsShared: null,
    providedItems: ['national_id', 'mobile'],
    verification: null,
    referral: null,
    declaration: null,
    exception: null,
    submittedAt: null,
    completedAt: null,
    deadline: null,
    researchReportId: null,
    decision: null,
    delivery: null,
    closedAt: null,
  };

  it('K-PROC-b the service and its provided items must be the profile’s', () => {
    expect(validateEntity('case', base, kadi).ok).toBe(true);
    expect(codes(validateEntity('case', { ...base, serviceTypeId: 'food_basket' }, kadi))).toEqual([
      'serviceTypeId:service_not_in_profile',
    ]);
    expect(
      codes(validateEntity('case', { ...base, providedItems: ['national_id', 'medical_report'] }, kadi)),
    ).toEqual(['providedItems.1:requirement_not_in_service']);
    expect(codes(validateEntity('case', { ...base, status: 'approved' }, kadi))).toEqual([
      'status:invalid_value',
    ]);
  });
});

describe('all entities', () => {
  it('has a schema for every record the policy needs', () => {
    expect(Object.keys(entitySchemas).sort()).toEqual(
      [
        'attachment',
        'beneficiary',
        'case',
        'compensation',
        'complaint',
        'decision',
        'holiday',
        'household_member',
        'interaction',
        'notification',
        'policy_acknowledgement',
        'research_report',
        'survey',
        'survey_response',
      ].sort(),
    );
  });

  it('K-RESP an acknowledgement needs a signature hash; K-COMP-a compensation minutes need harm, size and causes', () => {
    const ack = {
      id: ids.user,
      associationId: ids.association,
      createdAt: at,
      updatedAt: at,
      userId: ids.user,
      policyVersion: '1',
      signedAt: at,
    };
    expect(codes(validateEntity('policy_acknowledgement', ack, kadi))).toEqual([
      'signatureHash:invalid_type',
    ]);
    expect(validateEntity('policy_acknowledgement', { ...ack, signatureHash: 'f'.repeat(64) }, kadi).ok).toBe(
      true,
    );
    const compensation = {
      complaintId: ids.beneficiary,
      minutes: { date: '2026-11-20', harm: 'تأخر صرف المساعدة', size: 'شهر', causes: '', approvals: [] },
      negotiation: [],
      settlement: null,
    };
    expect(codes(validateEntity('compensation', compensation, kadi))).toEqual(['minutes.causes:too_small']);
  });
});
