// The import's rules for each row of an association's file (issue 19): the same validators as a form, a
// national ID once per file, never over a record the association holds, household members under a head —
// and record ids derived from the person, so that the same person imported twice is the same record.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkImportRows,
  fourPartName,
  importAmount,
  importDate,
  importRecordName,
  refuseDrafts,
  uuidFromDigest,
  type ExistingPerson,
  type ImportContext,
  type MappedRow,
} from '../../src/domain/import-rows';
import { isValidNationalId } from '../../src/domain/national-id';
import { profileOf } from '../../src/domain/profiles/associations';
import { planImport } from '../../src/protocol/import';

/** The i-th valid citizen ID (Luhn check digit). */
function validId(i: number): string {
  const body = `1${String(i).padStart(8, '0')}`;
  for (let d = 0; d <= 9; d++) if (isValidNationalId(`${body}${d}`)) return `${body}${d}`;
  throw new Error('no check digit');
}
/** The same ID with a wrong check digit. */
const badChecksum = (id: string) => `${id.slice(0, 9)}${String((Number(id[9]) + 1) % 10)}`;

const b1 = '11111111-1111-4111-8111-111111111111';
const b2 = '22222222-2222-4222-8222-222222222222';
const closed = '33333333-3333-4333-8333-333333333333';
const kadi = profileOf('kadi');
if (kadi === undefined) throw new Error('no kadi profile');

function context(existing: Record<string, ExistingPerson> = {}, defaultBranchId: string | null = b1) {
  const c: ImportContext = {
    branches: [
      { id: b1, code: 'b1', nameAr: 'الفرع الأول', nameEn: 'Branch 1', closed: false },
      { id: b2, code: 'b2', nameAr: 'الفرع الثاني', nameEn: 'Branch 2', closed: false },
      { id: closed, code: 'old', nameAr: 'الفرع القديم', nameEn: 'Old branch', closed: true },
    ],
    defaultBranchId,
    categories: kadi?.categories ?? [],
    existing: new Map(Object.entries(existing)),
  };
  return c;
}

const person = (row: number, i: number, extra: Partial<MappedRow> = {}): MappedRow => ({
  row,
  nationalId: validId(i),
  fullName: 'نورة سعد عبد الله القحطاني',
  mobile: '0501234567',
  ...extra,
});

const codes = (rows: readonly MappedRow[], c = context()) =>
  checkImportRows(rows, c).problems.map((p) => `${String(p.row)} ${p.field ?? '-'} ${p.code}`);

describe('a beneficiary row', () => {
  it('becomes a record as a form would save it: E.164 mobile, 0-9 digits, the four-part name', () => {
    const { drafts, problems } = checkImportRows(
      [
        {
          row: 2,
          nationalId: ` ${validId(7).replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)))} `,
          fullName: '  محمد   بن عبد الله بن سعد آل سعود ',
          mobile: '٠٥٠١٢٣٤٥٦٧',
          branchCode: 'B2',
          category: 'الأسر',
          monthlyIncome: '3,500',
          birthDate: '12/03/1405 هـ',
          gender: 'ذكر',
        },
      ],
      context(),
    );
    expect(problems).toEqual([]);
    expect(drafts).toEqual([
      {
        row: 2,
        entity: 'beneficiary',
        key: validId(7),
        branchId: b2,
        data: {
          branchId: b2,
          fullName: 'محمد بن عبد الله بن سعد آل سعود',
          nationalId: validId(7),
          mobile: '+966501234567',
          name: { first: 'محمد', father: 'عبد الله', grandfather: 'سعد', family: 'آل سعود' },
          category: 'family',
          monthlyIncome: 3500,
          // 12 Rabi al-Awwal 1405 AH (Umm al-Qura).
          birthDate: '1984-12-04',
          gender: 'male',
        },
      },
    ]);
  });

  it('is refused with a stable code for each fault, on its own row number', () => {
    expect(
      codes([
        person(2, 1),
        person(3, 2, { nationalId: badChecksum(validId(2)) }),
        person(4, 3, { mobile: '0123' }),
        person(5, 4, { fullName: '   ' }),
        person(6, 5, { branchCode: 'b9' }),
        person(7, 6, { branchCode: 'old' }),
        person(8, 7, { category: 'not-a-category' }),
        person(9, 8, { monthlyIncome: 'كثير' }),
        person(10, 9, { birthDate: '31/02/1990' }),
        person(11, 10, { gender: 'x' }),
      ]),
    ).toEqual([
      '3 nationalId import_bad_national_id',
      '4 mobile import_bad_mobile',
      '5 fullName import_missing_name',
      '6 branchCode import_unknown_branch',
      '7 branchCode import_branch_closed',
      '8 category import_unknown_category',
      '9 monthlyIncome import_bad_income',
      '10 birthDate import_bad_date',
      '11 gender import_bad_gender',
    ]);
  });

  it('needs a branch: its own, or the default chosen for the file', () => {
    expect(codes([person(2, 1)], context({}, null))).toEqual(['2 branchCode import_missing_branch']);
    expect(checkImportRows([person(2, 1)], context({}, b2)).drafts[0]?.data).toMatchObject({ branchId: b2 });
  });

  it('says every fault of a row at once', () => {
    expect(codes([person(2, 1, { nationalId: '123', mobile: '', category: '?' })])).toEqual([
      '2 nationalId import_bad_national_id',
      '2 mobile import_bad_mobile',
      '2 category import_unknown_category',
    ]);
  });

  it('refuses a national ID seen on an earlier row, naming that row; the first stays', () => {
    const { problems, drafts } = checkImportRows(
      [person(2, 1), person(3, 2), person(4, 1, { fullName: 'اسم آخر للشخص نفسه' })],
      context(),
    );
    expect(problems).toEqual([
      {
        row: 4,
        field: 'nationalId',
        code: 'import_duplicate_in_file',
        message: 'The same person is on row 2.',
        otherRow: 2,
      },
    ]);
    expect(drafts.map((d) => d.row)).toEqual([2, 3]);
  });

  it('never overwrites a person the association holds', () => {
    const held: ExistingPerson = { entity: 'household_member', recordId: b1, branchId: b1 };
    expect(codes([person(2, 1), person(3, 2)], context({ [validId(2)]: held }))).toEqual([
      '3 nationalId import_exists',
    ]);
  });
});

