// The representative's worklist (C-GOAL, C-OBJ-4): what needs their attention today, most urgent first —
// a reply deadline passed, visits planned for today (or missed), follow-ups due, decisions to tell the
// beneficiary about, deadlines close, and requests left as drafts. Pure: built from the records on the
// device and today's date in Riyadh.
import { deadlineStatus, type Deadline } from '../domain/deadline';
import type { IsoDate } from '../domain/working-days';
import type { LocalRecord } from '../db/database';

export type WorkKind =
  | 'deadlineOverdue'
  | 'visitOverdue'
  | 'visitToday'
  | 'followUp'
  | 'decisionToTell'
  | 'deadlineClose'
  | 'replyExpected'
  | 'draft';

/** Most urgent first. */
export const workOrder: readonly WorkKind[] = [
  'deadlineOverdue',
  'visitOverdue',
  'visitToday',
  'followUp',
  'decisionToTell',
  'deadlineClose',
  'replyExpected',
  'draft',
];

export interface WorkItem {
  kind: WorkKind;
  beneficiaryId: string;
  /** The request concerned, if any. */
  caseId: string | null;
  /** The date that makes it due (visit, follow-up, deadline), if any. */
  date: IsoDate | null;
}

export interface WorklistInput {
  beneficiaries: readonly LocalRecord[];
  cases: readonly LocalRecord[];
  interactions: readonly LocalRecord[];
  notifications: readonly LocalRecord[];
  today: IsoDate;
  holidays: readonly IsoDate[];
  /** A due-by deadline this many working days away or fewer is "close". */
  closeWorkingDays?: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const live = (rows: readonly LocalRecord[]) => rows.filter((r) => !r.deleted && r.data !== null);

export function worklistOf(input: WorklistInput): WorkItem[] {
  const { today, holidays } = input;
  const close = input.closeWorkingDays ?? 3;
  const items: WorkItem[] = [];

  for (const b of live(input.beneficiaries)) {
    const visit = str(b.data?.nextVisitOn);
    if (visit !== null && visit <= today)
      items.push({
        kind: visit === today ? 'visitToday' : 'visitOverdue',
        beneficiaryId: b.recordId,
        caseId: null,
        date: visit,
      });
  }

  // A follow-up is due when its date has come and nothing was logged with the beneficiary since.
  const lastContact = new Map<string, string>();
  for (const i of live(input.interactions)) {
    const who = str(i.data?.beneficiaryId);
    const at = str(i.data?.occurredAt)?.slice(0, 10) ?? null;
    if (who !== null && at !== null && at > (lastContact.get(who) ?? '')) lastContact.set(who, at);
  }
  for (const i of live(input.interactions)) {
    const who = str(i.data?.beneficiaryId);
    const on = str(i.data?.followUpOn);
    if (who !== null && on !== null && on <= today && (lastContact.get(who) ?? '') < on)
      items.push({ kind: 'followUp', beneficiaryId: who, caseId: null, date: on });
  }

  const told = new Set(live(input.notifications).map((n) => str(n.data?.caseId)));
  for (const c of live(input.cases)) {
    const who = str(c.data?.beneficiaryId);
    if (who === null) continue;
    const status = str(c.data?.status);
    const item = (kind: WorkKind, date: IsoDate | null) => {
      items.push({ kind, beneficiaryId: who, caseId: c.recordId, date });
    };
    if (status === 'draft') {
      item('draft', null);
      continue;
    }
    if ((status === 'accepted' || status === 'rejected') && !told.has(c.recordId))
      item('decisionToTell', null);
    const deadline = c.data?.deadline as Deadline | null | undefined;
    if (
      deadline == null ||
      status === 'accepted' ||
      status === 'rejected' ||
      status === 'delivered' ||
      status === 'closed'
    )
      continue;
    const where = deadlineStatus(deadline, today, holidays);
    if (where.kind === 'overdue') item('deadlineOverdue', where.date);
    else if (where.kind === 'dueToday' || (where.kind === 'onTime' && where.workingDaysLeft <= close))
      item('deadlineClose', where.date);
    else if (where.kind === 'replyNotBefore' && where.reached) item('replyExpected', where.date);
  }

  const rank = (k: WorkKind) => workOrder.indexOf(k);
  return items.sort((a, b) => rank(a.kind) - rank(b.kind) || (a.date ?? '').localeCompare(b.date ?? ''));
}
