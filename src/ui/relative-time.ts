// "3 minutes ago" in the user's language, for the sync indicator: how fresh this device's data is.
import type { Lang } from '../state/preferences';

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['minute', 60],
  ['hour', 60 * 60],
  ['day', 24 * 60 * 60],
];

/** The time since `iso`, relative to `now` (epoch ms), e.g. "3 minutes ago" / "قبل 3 دقائق". */
export function timeAgo(iso: string, now: number, lang: Lang): string {
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  const format = new Intl.RelativeTimeFormat(lang === 'ar' ? 'ar-SA-u-nu-latn' : 'en', { numeric: 'auto' });
  let unit: Intl.RelativeTimeFormatUnit = 'minute';
  let size = 60;
  for (const [u, s] of steps) if (seconds >= s) [unit, size] = [u, s];
  return format.format(-Math.floor(seconds / size), unit);
}
