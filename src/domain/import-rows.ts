// The import of an association's existing caseload (issue 19): the rows of its spreadsheet, once each column
// has been mapped to a field, checked with the same validators a form uses (national ID checksum, Saudi
// mobile), against each other (a national ID once per file) and against what the association holds already.
// Each refused row says why, with a stable code; every other row becomes the draft of a record. Pure: the
// caller passes in the association's branches, categories and the people it holds.
//
// The shape of a row: the text of each mapped cell, empty cells left out, with its row number in the file
// (the spreadsheet's own numbering, header included, so that "row 17" is the row the user sees). A row is a
// household member when it names the national ID of its head of household (`headNationalId`) other than its
// own; the head is a beneficiary row of the same file, or a beneficiary the association holds already.
import { foldArabic } from './arabic-search';
import { normalizeDigits } from './digits';
import { fromHijri } from './hijri';
import { checkNationalId } from './national-id';
import { checkSaudiMobile } from './phone';
import { isIsoDate, type IsoDate } from './working-days';

/** The fields a column of the file can be mapped to, in the order the mapping screen lists them. */
export const importFields = [
  'nationalId',
  'fullName',
  'mobile',
  'branchCode',
  'category',
  'monthlyIncome',
  'birthDate',
  'gender',
  'headNationalId',
  'relation',
] as const;
export type ImportField = (typeof importFields)[number];

/** What every beneficiary row needs (a household member needs its name, head and birth date instead). */
export const requiredImportFields: readonly ImportField[] = ['nationalId', 'fullName', 'mobile'];

/** One row of the file, as mapped: its row number and the text of each mapped, non-empty cell. */
export type MappedRow = { row: number } & { [F in ImportField]?: string | undefined };

/** Why a row is refused. Stable: the app translates them, scripts may branch on them. */
export const ImportCode = {
  badNationalId: 'import_bad_national_id',
  badMobile: 'import_bad_mobile',
  missingName: 'import_missing_name',
  /** A household member's name must have its four parts (given name, father, grandfather, family). */
  badName: 'import_bad_name',
  duplicateInFile: 'import_duplicate_in_file',
  /** The association holds this person already: an import never overwrites. */
  exists: 'import_exists',
  /** The record this row would create was deleted or destroyed (rights request): an import does not revive it. */
  removed: 'import_removed',
  missingBranch: 'import_missing_branch',
  unknownBranch: 'import_unknown_branch',
  branchClosed: 'import_branch_closed',
  unknownCategory: 'import_unknown_category',
  badIncome: 'import_bad_income',
  badDate: 'import_bad_date',
  badGender: 'import_bad_gender',
  badRelation: 'import_bad_relation',
  unknownHead: 'import_unknown_head',
  headRefused: 'import_head_refused',
  /** The record failed the entity's own schema for a reason the checks above do not name. */
  invalid: 'import_invalid',
} as const;
export type ImportCode = (typeof ImportCode)[keyof typeof ImportCode];
export const importCodes = Object.values(ImportCode);

export interface ImportProblem {
  /** The row number in the file (1-based, header included). */
  row: number;
  /** The field at fault; null when it is the row as a whole. */
  field: ImportField | null;
  code: ImportCode;
  /** In English, for logs and scripts; the app shows its own text for the code. */
  message: string;
  /** The other row concerned: the first occurrence of a duplicate, or a refused head of household. */
  otherRow?: number;
}

export interface ImportBranch {
  id: string;
  code: string;
  nameAr: string;
  nameEn: string;
  closed: boolean;
}

export interface ImportCategory {
  id: string;
  label: { ar: string; en: string };
}

/** A person the association holds already, found by national ID. */
export interface ExistingPerson {
  entity: 'beneficiary' | 'household_member';
  recordId: string;
  branchId: string | null;
}

export interface ImportContext {
  branches: readonly ImportBranch[];
  /** The branch of the rows that name none (chosen on the mapping screen); null: each row names its own. */
  defaultBranchId: string | null;
  categories: readonly ImportCategory[];
  /** The association's people by national ID (a beneficiary preferred where both hold it), not deleted. */
  existing: ReadonlyMap<string, ExistingPerson>;
}