describe('household members', () => {
  const member = (row: number, head: number, extra: Partial<MappedRow> = {}): MappedRow => ({
    row,
    headNationalId: validId(head),
    fullName: 'سارة محمد عبد الله العتيبي',
    birthDate: '2010-05-01',
    relation: 'ابنة',
    ...extra,
  });

  it('go under their head in the file, wherever its row is', () => {
    const { problems, drafts } = checkImportRows([member(2, 1), person(3, 1)], context());
    expect(problems).toEqual([]);
    expect(drafts).toEqual([
      expect.objectContaining({ row: 3, entity: 'beneficiary' }),
      {
        row: 2,
        entity: 'household_member',
        // Folded as the search folds names: the same name however its ta marbuta is written.
        key: `${validId(1)}/ساره محمد عبد الله العتيبي/2010-05-01`,
        head: { row: 3, key: validId(1) },
        data: {
          name: { first: 'سارة', father: 'محمد', grandfather: 'عبد الله', family: 'العتيبي' },
          relation: 'daughter',
          birthDate: '2010-05-01',
          collectedViaHead: true,
        },
      },
    ]);
  });

  it('go under a beneficiary the association holds', () => {
    const head: ExistingPerson = { entity: 'beneficiary', recordId: closed, branchId: b2 };
    const { drafts } = checkImportRows(
      [member(2, 1, { nationalId: validId(50) })],
      context({ [validId(1)]: head }),
    );
    expect(drafts[0]).toMatchObject({ head: { recordId: closed, branchId: b2 }, key: validId(50) });
  });

  it('are refused with their head, or without one, or without the four-part name', () => {
    expect(
      codes([
        person(2, 1, { mobile: 'x' }),
        member(3, 1),
        member(4, 9),
        member(5, 1, { fullName: 'سارة العتيبي' }),
        member(6, 1, { birthDate: '' }),
        member(7, 1, { relation: 'جار', fullName: 'هند محمد عبد الله العتيبي' }),
        member(8, 1, { headNationalId: badChecksum(validId(1)) }),
      ]),
    ).toEqual([
      '2 mobile import_bad_mobile',
      '3 headNationalId import_head_refused',
      '4 headNationalId import_unknown_head',
      '5 fullName import_bad_name',
      '6 birthDate import_bad_date',
      '7 relation import_bad_relation',
      '8 headNationalId import_bad_national_id',
    ]);
  });

  it('are one person each: the same member twice is a duplicate, with or without an ID', () => {
    expect(
      codes([
        person(2, 1),
        member(3, 1),
        member(4, 1),
        member(5, 1, { nationalId: validId(60) }),
        member(6, 1, { nationalId: validId(60), fullName: 'هند محمد عبد الله العتيبي' }),
      ]),
    ).toEqual(['4 fullName import_duplicate_in_file', '6 nationalId import_duplicate_in_file']);
  });

  it('a row whose head is itself is the head', () => {
    expect(checkImportRows([person(2, 1, { headNationalId: validId(1) })], context()).drafts[0]?.entity).toBe(
      'beneficiary',
    );
  });
});

