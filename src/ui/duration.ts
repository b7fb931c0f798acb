// How long something took, in the user's language (apart from relative-time, which the first screen loads).
import { numberLocale, type DateStyle } from './dates';

/**
 * A span of time in whole minutes, hours (under two days) or days, e.g. "5 hours" / "5 ساعات". In `hours`,
 * never days, and whole hours counted down (what is left of a deadline counted in hours is not overstated).
 */
export function durationText(ms: number, style: DateStyle, scale: 'days' | 'hours' = 'days'): string {
  const hours = ms / 3_600_000;
  const [value, unit] =
    hours < 1
      ? [Math.max(1, Math.round(ms / 60_000)), 'minute']
      : scale === 'hours'
        ? [Math.floor(hours), 'hour']
        : hours < 48
          ? [Math.round(hours), 'hour']
          : [Math.round(hours / 24), 'day'];
  // In Arabic, in the digits the user chose (as dates are); English always in Western digits.
  return new Intl.NumberFormat(numberLocale(style), {
    style: 'unit',
    unit,
    unitDisplay: 'long',
  }).format(value);
}
