// Complaints, suggestions and inquiries (K-CMPL-a..c) and the compensation an escalated complaint opens
// (K-COMP-a..c), on the device: recorded by any member of staff from any channel, handled by the follow-up
// unit (supervisors), who answer, settle amicably or escalate to the investigation and follow-up committee.
// Everything is a record that syncs; nothing here needs the network.
import { complaintReference } from '../domain/complaint-reference';
import { normalizeSaudiMobile } from '../domain/phone';
import { complaintState, type ComplaintState } from '../domain/complaint-state';
import { followUpUnit, mayWriteEntity } from '../domain/permissions';
import type { Compensation, Complaint } from '../protocol/entities';
import type { Role } from '../protocol/auth';
import type { LocalRecord } from '../db/database';
import type { RecordsRepository } from '../db/records-repository';

export interface ComplaintsDeps {
  records: RecordsRepository;
  associationCode: string;
  actor: { id: string; role: Role };
  now: () => number;
  newId: () => string;
}

export interface ComplaintItem {
  id: string;
  complaint: Complaint;
  state: ComplaintState;
  /** From receipt to the first answer, or to now while there is none (ms). */
  waitedMs: number;
}

export interface ComplaintInput {
  channel: string;
  kind: Complaint['kind'];
  text: string;
  beneficiaryId: string | null;
  name: string;
  mobile: string;
}

export type ComplaintResult = { ok: true; id: string } | { ok: false; code: ComplaintRefusal };
export type ComplaintRefusal =
  'text_required' | 'mobile_invalid' | 'forbidden' | 'not_found' | 'already_resolved';

// Records on the device were checked when written (by this app, or by the server before it sent them):
// they are read here without loading the validators into the screen's code.
export function complaintOf(record: LocalRecord | undefined): Complaint | undefined {
  const data = record?.deleted === false ? record.data : null;
  if (data === null || typeof data.reference !== 'string') return undefined;
  return data as unknown as Complaint;
}

export function compensationOf(record: LocalRecord | undefined): Compensation | undefined {
  const data = record?.deleted === false ? record.data : null;
  if (data === null || typeof data.complaintId !== 'string') return undefined;
  return data as unknown as Compensation;
}

/** Open ones first, the longest waiting first; then the settled, the latest first. */
function byUrgency(a: ComplaintItem, b: ComplaintItem): number {
  const openA = a.complaint.resolution === null;
  const openB = b.complaint.resolution === null;
  if (openA !== openB) return openA ? -1 : 1;
  return openA
    ? a.complaint.receivedAt.localeCompare(b.complaint.receivedAt)
    : b.complaint.receivedAt.localeCompare(a.complaint.receivedAt);
}

export function createComplaints({ records, associationCode, actor, now, newId }: ComplaintsDeps) {
  const stamp = () => ({ at: new Date(now()).toISOString(), by: actor.id });
  // The follow-up unit handles complaints (K-CMPL-a) and opens compensation cases (K-COMP).
  const mayHandle = followUpUnit.includes(actor.role);

  async function open(id: string): Promise<Complaint | ComplaintRefusal> {
    if (!mayHandle) return 'forbidden';
    const complaint = complaintOf(await records.get('complaint', id));
    if (complaint === undefined) return 'not_found';
    if (complaint.resolution !== null) return 'already_resolved';
    return complaint;
  }

  return {
    mayHandle,
    mayKeepCompensation: mayWriteEntity(actor.role, 'compensation'),

    async list(): Promise<ComplaintItem[]> {
      const at = now();
      const items: ComplaintItem[] = [];
      for (const record of await records.list('complaint')) {
        const complaint = complaintOf(record);
        if (complaint === undefined) continue;
        const answered = complaint.firstResponseAt === null ? at : Date.parse(complaint.firstResponseAt);
        items.push({
          id: record.recordId,
          complaint,
          state: complaintState(complaint),
          waitedMs: Math.max(0, answered - Date.parse(complaint.receivedAt)),
        });
      }
      return items.sort(byUrgency);
    },

    /** K-CMPL-a: a complaint taken by a member of staff from any channel; refused without its text. */
    async record(input: ComplaintInput): Promise<ComplaintResult & { reference?: string }> {
      const text = input.text.trim();
      if (text === '') return { ok: false, code: 'text_required' };
      const id = newId();
      const name = input.name.trim();
      // Typed as people write it (05…, Arabic digits, spaces); kept as E.164, as the server requires.
      const typed = input.mobile.trim();
      const mobile = typed === '' ? '' : normalizeSaudiMobile(typed);
      if (mobile === null) return { ok: false, code: 'mobile_invalid' };
      const reference = complaintReference(associationCode, (n) => crypto.getRandomValues(new Uint8Array(n)));
      const complaint: Complaint = {
        reference,
        beneficiaryId: input.beneficiaryId,
        channel: input.channel,
        kind: input.kind,
        text,
        receivedAt: new Date(now()).toISOString(),
        firstResponseAt: null,
        resolution: null,
        complainant:
          name === '' && mobile === ''
            ? null
            : { ...(name === '' ? {} : { name }), ...(mobile === '' ? {} : { mobile }) },
        handling: [],
        compensationId: null,
      };
      await records.save('complaint', id, { ...complaint });
      return { ok: true, id, reference };
    },

    /** The follow-up unit's answer or step; the first one is the complaint's response time. */
    async respond(id: string, note: string): Promise<ComplaintResult> {
      const complaint = await open(id);
      if (typeof complaint === 'string') return { ok: false, code: complaint };
      if (note.trim() === '') return { ok: false, code: 'text_required' };
      const entry = { ...stamp(), note: note.trim() };
      await records.save('complaint', id, {
        handling: [...(complaint.handling ?? []), entry],
        ...(complaint.firstResponseAt === null ? { firstResponseAt: entry.at } : {}),
      });
      return { ok: true, id };
    },

    /**
     * K-CMPL-c: settled amicably, or escalated to the investigation and follow-up committee, which opens
     * a compensation case (K-COMP); either needs its summary. Returns the compensation case's id.
     */
    async resolve(id: string, outcome: 'amicable' | 'escalated', summary: string): Promise<ComplaintResult> {
      const complaint = await open(id);
      if (typeof complaint === 'string') return { ok: false, code: complaint };
      if (summary.trim() === '') return { ok: false, code: 'text_required' };
      const resolution = { ...stamp(), outcome, summary: summary.trim() };
      let compensationId: string | null = null;
      if (outcome === 'escalated') {
        compensationId = newId();
        const compensation: Compensation = {
          complaintId: id,
          minutes: null,
          negotiation: [],
          settlement: null,
        };
        await records.save('compensation', compensationId, { ...compensation });
      }
      await records.save('complaint', id, {
        resolution,
        ...(complaint.firstResponseAt === null ? { firstResponseAt: resolution.at } : {}),
        ...(compensationId === null ? {} : { compensationId }),
      });
      return { ok: true, id: compensationId ?? id };
    },
  };
}

