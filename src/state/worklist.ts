// The representative's worklist (C-GOAL, C-OBJ-4): what needs their attention today, most urgent first —
// a reply deadline passed, visits planned for today (or missed), follow-ups due, decisions to tell the
// beneficiary about, deadlines close, and requests left as drafts. Pure: built from the records on the
// device and today's date in Riyadh.
import { deadlineStatus, type Deadline } from '../domain/deadline';
import { decidedStatuses, isSettled, isStatusIn } from '../domain/permissions';
import { addCalendarDays, addWorkingDays, type IsoDate } from '../domain/working-days';
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
    if (isStatusIn(decidedStatuses, status) && c.data?.decisionTold == null) item('decisionToTell', null);
    const deadline = c.data?.deadline as Deadline | null | undefined;
    if (deadline == null || isSettled(status)) continue;
    const where = deadlineStatus(deadline, today, holidays);
    if (where.kind === 'overdue') item('deadlineOverdue', where.date);
    else if (where.kind === 'dueToday' || (where.kind === 'onTime' && where.workingDaysLeft <= close))
      item('deadlineClose', where.date);
    else if (where.kind === 'replyNotBefore' && where.reached) item('replyExpected', where.date);
  }

  const rank = (k: WorkKind) => workOrder.indexOf(k);
  return items.sort((a, b) => rank(a.kind) - rank(b.kind) || (a.date ?? '').localeCompare(b.date ?? ''));
}

/** The part of the records repository the indexed worklist reads. */
export interface AgendaSource {
  agendaCount: (lower: string, upper: string) => Promise<number>;
  agenda: (
    lower: string,
    upper: string,
    options?: { limit?: number; reverse?: boolean },
  ) => Promise<{ entry: string; key: string }[]>;
  openMany: (keys: readonly string[]) => Promise<Map<string, LocalRecord>>;
}

export interface ShownWorkItem extends WorkItem {
  /** The beneficiary's name, '' if they are not on the device. */
  name: string;
  /** The request's number, if the item is about a request. */
  number: string | null;
}

export interface WorklistPage {
  /** The first `limit` items, most urgent first (the order of worklistOf). */
  items: ShownWorkItem[];
  /** How many items of each kind there are in all. */
  counts: Record<WorkKind, number>;
  total: number;
}

/** The upper end of an agenda range: after every entry that begins with the range's prefix. */
export const END = '\uffff';
/** The record id of a stored row's key (`entity:id`). */
export const idOfKey = (key: string) => key.slice(key.indexOf(':') + 1);
const dateOf = (entry: string) => entry.split(':')[1] ?? '';
/** The beneficiary an entry names: the last part of a request's or a follow-up's entry. */
export const personOf = (entry: string) => entry.slice(entry.lastIndexOf(':') + 1);

type Entry = { entry: string; key: string };

/**
 * The worklist's first page, read through the agenda index (src/db/agenda.ts): each kind is a range of
 * entries, counted by the index and paged by it, all read at once; only the records shown, and the people
 * they name, are opened — what it costs depends on the page, not on how many people and requests the
 * device holds. Gives the same items as worklistOf over every record, in the same order of kinds and dates.
 * Follow-ups are the exception to "the index alone": each one whose date has come is checked for a later
 * contact with the person (one count of the index each).
 */
export async function loadWorklist(
  source: AgendaSource,
  options: { today: IsoDate; holidays: readonly IsoDate[]; limit: number; closeWorkingDays?: number },
): Promise<WorklistPage> {
  const { today, holidays, limit } = options;
  const close = options.closeWorkingDays ?? 3;
  const yesterday = addCalendarDays(today, -1);
  /** A kind that is exactly one range of entries: counted and paged by the index alone. */
  const range = async (lower: string, upper: string, reverse = false) => {
    const [count, entries] = await Promise.all([
      source.agendaCount(lower, upper),
      source.agenda(lower, upper, { limit, reverse }),
    ]);
    return { count, entries };
  };
  /** A kind read whole and filtered (few entries): its count is what is left. */
  const filtered = async (entries: Promise<Entry[]>, keep: (e: Entry) => Promise<boolean>) => {
    const all = await entries;
    const kept = await Promise.all(all.map(keep));
    const left = all.filter((_, i) => kept[i] === true);
    return { count: left.length, entries: left };
  };
  const found: Record<WorkKind, Promise<{ count: number; entries: Entry[] }>> = {
    deadlineOverdue: range('due:', `due:${yesterday}:${END}`),
    visitOverdue: range('visit:', `visit:${yesterday}`),
    visitToday: range(`visit:${today}`, `visit:${today}`),
    // A follow-up is due when its date has come and the person has had no contact since.
    followUp: filtered(source.agenda('follow:', `follow:${today}:${END}`), async (e) => {
      const on = dateOf(e.entry);
      const who = personOf(e.entry);
      return (await source.agendaCount(`contact:${who}:${on}`, `contact:${who}:${END}`)) === 0;
    }),
    decisionToTell: range('tell:', `tell:${END}`, true),
    // Close: due today (any number, by the index), or within `close` working days (few, by their date).
    deadlineClose: Promise.all([
      range(`due:${today}:`, `due:${today}:${END}`),
      filtered(
        source.agenda(`due:${today}:${END}`, `due:${addWorkingDays(today, close + 1, holidays)}:${END}`),
        (e) => {
          const where = deadlineStatus({ kind: 'dueBy', date: dateOf(e.entry) }, today, holidays);
          return Promise.resolve(where.kind === 'onTime' && where.workingDaysLeft <= close);
        },
      ),
    ]).then(([dueToday, soon]) => ({
      count: dueToday.count + soon.count,
      entries: [...dueToday.entries, ...soon.entries],
    })),
    replyExpected: range('after:', `after:${today}:${END}`),
    draft: range('draft:', `draft:${END}`, true),
  };
  const counts = {} as Record<WorkKind, number>;
  const picked: (Entry & { kind: WorkKind })[] = [];
  for (const kind of workOrder) {
    const { count, entries } = await found[kind];
    counts[kind] = count;
    picked.push(...entries.slice(0, Math.max(0, limit - picked.length)).map((e) => ({ kind, ...e })));
  }

  // Open only what is shown: the records picked and the people they name, together.
  const rows = picked.map(({ kind, entry, key }) => {
    const isCase = key.startsWith('case:');
    return {
      kind,
      key,
      beneficiaryId: kind === 'followUp' || isCase ? personOf(entry) : idOfKey(key),
      caseId: isCase ? idOfKey(key) : null,
      date: kind !== 'decisionToTell' && kind !== 'draft' ? dateOf(entry) : null,
    };
  });
  const opened = await source.openMany([
    ...rows.filter((r) => r.caseId !== null).map((r) => r.key),
    ...rows.map((r) => `beneficiary:${r.beneficiaryId}`),
  ]);
  const items = rows.map(({ key, ...r }) => ({
    ...r,
    name: str(opened.get(`beneficiary:${r.beneficiaryId}`)?.data?.fullName) ?? '',
    number: r.caseId === null ? null : str(opened.get(key)?.data?.number),
  }));
  return { items, counts, total: workOrder.reduce((sum, k) => sum + counts[k], 0) };
}
