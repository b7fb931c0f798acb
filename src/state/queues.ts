// The queues of the people who act after intake: the social research officer's requests awaiting research
// (C-PROC-3) and the deciding body's requests awaiting a decision (C-PROC-5, K-PROC-e). Read through the
// agenda index (src/db/agenda.ts), longest waiting first, opening only the page shown; offline like the rest.
import type { Deadline } from '../domain/deadline';
import { END, idOfKey, personOf, type AgendaSource } from './worklist';

export type QueueKind = 'research' | 'decide';

export interface QueueItem {
  caseId: string;
  beneficiaryId: string;
  name: string;
  number: string;
  serviceTypeId: string | null;
  status: string;
  submittedAt: string | null;
  deadline: Deadline | null;
  /** Referred to the reader by name (C-PROC-3): shown first. */
  assignedToMe: boolean;
}

export interface QueuePage {
  items: QueueItem[];
  /** Every request in the queue, however many are shown. */
  total: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * A queue's first `limit` requests. For a researcher (`me`), the requests referred to them by name come
 * first (drafts among them, which the plain research queue does not hold), then the rest, longest waiting
 * first.
 */
export async function loadQueue(
  source: AgendaSource,
  kind: QueueKind,
  limit: number,
  me?: string,
): Promise<QueuePage> {
  // Everything referred to the reader, read from the index alone (nothing is opened): the first page of it
  // is shown, and its drafts, which the research queue does not count, are counted however many there are.
  const assigned =
    kind === 'research' && me !== undefined
      ? await source.agenda(`assigned:${me}:`, `assigned:${me}:${END}`)
      : [];
  const mine = assigned.slice(0, limit);
  const [queued, entries, researched] = await Promise.all([
    source.agendaCount(`${kind}:`, `${kind}:${END}`),
    source.agenda(`${kind}:`, `${kind}:${END}`, { limit: limit + mine.length }),
    // A request referred by name is a draft or awaits research (agenda.ts): those not in this queue are drafts.
    assigned.length === 0 ? Promise.resolve([]) : source.agenda(`${kind}:`, `${kind}:${END}`),
  ]);
  const inQueue = new Set(researched.map((e) => e.key));
  const drafts = assigned.filter((e) => !inQueue.has(e.key)).length;
  const mineIds = new Set(mine.map((e) => idOfKey(e.key)));
  const rows = [
    ...mine.map((e) => ({ ...e, assignedToMe: true })),
    ...entries.filter((e) => !mineIds.has(idOfKey(e.key))).map((e) => ({ ...e, assignedToMe: false })),
  ]
    .slice(0, limit)
    .map(({ entry, key, assignedToMe }) => ({
      key,
      caseId: idOfKey(key),
      beneficiaryId: personOf(entry),
      assignedToMe,
    }));
  const opened = await source.openMany([
    ...rows.map((r) => r.key),
    ...rows.map((r) => `beneficiary:${r.beneficiaryId}`),
  ]);
  const items = rows.flatMap(({ key, caseId, beneficiaryId, assignedToMe }): QueueItem[] => {
    const data = opened.get(key)?.data;
    if (data === undefined || data === null) return [];
    return [
      {
        caseId,
        beneficiaryId,
        name: str(opened.get(`beneficiary:${beneficiaryId}`)?.data?.fullName) ?? '',
        number: str(data.number) ?? '',
        serviceTypeId: str(data.serviceTypeId),
        status: str(data.status) ?? '',
        submittedAt: str(data.submittedAt),
        deadline: (data.deadline as Deadline | null | undefined) ?? null,
        assignedToMe,
      },
    ];
  });
  // Drafts referred to the reader are in their queue too, beside those the research queue counts.
  return { items, total: queued + drafts };
}
