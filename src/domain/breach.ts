// A personal-data breach (L-BREACH; PDPL): the regulator (SDAIA) is notified within 72 hours of the
// association becoming aware of it. The clock of a lost device's incident, and the checks on its times that the
// console and the server both run. The clock is passed in.

/** Hours from awareness to the regulator's deadline. */
export const BREACH_NOTICE_HOURS = 72;
const HOUR_MS = 60 * 60 * 1000;
const RIYADH_OFFSET_MS = 3 * HOUR_MS;

/** When the regulator must have been notified: `awareAt` + 72 hours, as an ISO instant (UTC). */
export function breachDeadline(awareAt: string): string {
  return new Date(Date.parse(awareAt) + BREACH_NOTICE_HOURS * HOUR_MS).toISOString();
}

/** Where an incident's clock stands at `now`. */
export type BreachClock =
  | { state: 'open'; deadline: string; leftMs: number }
  | { state: 'overdue'; deadline: string; overMs: number }
  | { state: 'notified'; deadline: string; notifiedAt: string; afterMs: number; late: boolean };

export function breachClock(
  incident: { awareAt: string; regulatorNotifiedAt: string | null },
  now: number,
): BreachClock {
  const deadline = breachDeadline(incident.awareAt);
  const due = Date.parse(deadline);
  if (incident.regulatorNotifiedAt !== null) {
    const at = Date.parse(incident.regulatorNotifiedAt);
    return {
      state: 'notified',
      deadline,
      notifiedAt: incident.regulatorNotifiedAt,
      afterMs: at - Date.parse(incident.awareAt),
      late: at > due,
    };
  }
  return now <= due
    ? { state: 'open', deadline, leftMs: due - now }
    : { state: 'overdue', deadline, overMs: now - due };
}

/** A time of an incident that cannot be right, by the field it is in (a stable code for each). */
export interface IncidentTimeProblem {
  path: 'awareAt' | 'notifiedAt';
  message: 'aware_at_in_future' | 'notified_in_future' | 'notified_before_aware';
}

/**
 * The association cannot have become aware, nor have notified the regulator, later than now; nor notified it
 * before it knew. Undefined times are "now" and always right.
 */
export function checkIncidentTimes(
  times: { awareAt?: string | undefined; notifiedAt?: string | undefined },
  now: number,
  /** The incident's awareness, when checking a notification. */
  knownAwareAt?: string,
): IncidentTimeProblem[] {
  const problems: IncidentTimeProblem[] = [];
  if (times.awareAt !== undefined && Date.parse(times.awareAt) > now)
    problems.push({ path: 'awareAt', message: 'aware_at_in_future' });
  if (times.notifiedAt !== undefined) {
    const at = Date.parse(times.notifiedAt);
    if (at > now) problems.push({ path: 'notifiedAt', message: 'notified_in_future' });
    else if (knownAwareAt !== undefined && at < Date.parse(knownAwareAt))
      problems.push({ path: 'notifiedAt', message: 'notified_before_aware' });
  }
  return problems;
}

/** An instant as a `datetime-local` input's value in Riyadh time (YYYY-MM-DDTHH:mm), e.g. for "now". */
export function riyadhLocalValue(epochMs: number): string {
  return new Date(epochMs + RIYADH_OFFSET_MS).toISOString().slice(0, 16);
}

/** A `datetime-local` value read as Riyadh time (UTC+3, no daylight saving), as an ISO instant; null if none. */
export function fromRiyadhLocal(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}:00+03:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
