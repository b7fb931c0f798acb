// Saudi working days, the holiday table, Hijri display and the reply deadlines (C-PROC-5, K-PROC-f).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDeadline, deadlineStatus } from '../../src/domain/deadline';
import { formatGregorian, formatHijri, fromHijri, toHijri } from '../../src/domain/hijri';
import { DEFAULT_HOLIDAYS, defaultSaudiHolidays } from '../../src/domain/holidays';
import {
  addWorkingDays,
  fromDayNumber,
  isWeekend,
  riyadhDate,
  toDayNumber,
  weekday,
  workingDaysBetween,
} from '../../src/domain/working-days';

const holidays = DEFAULT_HOLIDAYS.map((h) => h.date);

describe('working days', () => {
  it('the week runs Sunday to Thursday; Friday and Saturday are the weekend', () => {
    expect(weekday('2026-11-22')).toBe(0); // a Sunday
    expect(isWeekend('2026-11-27')).toBe(true); // Friday
    expect(isWeekend('2026-11-28')).toBe(true); // Saturday
    expect(isWeekend('2026-11-26')).toBe(false); // Thursday
  });

  it('counts from the day after the start and skips the weekend', () => {
    // Thursday + 1 working day = Sunday.
    expect(addWorkingDays('2026-11-26', 1, [])).toBe('2026-11-29');
    // Sunday + 5 = next Sunday (Mon..Thu = 4, then Sunday).
    expect(addWorkingDays('2026-11-22', 5, [])).toBe('2026-11-29');
    expect(addWorkingDays('2026-11-22', 0, [])).toBe('2026-11-22');
    expect(workingDaysBetween('2026-11-26', '2026-11-29', [])).toBe(1);
    expect(workingDaysBetween('2026-11-29', '2026-11-26', [])).toBe(-1);
  });

  it('K-PROC-f deadline skips Eid: 15 working days from completion just before Eid al-Fitr 2025', () => {
    // Completed Thursday 27 March 2025; Eid al-Fitr (Umm al-Qura) 30 March – 2 April 2025.
    // Working days after: 3 Apr (Thu), then 6–10, 13–17, 20–23 April.
    expect(addWorkingDays('2025-03-27', 15, holidays)).toBe('2025-04-23');
    expect(addWorkingDays('2025-03-27', 15, [])).toBe('2025-04-17');
  });

  it('K-PROC-f deadline across the year end and National Day', () => {
    expect(addWorkingDays('2026-12-24', 15, holidays)).toBe('2027-01-14');
    // 23 September 2026 is a Wednesday and a holiday.
    expect(addWorkingDays('2026-09-22', 1, holidays)).toBe('2026-09-24');
  });

  it('refuses impossible dates and negative counts', () => {
    expect(() => toDayNumber('2026-02-30')).toThrow(RangeError);
    expect(() => toDayNumber('22/11/2026')).toThrow(RangeError);
    expect(() => addWorkingDays('2026-11-22', -1, [])).toThrow(RangeError);
  });

  it('the date in Riyadh follows UTC+3 with the clock passed in', () => {
    expect(riyadhDate(Date.parse('2026-11-22T20:59:59Z'))).toBe('2026-11-22');
    expect(riyadhDate(Date.parse('2026-11-22T21:00:00Z'))).toBe('2026-11-23');
  });

  it('K-PROC-f property: addWorkingDays never lands on a weekend or holiday, and workingDaysBetween inverts it', () => {
    const start = toDayNumber('2025-01-01');
    const end = toDayNumber('2030-06-30');
    const holidaySet = new Set(holidays);
    fc.assert(
      fc.property(fc.integer({ min: start, max: end }), fc.integer({ min: 0, max: 120 }), (day, n) => {
        const from = fromDayNumber(day);
        const due = addWorkingDays(from, n, holidaySet);
        if (n > 0) {
          expect(isWeekend(due)).toBe(false);
          expect(holidaySet.has(due)).toBe(false);
        }
        expect(workingDaysBetween(from, due, holidaySet)).toBe(n);
      }),
      { numRuns: 500 },
    );
  });
});