export interface FourPartName {
  first: string;
  father: string;
  grandfather: string;
  family: string;
}

export const relations = [
  'spouse',
  'son',
  'daughter',
  'father',
  'mother',
  'brother',
  'sister',
  'other',
] as const;
export type Relation = (typeof relations)[number];

/** A beneficiary record to create (its `branchId` is in `data`, as the record holds it). */
export interface BeneficiaryDraft {
  row: number;
  entity: 'beneficiary';
  /** What names the record: its national ID. */
  key: string;
  branchId: string;
  data: {
    branchId: string;
    fullName: string;
    nationalId: string;
    mobile: string;
    name?: FourPartName;
    category?: string;
    monthlyIncome?: number;
    birthDate?: IsoDate;
    gender?: 'male' | 'female';
  };
}

/** A household member to create; its `beneficiaryId` is the head's record id, set once ids are known. */
export interface MemberDraft {
  row: number;
  entity: 'household_member';
  /** What names the record: its national ID, or its head's with its name and birth date when it has none. */
  key: string;
  /** Its head: a row of this file, or a beneficiary the association holds. */
  head: { row: number; key: string } | { recordId: string; branchId: string | null };
  data: {
    name: FourPartName;
    relation: Relation;
    birthDate: IsoDate;
    nationalId?: string;
    monthlyIncome?: number;
    /** L-CONSENT: the association's files were filled in with the head of household. */
    collectedViaHead: true;
  };
}

export type ImportDraft = BeneficiaryDraft | MemberDraft;

export interface ImportCheck {
  /** Every problem, ordered by row; a refused row has one or more. */
  problems: ImportProblem[];
  /** The records the rows without a problem become, beneficiaries before household members. */
  drafts: ImportDraft[];
}

// ---- Reading cells ----

/** A cell's text, digits made 0-9 and runs of white space one space. */
const text = (value: string | undefined) =>
  normalizeDigits(value ?? '')
    .replace(/\s+/g, ' ')
    .trim();

/** Words joined to the next one in a name: "عبد الله", "أبو بكر", "آل سعود". */
const joinedToNext = new Set(['عبد', 'ابو', 'أبو', 'آل', 'ال']);
/** "son of", "daughter of": written between the parts of a full name, not parts themselves. */
const connectors = new Set(['بن', 'بنت', 'ابن']);

/**
 * The four parts of an Arabic full name (given name, father, grandfather, family), or null when the name
 * does not have exactly four. Compound names ("عبد الله") and "آل" family names stay one part.
 */
export function fourPartName(fullName: string): FourPartName | null {
  const words = text(fullName)
    .split(' ')
    .filter((w) => w !== '');
  const parts: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (i > 0 && connectors.has(word)) continue;
    const next = words[i + 1];
    if (joinedToNext.has(word) && next !== undefined) {
      parts.push(`${word} ${next}`);
      i += 1;
    } else parts.push(word);
  }
  const [first, father, grandfather, family] = parts;
  if (parts.length !== 4 || first === undefined || father === undefined) return null;
  if (grandfather === undefined || family === undefined) return null;
  return { first, father, grandfather, family };
}

/**
 * A date as spreadsheets hold it: YYYY-MM-DD, or DD/MM/YYYY (day first, as written in the Kingdom), in the
 * Gregorian calendar or, for years before 1600, the Umm al-Qura (Hijri) one. Null when it is no date.
 */