describe('refusals found later', () => {
  it('drop the row and the household members under it', () => {
    const check = checkImportRows(
      [
        person(2, 1),
        person(3, 2),
        {
          row: 4,
          headNationalId: validId(1),
          fullName: 'سارة محمد عبد الله العتيبي',
          birthDate: '2010-05-01',
        },
      ],
      context(),
    );
    const after = refuseDrafts(check, [
      { row: 2, field: 'nationalId', code: 'import_removed', message: 'removed' },
    ]);
    expect(after.drafts.map((d) => d.row)).toEqual([3]);
    expect(after.problems.map((p) => `${String(p.row)} ${p.code} ${String(p.otherRow ?? '')}`)).toEqual([
      '2 import_removed ',
      '4 import_head_refused 2',
    ]);
  });
});

describe('record ids', () => {
  const idOf = (aid: string, key: string) =>
    uuidFromDigest(
      createHash('sha256')
        .update(importRecordName(aid, 'beneficiary', key))
        .digest(),
    );

  it('are UUIDs (version 8, RFC 9562 variant), the same for the same person of the same association', () => {
    const id = idOf(b1, validId(1));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idOf(b1, validId(1))).toBe(id);
    expect(idOf(b2, validId(1))).not.toBe(id);
    expect(idOf(b1, validId(2))).not.toBe(id);
  });
});

describe('the plan the server runs', () => {
  const idOf = (entity: 'beneficiary' | 'household_member', key: string) =>
    uuidFromDigest(
      createHash('sha256')
        .update(importRecordName(b1, entity, key))
        .digest(),
    );
  const rows: MappedRow[] = [
    person(2, 1),
    { row: 3, headNationalId: validId(1), fullName: 'سارة محمد عبد الله العتيبي', birthDate: '2010-05-01' },
    person(4, 2),
  ];

  it('names each record by its person, and a member by its head', () => {
    const plan = planImport(rows, context(), kadi, idOf);
    expect(plan.problems).toEqual([]);
    expect(plan.records.map((r) => [r.row, r.entity, r.recordId, r.branchId])).toEqual([
      [2, 'beneficiary', idOf('beneficiary', validId(1)), b1],
      [4, 'beneficiary', idOf('beneficiary', validId(2)), b1],
      [
        3,
        'household_member',
        idOf('household_member', `${validId(1)}/ساره محمد عبد الله العتيبي/2010-05-01`),
        b1,
      ],
    ]);
    expect(plan.records[2]?.data).toMatchObject({
      beneficiaryId: idOf('beneficiary', validId(1)),
      relation: 'other',
    });
  });

  it('refuses ids the table holds, live or removed, with their members', () => {
    const taken = new Map([
      [idOf('beneficiary', validId(1)), 'removed' as const],
      [idOf('beneficiary', validId(2)), 'live' as const],
    ]);
    const plan = planImport(rows, context(), kadi, idOf, taken);
    expect(plan.records).toEqual([]);
    expect(plan.problems.map((p) => `${String(p.row)} ${p.code}`)).toEqual([
      '2 import_removed',
      '3 import_head_refused',
      '4 import_exists',
    ]);
  });

  it("checks each record with the entity's schema and the profile, as a push is", () => {
    // Categories the rows are matched against that the profile does not hold: only validateEntity can tell.
    const stale = { ...context(), categories: [{ id: 'orphans', label: { ar: 'أيتام', en: 'Orphans' } }] };
    const plan = planImport([person(2, 1, { category: 'أيتام' }), person(3, 2)], stale, kadi, idOf);
    expect(plan.problems).toEqual([
      {
        row: 2,
        field: 'category',
        code: 'import_invalid',
        message: 'The record is not valid: category category_not_in_profile.',
      },
    ]);
    expect(plan.records.map((r) => r.row)).toEqual([3]);
  });
});

describe('cells as spreadsheets hold them', () => {
  it('dates: ISO, day first, Hijri', () => {
    expect(importDate('1990-01-31')).toBe('1990-01-31');
    expect(importDate('31/01/1990')).toBe('1990-01-31');
    expect(importDate('٣١/٠١/١٩٩٠')).toBe('1990-01-31');
    expect(importDate('1410-07-04')).toBe('1990-01-30');
    expect(importDate('1990-02-30')).toBeNull();
    expect(importDate('yesterday')).toBeNull();
  });

  it('amounts and names', () => {
    expect(importAmount('12,500.50 ريال')).toBe(12500.5);
    expect(importAmount('-5')).toBeNull();
    expect(fourPartName('فاطمة بنت علي بن حسن الزهراني')).toEqual({
      first: 'فاطمة',
      father: 'علي',
      grandfather: 'حسن',
      family: 'الزهراني',
    });
    expect(fourPartName('فاطمة الزهراني')).toBeNull();
  });
});