export type Complaints = ReturnType<typeof createComplaints>;

export interface MinutesInput {
  date: string;
  harm: string;
  size: string;
  causes: string;
}

/** K-COMP-a..c: the compensation case's file, kept by the follow-up unit and the committee. */
export function createCompensations({
  records,
  actor,
  now,
}: Omit<ComplaintsDeps, 'associationCode' | 'newId'>) {
  const may = mayWriteEntity(actor.role, 'compensation');
  const at = () => new Date(now()).toISOString();

  async function update(
    id: string,
    change: (c: Compensation) => Partial<Compensation> | ComplaintRefusal,
  ): Promise<ComplaintResult | { ok: false; code: 'missing'; missing: string[] }> {
    if (!may) return { ok: false, code: 'forbidden' };
    const current = compensationOf(await records.get('compensation', id));
    if (current === undefined) return { ok: false, code: 'not_found' };
    const patch = change(current);
    if (typeof patch === 'string') return { ok: false, code: patch };
    await records.save('compensation', id, patch);
    return { ok: true, id };
  }

  return {
    may,
    /** K-COMP-a: the dated minutes stating the harm, its size and causes; every field is needed. */
    async saveMinutes(id: string, input: MinutesInput) {
      const missing = (['date', 'harm', 'size', 'causes'] as const).filter((f) => input[f].trim() === '');
      if (missing.length > 0) return { ok: false as const, code: 'missing' as const, missing: [...missing] };
      return update(id, (c) => ({
        minutes: {
          date: input.date,
          harm: input.harm.trim(),
          size: input.size.trim(),
          causes: input.causes.trim(),
          approvals: c.minutes?.approvals ?? [],
        },
      }));
    },
    /** K-COMP-a: a committee member's approval of the minutes. */
    async approve(id: string, memberName: string) {
      if (memberName.trim() === '') return { ok: false as const, code: 'text_required' as const };
      return update(id, (c) =>
        c.minutes === null
          ? 'not_found'
          : {
              minutes: {
                ...c.minutes,
                approvals: [...c.minutes.approvals, { memberName: memberName.trim(), approvedAt: at() }],
              },
            },
      );
    },
    /** K-COMP-b: the reference of a judicial or final ruling, where one was needed. */
    ruling: (id: string, reference: string) => update(id, () => ({ rulingReference: reference.trim() })),
    /** K-COMP-c: a step of the negotiation with the beneficiary. */
    async negotiate(id: string, note: string) {
      if (note.trim() === '') return { ok: false as const, code: 'text_required' as const };
      return update(id, (c) => ({ negotiation: [...c.negotiation, { at: at(), note: note.trim() }] }));
    },
    /** K-COMP-c: the settlement that ends the case. */
    async settle(id: string, terms: string) {
      if (terms.trim() === '') return { ok: false as const, code: 'text_required' as const };
      return update(id, () => ({ settlement: { at: at(), terms: terms.trim() } }));
    },
  };
}

export type Compensations = ReturnType<typeof createCompensations>;
