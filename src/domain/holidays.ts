// Official holidays of the private and non-profit sector: Eid al-Fitr (4 days from 1 Shawwal), Eid al-Adha
// (4 days from the Day of Arafat, 9 Dhu al-Hijjah), Founding Day (22 February) and National Day
// (23 September). Eid dates follow the Umm al-Qura calendar here; the actual dates depend on the moon
// sighting, so each association's table is data its administrator can edit.
import { hijriToGregorian } from '@tabby_ai/hijri-converter';
import type { IsoDate } from './working-days';
import { addCalendarDays } from './working-days';

export type HolidayKind = 'eid_al_fitr' | 'eid_al_adha' | 'founding_day' | 'national_day' | 'other';

export interface Holiday {
  date: IsoDate;
  kind: HolidayKind;
  nameAr: string;
  nameEn: string;
}

const names: Record<Exclude<HolidayKind, 'other'>, { ar: string; en: string }> = {
  eid_al_fitr: { ar: 'عيد الفطر', en: 'Eid al-Fitr' },
  eid_al_adha: { ar: 'عيد الأضحى', en: 'Eid al-Adha' },
  founding_day: { ar: 'يوم التأسيس', en: 'Founding Day' },
  national_day: { ar: 'اليوم الوطني', en: 'National Day' },
};

const pad = (n: number) => String(n).padStart(2, '0');

function hijriDate(year: number, month: number, day: number): IsoDate {
  const g = hijriToGregorian({ year, month, day });
  return `${g.year}-${pad(g.month)}-${pad(g.day)}`;
}

function run(kind: Exclude<HolidayKind, 'other'>, first: IsoDate, days: number): Holiday[] {
  return Array.from({ length: days }, (_, i) => ({
    date: addCalendarDays(first, i),
    kind,
    nameAr: names[kind].ar,
    nameEn: names[kind].en,
  }));
}

/** The default holiday table for the Gregorian years `from`..`to`, sorted by date. */
export function defaultSaudiHolidays(from: number, to: number): Holiday[] {
  const all: Holiday[] = [];
  // Hijri years are 11 days shorter: cover every one that overlaps the Gregorian range.
  const firstHijri = Math.floor((from - 622) * (33 / 32)) - 1;
  const lastHijri = Math.ceil((to - 622) * (33 / 32)) + 1;
  for (let h = firstHijri; h <= lastHijri; h++) {
    all.push(...run('eid_al_fitr', hijriDate(h, 10, 1), 4));
    all.push(...run('eid_al_adha', hijriDate(h, 12, 9), 4));
  }
  for (let y = from; y <= to; y++) {
    all.push(...run('founding_day', `${y}-02-22`, 1));
    all.push(...run('national_day', `${y}-09-23`, 1));
  }
  return all
    .filter((h) => Number(h.date.slice(0, 4)) >= from && Number(h.date.slice(0, 4)) <= to)
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** The table shipped with the app, 2025–2030 (Gregorian). */
export const DEFAULT_HOLIDAYS: readonly Holiday[] = defaultSaudiHolidays(2025, 2030);

/**
 * The holidays deadlines count around on a given day, the same on the device and the server: the official
 * ones of the year before to two years after, and the dates the association's administrator added (its
 * holiday records), in order, once each.
 */
export function holidayTable(today: IsoDate, added: readonly IsoDate[] = []): IsoDate[] {
  const year = Number(today.slice(0, 4));
  const dates = new Set([...defaultSaudiHolidays(year - 1, year + 2).map((h) => h.date), ...added]);
  return [...dates].sort();
}
