// The one way the app writes dates and times: in Asia/Riyadh, Gregorian in words ("6 ديسمبر 2026"),
// with the Umm al-Qura date beside it where the policy counts days (deadlines, the receipt), and in the
// digits the user chose for Arabic (English always in Western digits).
import { formatGregorian, formatHijri } from '../domain/hijri';
import type { Digits, Lang } from '../state/preferences';
import { useDigits, useLang } from './context';

export interface DateStyle {
  lang: Lang;
  digits: Digits;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date (YYYY-MM-DD); with its Hijri date after a dot when asked. '' for what is not a date. */
export function formatDay(date: string, style: DateStyle, withHijri = false): string {
  // A date that is no day of the calendar (30 February) is not rolled over into the next month.
  if (!ISO_DATE.test(date) || Number.isNaN(Date.parse(date))) return '';
  if (new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) return '';
  const gregorian = formatGregorian(date, style);
  if (!withHijri) return gregorian;
  const hijri = formatHijri(date, style);
  return hijri === '' ? gregorian : `${gregorian} · ${hijri}`;
}

const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant as its date and time in Riyadh; a bare date as formatDay; '' for what is neither. */
export function formatInstant(at: string, style: DateStyle): string {
  if (ISO_DATE.test(at)) return formatDay(at, style);
  if (Number.isNaN(Date.parse(at))) return '';
  const locale = `${style.lang === 'ar' ? 'ar-SA' : 'en-GB'}-u-ca-gregory-nu-${style.digits}`;
  let format = instantFormats.get(locale);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone: 'Asia/Riyadh',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    instantFormats.set(locale, format);
  }
  return format.format(new Date(at));
}

/** The locale numbers are written in: Arabic in the digits the user chose, English in Western digits. */
export const numberLocale = ({ lang, digits }: DateStyle, english = 'en'): string =>
  lang === 'ar' ? `ar-SA-u-nu-${digits}` : english;

/** A figure (a count, a mean) in the screen's digits: grouped, with at most two decimals. */
export function formatNumber(value: number, style: DateStyle): string {
  return new Intl.NumberFormat(numberLocale(style), { maximumFractionDigits: 2 }).format(value);
}

/** The digits of the screen's language: the user's choice in Arabic, Western in English. */
export function useDateStyle(): DateStyle {
  return { lang: useLang(), digits: useDigits() };
}

/** The formatters bound to the screen's language and digits. */
export function useDates() {
  const style = useDateStyle();
  return {
    day: (date: string, withHijri = false) => formatDay(date, style, withHijri),
    instant: (at: string) => formatInstant(at, style),
    number: (value: number) => formatNumber(value, style),
  };
}
