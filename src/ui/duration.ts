// How long something took, in the user's language (apart from relative-time, which the first screen loads).
import type { Lang } from '../state/preferences';

/** A span of time in whole minutes, hours (under two days) or days, e.g. "5 hours" / "5 ساعات". */
export function durationText(ms: number, lang: Lang): string {
  const hours = ms / 3_600_000;
  const [value, unit] =
    hours < 1
      ? [Math.max(1, Math.round(ms / 60_000)), 'minute']
      : hours < 48
        ? [Math.round(hours), 'hour']
        : [Math.round(hours / 24), 'day'];
  return new Intl.NumberFormat(lang === 'ar' ? 'ar-SA-u-nu-latn' : 'en', {
    style: 'unit',
    unit,
    unitDisplay: 'long',
  }).format(value);
}
