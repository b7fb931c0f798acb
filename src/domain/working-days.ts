// Saudi working days: Sunday to Thursday in Asia/Riyadh (UTC+3, no daylight saving), minus holidays.
// Dates are calendar dates written YYYY-MM-DD; counting starts on the day after the start date.

export type IsoDate = string;

const DAY_MS = 24 * 60 * 60 * 1000;
const RIYADH_OFFSET_MS = 3 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a YYYY-MM-DD date; throws on anything else (a programming error). */
export function toDayNumber(date: IsoDate): number {
  const match = ISO_DATE.exec(date);
  if (match === null) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const day = ms / DAY_MS;
  if (fromDayNumber(day) !== date) throw new RangeError(`no such date: ${date}`);
  return day;
}

/** Is this a YYYY-MM-DD date that exists? */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  try {
    toDayNumber(value);
    return true;
  } catch {
    return false;
  }
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** The calendar date in Riyadh at an instant (epoch milliseconds): the clock is passed in. */
export function riyadhDate(epochMs: number): IsoDate {
  return new Date(epochMs + RIYADH_OFFSET_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: IsoDate): boolean {
  const d = weekday(date);
  return d === 5 || d === 6; // Friday, Saturday
}

export function isWorkingDay(date: IsoDate, holidays: ReadonlySet<IsoDate>): boolean {
  return !isWeekend(date) && !holidays.has(date);
}

function holidaySet(holidays: readonly IsoDate[] | ReadonlySet<IsoDate>): ReadonlySet<IsoDate> {
  return holidays instanceof Set ? holidays : new Set(holidays);
}

/** The date of the n-th working day after `startDate` (n ≥ 0; n = 0 gives `startDate`). */
export function addWorkingDays(
  startDate: IsoDate,
  days: number,
  holidays: readonly IsoDate[] | ReadonlySet<IsoDate>,
): IsoDate {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number ≥ 0: ${days}`);
  const off = holidaySet(holidays);
  let day = toDayNumber(startDate);
  let left = days;
  while (left > 0) {
    day += 1;
    if (isWorkingDay(fromDayNumber(day), off)) left -= 1;
  }
  return fromDayNumber(day);
}

/**
 * Working days in (from, to]: how many working days after `from` it takes to reach `to`. Negative when
 * `to` is before `from` (e.g. days overdue), so that workingDaysBetween(d, addWorkingDays(d, n)) === n.
 */
export function workingDaysBetween(
  from: IsoDate,
  to: IsoDate,
  holidays: readonly IsoDate[] | ReadonlySet<IsoDate>,
): number {
  const off = holidaySet(holidays);
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let day = lo + 1; day <= hi; day++) if (isWorkingDay(fromDayNumber(day), off)) count += 1;
  return sign * count;
}
