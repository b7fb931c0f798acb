// The intake of a request (C-PROC-1..6, K-PROC-a..f) on the device, offline: each step the representative
// takes is an event of the case machine (src/domain/case-machine.ts), checked against the association's
// profile and saved as a change of the case record — so a request left half-way is a draft that resumes
// where it stopped, and everything syncs like any other record.
import { transition, missingItems, newCase, type CaseEvent, type CaseRecord } from '../domain/case-machine';
import { declaredData } from '../domain/declaration';
import { defaultSaudiHolidays } from '../domain/holidays';
import { requiredItemsOf, type PolicyProfile } from '../domain/profiles/profile';
import { riyadhDate, type IsoDate } from '../domain/working-days';
import type { LocalRecord } from '../db/database';
import { sha256Hex } from '../db/files-repository';
import type { RecordsRepository } from '../db/records-repository';
import type { Role } from '../protocol/auth';

export interface IntakeDeps {
  records: RecordsRepository;
  profile: PolicyProfile;
  actor: { id: string; role: Role };
  now: () => number;
  newId: () => string;
}

/** What the social research officer reports of a home visit (C-PROC-3, C-TOOL-2). */
export interface ReportInput {
  visitDate: string;
  findings: string;
  needs: string;
  recommendation: 'accept' | 'reject' | 'more_information';
}

/** A request as stored: the case machine's record, the person it is for and its number. */
export type Request = CaseRecord & { beneficiaryId: string; number: string };

export type IntakeResult =
  | { ok: true; request: Request }
  | {
      ok: false;
      code: string;
      /** For a refused submission: the required items still missing. */ missing: string[];
    };

const caseFields = Object.keys(newCase()) as (keyof CaseRecord)[];

/** The request in a stored case record. */
export function requestOf(record: LocalRecord | undefined): Request | undefined {
  const data = record?.data;
  if (record === undefined || record.deleted || data === null || data === undefined) return undefined;
  return { ...newCase(), ...(data as Partial<Request>) } as Request;
}

/** A request number a person can read out over the phone, unique without a network: date and id. */
export function requestNumber(today: IsoDate, id: string): string {
  return `${today.replaceAll('-', '')}-${id.slice(0, 4).toUpperCase()}`;
}

