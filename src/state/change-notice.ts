// K-INFO-c: "update changed information through the approved means". When something that affects
// beneficiaries changes (a service's requirements, a date, a contact), the follow-up unit tells those it
// affects: everyone with an open request of a service, or everyone of a category. Each is recorded as a
// notification through the beneficiary's agreed channel, like any other status update (K-PROC-e), offline.
import { followUpUnit, isStatusIn, openStatuses } from '../domain/permissions';
import type { RecordsRepository } from '../db/records-repository';
import type { Role } from '../protocol/auth';

export type NoticeTarget =
  { kind: 'service'; serviceTypeId: string } | { kind: 'category'; category: string };

export interface Affected {
  beneficiaryId: string;
  name: string;
  channel: string;
  /** The open request the change concerns, when the notice is about a service. */
  caseId: string | null;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** The beneficiaries a change affects, from the records on this device; `fallbackChannel` if none agreed. */
export async function affectedBy(
  records: RecordsRepository,
  target: NoticeTarget,
  fallbackChannel: string,
): Promise<Affected[]> {
  const people = new Map(
    (await records.list('beneficiary'))
      .filter((r) => !r.deleted && r.data !== null)
      .map((r) => [r.recordId, r.data]),
  );
  const person = (beneficiaryId: string, caseId: string | null): Affected | undefined => {
    const data = people.get(beneficiaryId);
    if (data == null) return undefined;
    const channel = text(data.preferredChannel);
    return {
      beneficiaryId,
      name: text(data.fullName),
      channel: channel === '' ? fallbackChannel : channel,
      caseId,
    };
  };
  if (target.kind === 'category')
    return [...people.entries()]
      .filter(([, data]) => data?.category === target.category)
      .flatMap(([id]) => person(id, null) ?? []);
  const seen = new Set<string>();
  const affected: Affected[] = [];
  for (const r of await records.list('case')) {
    const data = r.deleted ? null : r.data;
    if (data === null || data.serviceTypeId !== target.serviceTypeId) continue;
    // Requests still in progress: the beneficiary is waiting on them.
    if (!isStatusIn(openStatuses, data.status)) continue;
    const beneficiaryId = text(data.beneficiaryId);
    if (seen.has(beneficiaryId)) continue;
    seen.add(beneficiaryId);
    const one = person(beneficiaryId, r.recordId);
    if (one !== undefined) affected.push(one);
  }
  return affected;
}

export type NoticeResult =
  { ok: true; notified: number } | { ok: false; code: 'text_required' | 'nobody' | 'forbidden' };

/** Records the notice as a notification to each beneficiary affected; the follow-up unit's to send. */
export async function noticeChange(
  records: RecordsRepository,
  input: { target: NoticeTarget; text: string; fallbackChannel: string },
  deps: { actor: { id: string; role: Role }; now: () => number; newId: () => string },
): Promise<NoticeResult> {
  if (!followUpUnit.includes(deps.actor.role)) return { ok: false, code: 'forbidden' };
  const body = input.text.trim();
  if (body === '') return { ok: false, code: 'text_required' };
  const affected = await affectedBy(records, input.target, input.fallbackChannel);
  if (affected.length === 0) return { ok: false, code: 'nobody' };
  const sentAt = new Date(deps.now()).toISOString();
  for (const a of affected)
    await records.save('notification', deps.newId(), {
      beneficiaryId: a.beneficiaryId,
      caseId: a.caseId,
      channel: a.channel,
      text: body,
      sentAt,
      by: deps.actor.id,
    });
  return { ok: true, notified: affected.length };
}
