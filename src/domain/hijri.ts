// Hijri (Umm al-Qura) dates for display, by the table-based converter: `Intl`'s islamic-umalqura is exact
// only for 1420–1450 AH, and beneficiaries' birth dates are often older. Digits as the user prefers.
import { gregorianToHijri, hijriToGregorian } from '@tabby_ai/hijri-converter';
import { toArabicIndicDigits } from './digits';
import type { IsoDate } from './working-days';

const monthsAr = [
  'محرم',
  'صفر',
  'ربيع الأول',
  'ربيع الآخر',
  'جمادى الأولى',
  'جمادى الآخرة',
  'رجب',
  'شعبان',
  'رمضان',
  'شوال',
  'ذو القعدة',
  'ذو الحجة',
] as const;
const monthsEn = [
  'Muharram',
  'Safar',
  'Rabi al-Awwal',
  'Rabi al-Akhir',
  'Jumada al-Ula',
  'Jumada al-Akhirah',
  'Rajab',
  "Sha'ban",
  'Ramadan',
  'Shawwal',
  "Dhu al-Qa'dah",
  'Dhu al-Hijjah',
] as const;

export interface HijriDate {
  year: number;
  month: number;
  day: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The Umm al-Qura date of a Gregorian date (1343–1500 AH, 1924–2077 CE); throws outside that range. */
export function toHijri(date: IsoDate): HijriDate {
  const [y, m, d] = date.split('-').map(Number);
  return gregorianToHijri({ year: y ?? 0, month: m ?? 0, day: d ?? 0 });
}

export function fromHijri(h: HijriDate): IsoDate {
  const g = hijriToGregorian(h);
  return `${g.year}-${pad(g.month)}-${pad(g.day)}`;
}

export interface DateFormatOptions {
  lang: 'ar' | 'en';
  digits: 'latn' | 'arab';
}

/**
 * e.g. "1 شوال 1446 هـ" or "١ شوال ١٤٤٦ هـ" or "1 Shawwal 1446 AH"; '' for a date outside the Umm al-Qura
 * table (1924–2077), which a screen then shows in Gregorian alone rather than failing.
 */
export function formatHijri(date: IsoDate, options: DateFormatOptions): string {
  let h: HijriDate;
  try {
    h = toHijri(date);
  } catch {
    return '';
  }
  const text =
    options.lang === 'ar'
      ? `${h.day} ${monthsAr[h.month - 1] ?? ''} ${h.year} هـ`
      : `${h.day} ${monthsEn[h.month - 1] ?? ''} ${h.year} AH`;
  return options.digits === 'arab' ? toArabicIndicDigits(text) : text;
}

/** The Gregorian date in words, with calendar and numbering system named explicitly. */
export function formatGregorian(date: IsoDate, options: DateFormatOptions): string {
  const locale = `${options.lang === 'ar' ? 'ar-SA' : 'en-GB'}-u-ca-gregory-nu-${options.digits}`;
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}