export function createIntake({ records, profile, actor, now, newId }: IntakeDeps) {
  const year = Number(riyadhDate(now()).slice(0, 4));
  const holidays = defaultSaudiHolidays(year - 1, year + 2).map((h) => h.date);

  /** The text the beneficiary declares for this request, as the records stand now. */
  async function declaration(request: Request): Promise<string> {
    const beneficiary = await records.get('beneficiary', request.beneficiaryId);
    const members = (await records.listOf('household_member', request.beneficiaryId)).filter(
      (m) => !m.deleted && m.data !== null,
    );
    return declaredData({
      beneficiary: beneficiary?.data ?? {},
      members: members.map((m) => ({ id: m.recordId, data: m.data ?? {} })),
      request,
    });
  }

  const dataHash = async (request: Request) =>
    sha256Hex(new TextEncoder().encode(await declaration(request)).buffer);

  async function contextFor(request: Request) {
    return {
      now: new Date(now()).toISOString(),
      today: riyadhDate(now()),
      holidays,
      deadlineRule: profile.deadlineRule,
      requiredItems: (serviceTypeId: string) => requiredItemsOf(profile, serviceTypeId),
      currentDataHash: await dataHash(request),
      actor,
    };
  }

  return {
    profile,
    holidays,

    /** Opens a new request (a draft) for a beneficiary; returns its id. */
    async start(beneficiaryId: string): Promise<string> {
      const id = newId();
      const request: Request = {
        ...newCase(),
        beneficiaryId,
        number: requestNumber(riyadhDate(now()), id),
      };
      await records.save('case', id, { ...request });
      return id;
    },

    /** The hash of the data the beneficiary would declare now (what a signature binds). */
    dataHash,
    declaration,

    /** The required items of the request's service not provided yet. */
    async missing(request: Request): Promise<string[]> {
      return missingItems(request, await contextFor(request));
    },

    /**
     * K-PROC-e: tells the beneficiary where their request stands, through a channel (their preferred one by
     * default), recorded as a notification of the request; returns its id.
     */
    async notify(caseId: string, channel: string, text: string): Promise<string> {
      const request = requestOf(await records.get('case', caseId));
      if (request === undefined) throw new Error('No such request.');
      const id = newId();
      const at = new Date(now()).toISOString();
      await records.save('notification', id, {
        beneficiaryId: request.beneficiaryId,
        caseId,
        channel,
        text: text.trim(),
        sentAt: at,
        by: actor.id,
      });
      // The request itself says its decision was told: the worklist reads that from the request alone.
      if (request.status === 'accepted' || request.status === 'rejected')
        await records.save('case', caseId, {
          decisionTold: { at, by: actor.id, channel, notificationId: id },
        });
      return id;
    },

    apply,

    /**
     * C-PROC-3: the social research officer's report of a home visit (findings, needs assessment,
     * recommendation), saved as a research report of the request, which then awaits the decision. A
     * report missing a field is refused with the fields named, and nothing is saved.
     */
    async report(caseId: string, input: ReportInput): Promise<IntakeResult> {
      const missing = (['visitDate', 'findings', 'needs'] as const).filter((f) => input[f].trim() === '');
      if (missing.length > 0) return { ok: false, code: 'report_incomplete', missing };
      const request = requestOf(await records.get('case', caseId));
      if (request?.status === 'submitted') {
        const started = await apply(caseId, { type: 'researchStarted' });
        if (!started.ok) return started;
      } else if (request?.status !== 'underResearch') {
        return { ok: false, code: request === undefined ? 'not_found' : 'case_wrong_status', missing: [] };
      }
      const reportId = newId();
      await records.save('research_report', reportId, {
        caseId,
        visitDate: input.visitDate,
        findings: input.findings.trim(),
        needs: input.needs.trim(),
        recommendation: input.recommendation,
        by: actor.id,
      });
      return apply(caseId, { type: 'researchCompleted', reportId });
    },

    /**
     * C-PROC-5, K-PROC-e: the deciding body accepts or rejects the request with its reason, recorded as a
     * decision; the request's decision is then to be told to the beneficiary. Refused (nothing saved) when
     * the case machine refuses it: no reason, an incomplete request accepted, a role that does not decide.
     */
    async decide(caseId: string, outcome: 'accepted' | 'rejected', reason: string): Promise<IntakeResult> {
      const event: CaseEvent = { type: 'decided', outcome, reason };
      const checked = await attempt(caseId, event);
      if (!checked.ok) return checked;
      await records.save('decision', newId(), {
        caseId,
        outcome,
        reason: reason.trim(),
        decidedAt: new Date(now()).toISOString(),
        by: actor.id,
      });
      return apply(caseId, event);
    },
  };

  /** What a step would make of the request, without saving anything. */
  async function attempt(
    caseId: string,
    event: CaseEvent,
  ): Promise<{ ok: true; request: Request; next: Request } | Extract<IntakeResult, { ok: false }>> {
    const request = requestOf(await records.get('case', caseId));
    if (request === undefined) return { ok: false, code: 'not_found', missing: [] };
    const ctx = await contextFor(request);
    const result = transition(request, event, ctx);
    if (!result.ok)
      return {
        ok: false,
        code: result.code,
        missing: result.code === 'case_missing_required_items' ? missingItems(request, ctx) : [],
      };
    return { ok: true, request, next: { ...request, ...result.case } };
  }

  /** Applies one step to the request and saves what changed; a refusal changes nothing. */
  async function apply(caseId: string, event: CaseEvent): Promise<IntakeResult> {
    const attempted = await attempt(caseId, event);
    if (!attempted.ok) return attempted;
    const { request, next } = attempted;
    const patch = Object.fromEntries(
      caseFields
        .filter((f) => JSON.stringify(next[f]) !== JSON.stringify(request[f]))
        .map((f) => [f, next[f]]),
    );
    if (Object.keys(patch).length > 0) await records.save('case', caseId, patch);
    return { ok: true, request: next };
  }
}

export type Intake = ReturnType<typeof createIntake>;
