// Reading fields of synced records (typed `unknown`) for display.

/** The value if it is a string, else an empty string. */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** An instant as a date and time in Riyadh, in the screen's language with Western digits; a date as is. */
export function riyadhTime(at: string, lang: 'ar' | 'en'): string {
  if (at.length === 10) return at;
  // Nothing, or not an instant: nothing to show (never a thrown RangeError in the middle of a screen).
  if (Number.isNaN(Date.parse(at))) return '';
  return new Intl.DateTimeFormat(lang === 'ar' ? 'ar-SA-u-nu-latn-ca-gregory' : 'en-GB', {
    timeZone: 'Asia/Riyadh',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(at));
}