describe('holiday table', () => {
  it('has Eid al-Fitr (4 days from 1 Shawwal), Eid al-Adha (4 days from Arafat), Founding Day and National Day each year', () => {
    for (let year = 2025; year <= 2030; year++) {
      const of = (kind: string) =>
        DEFAULT_HOLIDAYS.filter((h) => h.kind === kind && h.date.startsWith(String(year)));
      expect(of('eid_al_fitr').length, `${year}`).toBe(4);
      expect(of('eid_al_adha').length, `${year}`).toBe(4);
      expect(of('founding_day').map((h) => h.date)).toEqual([`${year}-02-22`]);
      expect(of('national_day').map((h) => h.date)).toEqual([`${year}-09-23`]);
    }
  });

  it('matches the Umm al-Qura dates of 2025: Eid al-Fitr from 30 March, Arafat on 5 June', () => {
    const y2025 = defaultSaudiHolidays(2025, 2025);
    expect(y2025.filter((h) => h.kind === 'eid_al_fitr').map((h) => h.date)).toEqual([
      '2025-03-30',
      '2025-03-31',
      '2025-04-01',
      '2025-04-02',
    ]);
    expect(y2025.filter((h) => h.kind === 'eid_al_adha').map((h) => h.date)).toEqual([
      '2025-06-05',
      '2025-06-06',
      '2025-06-07',
      '2025-06-08',
    ]);
    // Every Eid run starts on the right Hijri day.
    for (const h of DEFAULT_HOLIDAYS) {
      const hijri = toHijri(h.date);
      if (h.kind === 'eid_al_fitr') expect([10]).toContain(hijri.month);
      if (h.kind === 'eid_al_adha') expect([12]).toContain(hijri.month);
    }
  });
});

describe('Hijri display', () => {
  it('uses the Umm al-Qura table, also for birth dates before 1420 AH', () => {
    expect(toHijri('2025-03-30')).toEqual({ year: 1446, month: 10, day: 1 });
    expect(fromHijri({ year: 1446, month: 12, day: 10 })).toBe('2025-06-06');
    expect(toHijri('1960-07-01')).toEqual({ year: 1380, month: 1, day: 7 });
  });

  it('writes Arabic or English, with Western or Arabic-Indic digits as the user prefers', () => {
    expect(formatHijri('2025-03-30', { lang: 'ar', digits: 'latn' })).toBe('1 شوال 1446 هـ');
    expect(formatHijri('2025-03-30', { lang: 'ar', digits: 'arab' })).toBe('١ شوال ١٤٤٦ هـ');
    // Outside the Umm al-Qura table: nothing, for the screen to show the Gregorian date alone.
    expect(formatHijri('2099-01-01', { lang: 'ar', digits: 'latn' })).toBe('');
    expect(formatHijri('2025-03-30', { lang: 'en', digits: 'latn' })).toBe('1 Shawwal 1446 AH');
    expect(formatGregorian('2025-03-30', { lang: 'ar', digits: 'arab' })).toBe('٣٠ مارس ٢٠٢٥');
    expect(formatGregorian('2025-03-30', { lang: 'en', digits: 'latn' })).toBe('30 March 2025');
  });
});

describe('reply deadlines', () => {
  it('C-PROC-5 "not less than two weeks" from submission is an earliest reply date, never overdue', () => {
    const deadline = computeDeadline(
      { kind: 'notBefore', calendarDays: 14, from: 'submission' },
      '2026-11-22',
      holidays,
    );
    expect(deadline).toEqual({ kind: 'notBefore', date: '2026-12-06' });
    expect(deadlineStatus(deadline, '2026-11-30', holidays)).toEqual({
      kind: 'replyNotBefore',
      date: '2026-12-06',
      reached: false,
    });
    expect(deadlineStatus(deadline, '2027-03-01', holidays)).toEqual({
      kind: 'replyNotBefore',
      date: '2026-12-06',
      reached: true,
    });
  });

  it('K-PROC-f at most 15 working days from completion: on time, due today, overdue in working days', () => {
    const deadline = computeDeadline(
      { kind: 'dueWithin', workingDays: 15, from: 'completion' },
      '2026-11-22',
      holidays,
    );
    expect(deadline).toEqual({ kind: 'dueBy', date: '2026-12-13' });
    expect(deadlineStatus(deadline, '2026-12-10', holidays)).toEqual({
      kind: 'onTime',
      date: '2026-12-13',
      workingDaysLeft: 1,
    });
    expect(deadlineStatus(deadline, '2026-12-13', holidays)).toEqual({
      kind: 'dueToday',
      date: '2026-12-13',
    });
    expect(deadlineStatus(deadline, '2026-12-15', holidays)).toEqual({
      kind: 'overdue',
      date: '2026-12-13',
      workingDaysOverdue: 2,
    });
  });
});
