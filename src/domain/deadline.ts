// The reply deadline, as each policy words it. The four common texts promise a reply "within a period not
// less than two weeks" from submission to the research committee (C-PROC-5): a minimum, so the date is
// the earliest a reply may be expected, never an overdue mark. Kadi promises a reply "within at most 15
// working days from the date the request was completed" (K-PROC-f): a maximum, which can be overdue.
import { addCalendarDays, addWorkingDays, workingDaysBetween, type IsoDate } from './working-days';

export type DeadlineRule =
  | { kind: 'notBefore'; calendarDays: number; from: 'submission' }
  | { kind: 'dueWithin'; workingDays: number; from: 'completion' };

export type Deadline = { kind: 'notBefore'; date: IsoDate } | { kind: 'dueBy'; date: IsoDate };

/** The deadline fixed when the rule's starting event happens (submission or completion). */
export function computeDeadline(rule: DeadlineRule, start: IsoDate, holidays: readonly IsoDate[]): Deadline {
  return rule.kind === 'notBefore'
    ? { kind: 'notBefore', date: addCalendarDays(start, rule.calendarDays) }
    : { kind: 'dueBy', date: addWorkingDays(start, rule.workingDays, holidays) };
}

export type DeadlineStatus =
  | { kind: 'replyNotBefore'; date: IsoDate; reached: boolean }
  | { kind: 'onTime'; date: IsoDate; workingDaysLeft: number }
  | { kind: 'dueToday'; date: IsoDate }
  | { kind: 'overdue'; date: IsoDate; workingDaysOverdue: number };

/** Where a case stands against its deadline today (today in Riyadh, passed in). */
export function deadlineStatus(
  deadline: Deadline,
  today: IsoDate,
  holidays: readonly IsoDate[],
): DeadlineStatus {
  if (deadline.kind === 'notBefore') {
    return { kind: 'replyNotBefore', date: deadline.date, reached: today >= deadline.date };
  }
  if (today === deadline.date) return { kind: 'dueToday', date: deadline.date };
  if (today < deadline.date) {
    return {
      kind: 'onTime',
      date: deadline.date,
      workingDaysLeft: workingDaysBetween(today, deadline.date, holidays),
    };
  }
  return {
    kind: 'overdue',
    date: deadline.date,
    workingDaysOverdue: Math.max(1, workingDaysBetween(deadline.date, today, holidays)),
  };
}
