// How long something took, in the user's language (apart from relative-time, which the first screen loads).
import { numberLocale, type DateStyle } from './dates';

/** A span of time in whole minutes, hours (under two days) or days, e.g. "5 hours" / "5 ساعات". */
export function durationText(ms: number, style: DateStyle): string {
  const hours = ms / 3_600_000;
  const [value, unit] =
    hours < 1
      ? [Math.max(1, Math.round(ms / 60_000)), 'minute']
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