export function importDate(value: string): IsoDate | null {
  const cleaned = text(value).replace(/\s*(هـ|ه|م)$/, '');
  const ymd = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(cleaned);
  const dmy = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(cleaned);
  const parts = ymd !== null ? [ymd[1], ymd[2], ymd[3]] : dmy !== null ? [dmy[3], dmy[2], dmy[1]] : null;
  if (parts === null) return null;
  const [year, month, day] = parts.map(Number);
  if (year === undefined || month === undefined || day === undefined) return null;
  if (year < 1600) {
    if (month < 1 || month > 12 || day < 1 || day > 30) return null;
    try {
      return fromHijri({ year, month, day });
    } catch {
      // Outside the converter's table (1343–1500 AH): not a birth date we can place.
      return null;
    }
  }
  const iso = `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/** An amount in riyals: digits with optional thousands separators and decimals; null otherwise. */
export function importAmount(value: string): number | null {
  const cleaned = text(value)
    .replace(/[\u066C,\s]/g, '')
    .replace('\u066B', '.')
    .replace(/(ريال|ر\.س|sar)$/i, '');
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
  const amount = Number(cleaned);
  return amount <= 10_000_000 ? amount : null;
}

const genders = new Map<string, 'male' | 'female'>([
  ...['male', 'm', 'ذكر', 'ذ'].map((w) => [foldArabic(w), 'male'] as const),
  ...['female', 'f', 'انثى', 'أنثى'].map((w) => [foldArabic(w), 'female'] as const),
]);

const relationWords: readonly (readonly [Relation, readonly string[]])[] = [
  ['spouse', ['spouse', 'wife', 'husband', 'زوج', 'زوجة', 'الزوج', 'الزوجة']],
  ['son', ['son', 'ابن', 'الابن']],
  ['daughter', ['daughter', 'ابنة', 'بنت', 'الابنة', 'البنت']],
  ['father', ['father', 'اب', 'أب', 'الأب', 'والد', 'الوالد']],
  ['mother', ['mother', 'ام', 'أم', 'الأم', 'والدة', 'الوالدة']],
  ['brother', ['brother', 'اخ', 'أخ', 'الأخ']],
  ['sister', ['sister', 'اخت', 'أخت', 'الأخت']],
  ['other', ['other', 'أخرى', 'اخرى', 'آخر', 'اخر', 'غير ذلك']],
];
const relationOf = new Map<string, Relation>(
  relationWords.flatMap(([relation, words]) => words.map((w) => [foldArabic(w), relation] as const)),
);

/** A category of the profile named by its id or its label in either language. */
function categoryOf(value: string, categories: readonly ImportCategory[]): string | null {
  const folded = foldArabic(value);
  const found = categories.find(
    (c) => c.id === folded || foldArabic(c.label.ar) === folded || foldArabic(c.label.en) === folded,
  );
  return found?.id ?? null;
}

/** A branch named by its code or its name in either language. */
function branchOf(value: string, branches: readonly ImportBranch[]): ImportBranch | null {
  const folded = foldArabic(value);
  return (
    branches.find(
      (b) => b.code === folded || foldArabic(b.nameAr) === folded || foldArabic(b.nameEn) === folded,
    ) ?? null
  );
}

// ---- Checking rows ----

/** A pending household member: its head is resolved once every row has been read (it may come later). */
interface PendingMember {
  draft: Omit<MemberDraft, 'head'>;
  headId: string;
}

/** Checks every row; see ImportCheck. Deterministic: the same rows and context give the same answer. */
export function checkImportRows(rows: readonly MappedRow[], context: ImportContext): ImportCheck {
  const problems: ImportProblem[] = [];
  const beneficiaries: BeneficiaryDraft[] = [];
  const pending: PendingMember[] = [];
  /** The first row of each national ID (and of each unnumbered member's key), of any kind. */
  const firstRowOf = new Map<string, number>();
  /** The first beneficiary row of each national ID, refused or not: a member's head in this file. */
  const headRows = new Map<string, number>();
  const defaultBranch = context.branches.find((b) => b.id === context.defaultBranchId) ?? null;

  for (const row of rows) {
    const found: ImportProblem[] = [];
    const refuse = (field: ImportField | null, code: ImportCode, message: string, otherRow?: number) => {
      found.push({ row: row.row, field, code, message, ...(otherRow === undefined ? {} : { otherRow }) });
    };
    /** A national ID of this row, checked; undefined when it is refused. */
    const nationalIdIn = (field: 'nationalId' | 'headNationalId'): string | undefined => {
      const checked = checkNationalId(text(row[field]));
      if (checked.ok) return checked.value;
      refuse(field, ImportCode.badNationalId, `The national ID is not valid (${checked.code}).`);
      return undefined;
    };
    const once = (key: string, field: ImportField) => {
      const first = firstRowOf.get(key);
      if (first === undefined) firstRowOf.set(key, row.row);
      else refuse(field, ImportCode.duplicateInFile, `The same person is on row ${String(first)}.`, first);
    };

    const ownText = text(row.nationalId);
    const headText = text(row.headNationalId);
    const ownId = checkNationalId(ownText);
    const headId = checkNationalId(headText);
    const isMember = headText !== '' && !(ownId.ok && headId.ok && ownId.value === headId.value);
    const fullName = text(row.fullName);
    const income = text(row.monthlyIncome);
    const monthlyIncome = income === '' ? undefined : importAmount(income);
    if (monthlyIncome === null)
      refuse('monthlyIncome', ImportCode.badIncome, 'The monthly income is not an amount in riyals.');
    const birth = text(row.birthDate);
    const birthDate = birth === '' ? undefined : importDate(birth);
    if (birthDate === null) refuse('birthDate', ImportCode.badDate, 'The birth date is not a date.');

    if (!isMember) {
      const nationalId = nationalIdIn('nationalId');
      if (nationalId !== undefined) {
        if (!headRows.has(nationalId)) headRows.set(nationalId, row.row);
        once(nationalId, 'nationalId');
        if (context.existing.has(nationalId))
          refuse('nationalId', ImportCode.exists, 'The association holds a record with this national ID.');
      }
      if (fullName === '') refuse('fullName', ImportCode.missingName, 'The name is missing.');
      else if (fullName.length > 240) refuse('fullName', ImportCode.badName, 'The name is too long.');
      const mobile = checkSaudiMobile(text(row.mobile));
      if (!mobile.ok)
        refuse('mobile', ImportCode.badMobile, `The mobile is not a Saudi mobile number (${mobile.code}).`);

      const branchText = text(row.branchCode);
      const branch = branchText === '' ? defaultBranch : branchOf(branchText, context.branches);
      if (branch === null)
        refuse(
          'branchCode',
          branchText === '' ? ImportCode.missingBranch : ImportCode.unknownBranch,
          branchText === '' ? 'No branch: the row names none and no default was chosen.' : 'No such branch.',
        );
      else if (branch.closed) refuse('branchCode', ImportCode.branchClosed, 'That branch is closed.');

      const categoryText = text(row.category);
      const category = categoryText === '' ? undefined : categoryOf(categoryText, context.categories);
      if (category === null)
        refuse('category', ImportCode.unknownCategory, "No such category in the association's policy.");

      const genderText = text(row.gender);
      const gender = genderText === '' ? undefined : genders.get(foldArabic(genderText));
      if (gender === undefined && genderText !== '')
        refuse('gender', ImportCode.badGender, 'The gender is neither male nor female.');

      if (found.length > 0 || nationalId === undefined || branch === null || !mobile.ok) {
        problems.push(...found);
        continue;
      }
      const name = fourPartName(fullName);
      beneficiaries.push({
        row: row.row,
        entity: 'beneficiary',
        key: nationalId,
        branchId: branch.id,
        data: {
          branchId: branch.id,
          fullName,
          nationalId,
          mobile: mobile.e164,
          ...(name === null ? {} : { name }),
          ...(category == null ? {} : { category }),
          ...(monthlyIncome == null ? {} : { monthlyIncome }),
          ...(birthDate == null ? {} : { birthDate }),
          ...(gender === undefined ? {} : { gender }),
        },
      });
      continue;
    }

    // A household member: its own national ID is optional, its head's is required.
    const nationalId = ownText === '' ? undefined : nationalIdIn('nationalId');
    const head = nationalIdIn('headNationalId');
    const name = fourPartName(fullName);
    if (fullName === '') refuse('fullName', ImportCode.missingName, 'The name is missing.');
    else if (name === null)
      refuse('fullName', ImportCode.badName, 'A household member needs the four-part name.');
    if (birth === '') refuse('birthDate', ImportCode.badDate, 'A household member needs a birth date.');
    const relationText = text(row.relation);
    const relation = relationText === '' ? 'other' : relationOf.get(foldArabic(relationText));
    if (relation === undefined)
      refuse('relation', ImportCode.badRelation, 'The relation to the head of household is not known.');
    const key =
      nationalId ?? (head === undefined ? undefined : `${head}/${foldArabic(fullName)}/${birthDate ?? ''}`);
    if (key !== undefined) once(key, nationalId === undefined ? 'fullName' : 'nationalId');
    if (nationalId !== undefined && context.existing.has(nationalId))
      refuse('nationalId', ImportCode.exists, 'The association holds a record with this national ID.');
    if (
      found.length > 0 ||
      head === undefined ||
      key === undefined ||
      name === null ||
      relation === undefined ||
      birthDate == null
    ) {
      problems.push(...found);
      continue;
    }
    pending.push({
      headId: head,
      draft: {
        row: row.row,
        entity: 'household_member',
        key,
        data: {
          name,
          relation,
          birthDate,
          ...(nationalId === undefined ? {} : { nationalId }),
          ...(monthlyIncome == null ? {} : { monthlyIncome }),
          collectedViaHead: true,
        },
      },
    });
  }

  // Heads: an accepted row of this file first, then a beneficiary the association holds.
  const acceptedHeads = new Map(beneficiaries.map((b) => [b.key, b]));
  const members: MemberDraft[] = [];
  for (const { headId, draft } of pending) {
    const inFile = acceptedHeads.get(headId);
    const held = context.existing.get(headId);
    const headRow = headRows.get(headId);
    if (inFile !== undefined) members.push({ ...draft, head: { row: inFile.row, key: inFile.key } });
    else if (held?.entity === 'beneficiary')
      members.push({ ...draft, head: { recordId: held.recordId, branchId: held.branchId } });
    else if (headRow !== undefined)
      problems.push({
        row: draft.row,
        field: 'headNationalId',
        code: ImportCode.headRefused,
        message: `The head of household's row (${String(headRow)}) is refused.`,
        otherRow: headRow,
      });
    else
      problems.push({
        row: draft.row,
        field: 'headNationalId',
        code: ImportCode.unknownHead,
        message: 'No beneficiary with this national ID, in this file or in the association.',
      });
  }
  return { problems: byRow(problems), drafts: [...beneficiaries, ...members] };
}

