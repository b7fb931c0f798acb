// The dashboard's CSV export: quoting, Arabic, and formulas kept as text.
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/ui/csv';

describe('toCsv', () => {
  it('quotes what needs quoting, keeps Arabic, marks UTF-8 for spreadsheets', () => {
    const csv = toCsv(
      ['الفرع', 'note'],
      [
        ['الفرع الأول', 'a, "b"'],
        ['line\nbreak', 3.5],
        [null, 0],
      ],
    );
    expect(csv).toBe('\uFEFFالفرع,note\r\nالفرع الأول,"a, ""b"""\r\n"line\nbreak",3.5\r\n,0\r\n');
  });

  it('keeps a text that looks like a formula as text; numbers stay numbers', () => {
    expect(toCsv(['x'], [['=HYPERLINK("http://x")'], ['-1'], [-1]])).toBe(
      '\uFEFFx\r\n"\'=HYPERLINK(""http://x"")"\r\n\'-1\r\n-1\r\n',
    );
  });
});
