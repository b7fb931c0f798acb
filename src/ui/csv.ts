// A table as a CSV file a spreadsheet opens correctly: RFC 4180 quoting, CRLF line ends, and a byte-order
// mark so that Excel reads the Arabic as UTF-8.
import { saveFile } from './save-file';

export type Cell = string | number | null;

function quoted(cell: Cell): string {
  if (cell === null) return '';
  const text = String(cell);
  // A cell that a spreadsheet would run as a formula is kept as text (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) && typeof cell === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(quoted).join(',')).join('\r\n')}\r\n`;
}

/** Offers the table as a file download named `name`.csv. */
export function downloadCsv(
  name: string,
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
): void {
  saveFile(new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }), `${name}.csv`);
}