const fieldOrder = new Map<ImportField | null, number>(importFields.map((f, i) => [f, i]));
/** Problems in row order, then in the order of the fields on the mapping screen. */
function byRow(problems: ImportProblem[]): ImportProblem[] {
  return problems.sort(
    (a, b) => a.row - b.row || (fieldOrder.get(a.field) ?? -1) - (fieldOrder.get(b.field) ?? -1),
  );
}

/**
 * The check with more rows refused (found later, e.g. by the entity schema or the server's records): their
 * drafts are dropped, and so are the household members whose head was one of them.
 */
export function refuseDrafts(check: ImportCheck, refusals: readonly ImportProblem[]): ImportCheck {
  if (refusals.length === 0) return check;
  const refusedRows = new Set(refusals.map((p) => p.row));
  const problems = [...check.problems, ...refusals];
  const drafts = check.drafts.filter((d) => {
    if (refusedRows.has(d.row)) return false;
    if (d.entity === 'household_member' && 'row' in d.head && refusedRows.has(d.head.row)) {
      problems.push({
        row: d.row,
        field: 'headNationalId',
        code: ImportCode.headRefused,
        message: `The head of household's row (${String(d.head.row)}) is refused.`,
        otherRow: d.head.row,
      });
      return false;
    }
    return true;
  });
  return { problems: byRow(problems), drafts };
}

// ---- Record ids ----

/**
 * The text a record id is derived from: importing the same person twice names the same record, within one
 * association only. Hash it with SHA-256 and pass the digest to `uuidFromDigest`.
 */
export function importRecordName(associationId: string, entity: ImportDraft['entity'], key: string): string {
  return `wasel:import:v1:${associationId}:${entity}:${key}`;
}

/** A UUID from the first 16 bytes of a SHA-256 digest: version 8 (RFC 9562's name-based SHA-256 layout). */
export function uuidFromDigest(digest: Uint8Array): string {
  if (digest.length < 16) throw new RangeError('a SHA-256 digest has 32 bytes');
  const bytes = Array.from(digest.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
