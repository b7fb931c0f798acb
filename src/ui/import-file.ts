// From an association's spreadsheet to the rows of an import (issue 19): a CSV file read by papaparse or an
// XLSX file by read-excel-file, as a header and rows of text; its columns matched to the import's fields by
// their names in Arabic or English; and the rows mapped. Used by the import screen and by the tests, which
// run the same code on the same files.
import Papa from 'papaparse';
import { foldArabic } from '../domain/arabic-search';
import { importFields, type ImportField, type MappedRow } from '../domain/import-rows';

/** A file as read: its header row and its other rows, each with its row number in the file (1-based). */
export interface ParsedFile {
  header: string[];
  rows: { row: number; cells: string[] }[];
}

/** Which column (by index in the header) holds each field; a field with no column is left out. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

/** A cell as text, trimmed; the app's own CSV export guard against formulas ('=…, '+…) taken off again. */
function cellText(value: string): string {
  const trimmed = value.trim();
  return /^'[=+\-@]/.test(trimmed) ? trimmed.slice(1) : trimmed;
}

/** The header (the first row with any text) and the rows after it that hold any text. */
function fromGrid(grid: readonly (readonly string[])[]): ParsedFile {
  const cells = grid.map((r) => r.map(cellText));
  const headerIndex = cells.findIndex((r) => r.some((c) => c !== ''));
  if (headerIndex < 0) return { header: [], rows: [] };
  const header = cells[headerIndex] ?? [];
  const rows = cells
    .map((r, i) => ({ row: i + 1, cells: r }))
    .slice(headerIndex + 1)
    .filter((r) => r.cells.some((c) => c !== ''));
  return { header, rows };
}

/** Reads CSV text (any delimiter papaparse detects: comma, semicolon, tab). */
export function parseCsv(text: string): ParsedFile {
  const csv = text.replace(/^\uFEFF/, '');
  // papaparse guesses the delimiter only from lines that agree, so blank lines must not take part in the guess;
  // they are kept in the parse itself, so that each record's index is its row number in the file.
  const { delimiter } = Papa.parse<string[]>(csv, { preview: 50, skipEmptyLines: 'greedy' }).meta;
  return fromGrid(Papa.parse<string[]>(csv, { delimiter, skipEmptyLines: false }).data);
}

/** CSV bytes as text: UTF-8, or Windows-1256, the Arabic code page older spreadsheets save CSV in. */
export function decodeCsv(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1256').decode(bytes);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell of the sheet as text: dates as YYYY-MM-DD, numbers as their digits (never 1.2E+9). */
function xlsxCell(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date)
    return `${String(value.getUTCFullYear())}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  return '';
}

/** Reads the first sheet of an XLSX file. */
export async function parseXlsx(file: Blob | ArrayBuffer): Promise<ParsedFile> {
  const [{ unzipSync, zipSync }, { readSheet }] = await Promise.all([
    import('fflate'),
    import('read-excel-file/universal'),
  ]);
  const bytes = new Uint8Array(file instanceof ArrayBuffer ? file : await file.arrayBuffer());
  // Packed again without compression: read-excel-file inflates a large sheet in a worker made from a blob:
  // URL, which the app's Content-Security-Policy (worker-src 'self') forbids; stored entries need no worker.
  const stored = zipSync(unzipSync(bytes), { level: 0 });
  // Numbers are kept as the text the sheet holds: a national ID or a mobile must not become a float.
  const data = await readSheet(stored.buffer, { parseNumber: (s: string) => s });
  return fromGrid(data.map((r) => r.map(xlsxCell)));
}

/** The SHA-256 of a file's bytes, in hex: the same file imported twice creates nothing new. */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reads a CSV or XLSX file (by its name, or its type), and the SHA-256 of its bytes. */
export async function readImportFile(file: File): Promise<{ parsed: ParsedFile; sha256: string }> {
  const bytes = await file.arrayBuffer();
  const xlsx =
    /\.xlsx$/i.test(file.name) ||
    file.type === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const [parsed, sha256] = await Promise.all([
    xlsx ? parseXlsx(bytes) : parseCsv(decodeCsv(bytes)),
    sha256Hex(bytes),
  ]);
  return { parsed, sha256 };
}

/** Column names each field goes by in the associations' spreadsheets, in Arabic and English. */
const headerNames: Record<ImportField, readonly string[]> = {
  nationalId: [
    'رقم الهوية',
    'الهوية',
    'رقم الهوية الوطنية',
    'الهوية الوطنية',
    'السجل المدني',
    'رقم السجل المدني',
    'رقم الإقامة',
    'الهوية / الإقامة',
    'national id',
    'nationalid',
    'id number',
    'iqama',
  ],
  fullName: ['الاسم', 'الاسم الكامل', 'الاسم الرباعي', 'اسم المستفيد', 'name', 'full name', 'fullname'],
  mobile: ['الجوال', 'رقم الجوال', 'جوال', 'الهاتف', 'رقم الهاتف', 'mobile', 'mobile number', 'phone'],
  branchCode: ['الفرع', 'رمز الفرع', 'branch', 'branch code'],
  category: ['الفئة', 'فئة المستفيد', 'التصنيف', 'category'],
  monthlyIncome: ['الدخل', 'الدخل الشهري', 'دخل الأسرة', 'monthly income', 'income'],
  birthDate: ['تاريخ الميلاد', 'الميلاد', 'birth date', 'date of birth', 'birthdate', 'dob'],
  gender: ['الجنس', 'gender', 'sex'],
  headNationalId: [
    'هوية رب الأسرة',
    'رقم هوية رب الأسرة',
    'هوية العائل',
    'رقم هوية العائل',
    'head national id',
    'head of household id',
    'head id',
  ],
  relation: ['صلة القرابة', 'القرابة', 'العلاقة برب الأسرة', 'relation', 'relationship'],
};

const folded = (name: string) => foldArabic(name.replace(/[_\-:]+/g, ' '));
const fieldByName = new Map(
  importFields.flatMap((field) => headerNames[field].map((name) => [folded(name), field] as const)),
);

/** Each field's column, found by the header's names; the first column of each name wins. */
export function autoMap(header: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  header.forEach((name, index) => {
    const field = fieldByName.get(folded(name));
    if (field !== undefined && mapping[field] === undefined) mapping[field] = index;
  });
  return mapping;
}

/** The file's rows as the import's rows: the text of each mapped, non-empty cell. */
export function mapRows(file: ParsedFile, mapping: ColumnMapping): MappedRow[] {
  const columns = importFields.flatMap((field) => {
    const index = mapping[field];
    return index === undefined ? [] : [[field, index] as const];
  });
  return file.rows.map(({ row, cells }) => {
    const mapped: MappedRow = { row };
    for (const [field, index] of columns) {
      const value = cells[index] ?? '';
      // The API takes cells of up to 500 characters: a longer one is no ID, mobile or name anyway.
      if (value !== '') mapped[field] = value.slice(0, 500);
    }
    return mapped;
  });
}
