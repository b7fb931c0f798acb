// Reading an association's spreadsheet for the import (issue 19): CSV as Excel and the app itself save it,
// XLSX with numbers and dates, row numbers as the user sees them, and columns matched by their headers.
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/ui/csv';
import { autoMap, decodeCsv, mapRows, parseCsv, parseXlsx, sha256Hex } from '../../src/ui/import-file';
import { xlsxOf } from '../xlsx-writer';

describe('CSV', () => {
  it('numbers rows as in the file, skipping blank ones, a quoted line break staying in its cell', () => {
    const parsed = parseCsv(
      '\uFEFF\r\nالهوية;الاسم\r\n1000000008;"نورة\nسعد"\r\n\r\n;\r\n1000000016;هند\r\n',
    );
    expect(parsed).toEqual({
      header: ['الهوية', 'الاسم'],
      rows: [
        { row: 3, cells: ['1000000008', 'نورة\nسعد'] },
        { row: 6, cells: ['1000000016', 'هند'] },
      ],
    });
  });

  it("reads the app's own export back, its guard against formulas taken off", () => {
    const parsed = parseCsv(toCsv(['الجوال', 'ملاحظة'], [['+966501234567', '=1+1']]));
    expect(parsed.rows[0]?.cells).toEqual(['+966501234567', '=1+1']);
  });

  it('decodes Windows-1256, the Arabic code page older spreadsheets save CSV in', () => {
    const decoder = new TextDecoder('windows-1256');
    const byChar = new Map<string, number>();
    for (let b = 0; b < 256; b++) byChar.set(decoder.decode(new Uint8Array([b])), b);
    const text = 'رقم الهوية,الاسم\r\n1000000008,فاطمة';
    const bytes = new Uint8Array(Array.from(text, (c) => byChar.get(c) ?? 0x3f));
    expect(decodeCsv(bytes.buffer)).toBe(text);
    expect(decodeCsv(new TextEncoder().encode(text).buffer)).toBe(text);
  });
});

describe('XLSX', () => {
  it('keeps numbers as their digits and dates as YYYY-MM-DD, and numbers rows as the sheet does', async () => {
    const workbook = xlsxOf([
      ['National ID', 'Full name', 'Date of birth', 'Income'],
      [1234567890, 'Noura', new Date(Date.UTC(1990, 0, 31)), 12500.5],
      [null, null, null, null],
      ['2000000008', 'Hind', '31/01/1990', null],
    ]);
    expect(await parseXlsx(workbook.buffer)).toEqual({
      header: ['National ID', 'Full name', 'Date of birth', 'Income'],
      rows: [
        { row: 2, cells: ['1234567890', 'Noura', '1990-01-31', '12500.5'] },
        { row: 4, cells: ['2000000008', 'Hind', '31/01/1990', ''] },
      ],
    });
  });

  it('refuses what is not a workbook', async () => {
    await expect(parseXlsx(new TextEncoder().encode('not a zip').buffer)).rejects.toThrow();
  });
});

describe('columns', () => {
  it('are matched by their names in Arabic or English, however alef and ta marbuta are written', () => {
    expect(
      autoMap([
        'ملاحظات',
        'رقم الهويه',
        'Full_Name',
        'رقم الجوال',
        'هوية رب الأسرة',
        'صلة القرابة',
        'الجوال',
      ]),
    ).toEqual({ nationalId: 1, fullName: 2, mobile: 3, headNationalId: 4, relation: 5 });
  });

  it('map each row to the text of its mapped, non-empty cells', () => {
    const file = { header: ['a', 'b', 'c'], rows: [{ row: 2, cells: ['1000000008', '', 'x'] }] };
    expect(mapRows(file, { nationalId: 0, fullName: 1 })).toEqual([{ row: 2, nationalId: '1000000008' }]);
  });
});

it('hashes the bytes with SHA-256', async () => {
  expect(await sha256Hex(new TextEncoder().encode('abc').buffer)).toBe(
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});
