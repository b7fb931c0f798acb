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
}

export interface QueuePage {
  items: QueueItem[];
  /** Every request in the queue, however many are shown. */
  total: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export async function loadQueue(source: AgendaSource, kind: QueueKind, limit: number): Promise<QueuePage> {
  const [total, entries] = await Promise.all([
    source.agendaCount(`${kind}:`, `${kind}:${END}`),
    source.agenda(`${kind}:`, `${kind}:${END}`, { limit }),
  ]);
  const rows = entries.map(({ entry, key }) => ({
    key,
    caseId: idOfKey(key),
    beneficiaryId: personOf(entry),
  }));
  const opened = await source.openMany([
    ...rows.map((r) => r.key),
    ...rows.map((r) => `beneficiary:${r.beneficiaryId}`),
  ]);
  const items = rows.flatMap(({ key, caseId, beneficiaryId }): QueueItem[] => {
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
      },
    ];
  });
  return { items, total };
}
