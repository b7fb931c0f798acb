// The agenda index: what makes a record part of the worklist, as short strings stored in the clear beside
// the sealed record, so that the worklist reads only the records due instead of opening every one.
// An entry names a kind and a date, and for contacts the beneficiary's random id — never a name, an ID
// number, a phone or any content; a case's entry says only that it is a draft, decided, or awaiting a
// reply by a date. Computed from the record's own data whenever it is sealed (records-repository.ts).
//
//   visit:<date>                   a beneficiary's planned visit
//   follow:<date>:<beneficiaryId>  a contact's follow-up date
//   contact:<beneficiaryId>:<date> a contact happened that day (to tell a follow-up done)
//   due:<date>:<beneficiaryId>     an open request that must be answered by this date (K-PROC-f)
//   after:<date>:<beneficiaryId>   an open request whose reply may come from this date (C-PROC-5)
//   tell:<at>:<beneficiaryId>      a decision not yet told to the beneficiary (K-PROC-e)
//   draft:<at>:<beneficiaryId>     a request left as a draft, by when it was received
//   research:<date>:<beneficiaryId> a submitted request awaiting its social research (C-PROC-3), by its
//                                  submission date: the researcher's queue, longest waiting first
//   decide:<date>:<beneficiaryId>  a researched request awaiting the decision (C-PROC-5, K-PROC-e): the
//                                  committee's queue, by submission date
//   assigned:<userId>:<at>:<beneficiaryId> a request referred to this researcher by name (C-PROC-3), while
//                                  a draft or awaiting research: first in their queue, by when referred
//
// A request's entries end with its beneficiary's id (as its parentId already shows), so that the worklist
// opens the request and the person it names at the same time.
import { awaitingResearch, decidedStatuses, isSettled, isStatusIn } from '../domain/permissions';
import type { EntityName } from '../protocol/entities';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const stampAt = (v: unknown): string =>
  typeof v === 'object' && v !== null && 'at' in v ? (str(v.at) ?? '') : '';

export function agendaOf(entity: EntityName, data: Record<string, unknown> | null): string[] {
  if (data === null) return [];
  switch (entity) {
    case 'beneficiary': {
      const visit = str(data.nextVisitOn);
      return visit === null ? [] : [`visit:${visit}`];
    }
    case 'interaction': {
      const who = str(data.beneficiaryId);
      if (who === null) return [];
      const on = str(data.followUpOn);
      const at = str(data.occurredAt)?.slice(0, 10) ?? null;
      return [
        ...(on === null ? [] : [`follow:${on}:${who}`]),
        ...(at === null ? [] : [`contact:${who}:${at}`]),
      ];
    }
    case 'case': {
      const status = str(data.status);
      const who = str(data.beneficiaryId) ?? '';
      const referral = data.referral as { to?: unknown } | null | undefined;
      const to = str(referral?.to);
      const assigned =
        to !== null && (status === 'draft' || isStatusIn(awaitingResearch, status))
          ? [`assigned:${to}:${stampAt(referral)}:${who}`]
          : [];
      if (status === 'draft') return [`draft:${stampAt(data.reception)}:${who}`, ...assigned];
      const entries: string[] = [...assigned];
      if (isStatusIn(decidedStatuses, status) && data.decisionTold == null)
        entries.push(`tell:${stampAt(data.decision)}:${who}`);
      const submitted = str(data.submittedAt) ?? '';
      if (isStatusIn(awaitingResearch, status)) entries.push(`research:${submitted}:${who}`);
      if (status === 'awaitingDecision') entries.push(`decide:${submitted}:${who}`);
      const deadline = data.deadline as { kind?: unknown; date?: unknown } | null | undefined;
      const date = str(deadline?.date);
      if (status !== null && !isSettled(status) && date !== null)
        entries.push(`${deadline?.kind === 'dueBy' ? 'due' : 'after'}:${date}:${who}`);
      return entries;
    }
    default:
      return [];
  }
}
