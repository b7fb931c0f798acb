// The intake of a request (C-PROC-1..6, K-PROC-a..f) on the device, offline: each step the representative
// takes is a named step of the case machine (src/domain/case-machine.ts), run at once against the records on
// the device and saved as a step (docs/named-steps.md) — the server runs the same step again on its records
// and keeps only its own answer. A request left half-way is a draft that resumes where it stopped.
import { gatherFacts, type CaseFiles } from '../domain/case-facts';
import {
  missingItems,
  newCase,
  openRequest,
  requestNumber,
  transition,
  type CaseContext,
  type Aid,
  type CaseEvent,
  type Request,
} from '../domain/case-machine';
import { holidayTable } from '../domain/holidays';
import { noticeOf } from '../domain/privacy-notice';
import { requiredItemsOf, type PolicyProfile } from '../domain/profiles/profile';
import { riyadhDate } from '../domain/working-days';
import type { LocalRecord } from '../db/database';
import { sha256Hex } from '../db/files-repository';
import type { RecordsRepository, Write } from '../db/records-repository';
import type { Role } from '../protocol/auth';

export { requestNumber, type Aid, type Request } from '../domain/case-machine';

export interface IntakeDeps {
  records: RecordsRepository;
  /** The association's profile in force, and its version (a request opened now is opened under it). */
  profile: PolicyProfile;
  profileVersion: number;
  /** The profile of an earlier version this device keeps; the one in force when it keeps none. */
  earlierProfile?: (version: number) => PolicyProfile | undefined;
  actor: { id: string; role: Role };
  now: () => number;
  newId: () => string;
  /** The researchers known to this device (C-PROC-3), for a referral by name. */
  researchers?: () => readonly { id: string; branchId: string }[];
}

/** What the social research officer reports of a home visit (C-PROC-3, C-TOOL-2). */
export interface ReportInput {
  visitDate: string;
  findings: string;
  needs: string;
  recommendation: 'accept' | 'reject' | 'more_information';
}

export type IntakeResult =
  | { ok: true; request: Request }
  | {
      ok: false;
      code: string;
      /** For a refused submission: the required items still missing. */ missing: string[];
    };

type Data = Record<string, unknown>;
const live = (records: readonly LocalRecord[]) =>
  records.filter((r) => !r.deleted && r.data !== null).map((r) => ({ id: r.recordId, data: r.data ?? {} }));
/** Records a step is about to save beside itself, counted among the facts it is judged on. */
type Beside = Partial<Pick<CaseFiles, 'reports' | 'notifications'>>;

/** The request in a stored case record. */
export function requestOf(record: LocalRecord | undefined): Request | undefined {
  const data = record?.data;
  if (record === undefined || record.deleted || data === null || data === undefined) return undefined;
  return { ...newCase(), ...(data as Partial<Request>) } as Request;
}

export function createIntake({
  records,
  profile,
  profileVersion,
  earlierProfile,
  actor,
  now,
  newId,
  researchers,
}: IntakeDeps) {
  const holidays = holidayTable(riyadhDate(now()));

  /** Consent is to the privacy notice in force now (L-CONSENT), whatever version a request follows. */
  const notice = noticeOf(profile);

  /** A request follows the profile version it was opened under (the server does the same). */
  function profileOf(request: Pick<Request, 'profileVersion'>): PolicyProfile {
    // A request from before profiles had versions follows version 1, as on the server.
    const version = request.profileVersion ?? 1;
    if (version === profileVersion) return profile;
    return earlierProfile?.(version) ?? profile;
  }

  /** The records a step of request `caseId` is judged against, as this device holds them. */
  async function filesOf(caseId: string, request: Request, beside: Beside = {}): Promise<CaseFiles> {
    const [beneficiary, members, ofPerson, reports] = await Promise.all([
      records.get('beneficiary', request.beneficiaryId),
      records.listOf('household_member', request.beneficiaryId),
      records.listOf('attachment', request.beneficiaryId),
      records.listOf('research_report', caseId),
    ]);
    // Attachments and notifications hang on the person (their parentId); those of this request count.
    const notifications = live(await records.listOf('notification', request.beneficiaryId));
    const ofCase = (r: { data: Data }) => r.data.caseId === caseId;
    return {
      request,
      beneficiary: beneficiary === undefined || beneficiary.deleted ? null : beneficiary.data,
      members: live(members),
      attachments: live(ofPerson)
        .filter(ofCase)
        .map((a) => a.data),
      reports: [...live(reports), ...(beside.reports ?? [])],
      notifications: [...notifications.filter(ofCase), ...(beside.notifications ?? [])],
    };
  }

  async function contextFor(caseId: string, request: Request, beside?: Beside): Promise<CaseContext> {
    const profile = profileOf(request);
    const service = profile.serviceTypes.find((s) => s.id === request.serviceTypeId);
    const files = await filesOf(caseId, request, beside);
    const facts = gatherFacts(files, service?.requirements ?? [], notice.version);
    const added = live(await records.list('holiday')).flatMap((h) =>
      typeof h.data.date === 'string' ? [h.data.date] : [],
    );
    const today = riyadhDate(now());
    return {
      now: new Date(now()).toISOString(),
      today,
      holidays: holidayTable(today, added),
      deadlineRule: profile.deadlineRule,
      requiredItems: (serviceTypeId: string) => requiredItemsOf(profile, serviceTypeId),
      facts: {
        ...facts,
        dataHash: await sha256Hex(new TextEncoder().encode(facts.declared).buffer),
      },
      actor,
      // As the server judges it: the researchers of the beneficiary's branch.
      researchers: (researchers?.() ?? [])
        .filter((r) => r.branchId === files.beneficiary?.branchId)
        .map((r) => r.id),
    };
  }

  /** What a step would make of the request, without saving anything. */
  async function attempt(
    caseId: string,
    event: CaseEvent,
    beside?: Beside,
  ): Promise<{ ok: true; request: Request; next: Request } | Extract<IntakeResult, { ok: false }>> {
    const request = requestOf(await records.get('case', caseId));
    if (request === undefined) return { ok: false, code: 'not_found', missing: [] };
    const ctx = await contextFor(caseId, request, beside);
    const result = transition(request, event, ctx);
    if (!result.ok)
      return {
        ok: false,
        code: result.code,
        missing: result.code === 'case_missing_required_items' ? missingItems(request, ctx) : [],
      };
    return { ok: true, request, next: result.case };
  }

  /** The step as a write: the event, and the fields the device expects it to change (shown at once). */
  const stepWrite = (caseId: string, event: CaseEvent, request: Request, next: Request): Write => ({
    entity: 'case',
    recordId: caseId,
    op: 'event',
    event,
    patch: Object.fromEntries(
      (Object.keys(next) as (keyof Request)[])
        .filter((f) => JSON.stringify(next[f]) !== JSON.stringify(request[f]))
        .map((f) => [f, next[f]]),
    ),
  });

  /** Runs one step on the request and saves it, with the records it rests on, in one transaction. */
  async function apply(caseId: string, event: CaseEvent, beside: Write[] = []): Promise<IntakeResult> {
    const facts: Beside = {
      reports: beside.filter((w) => w.entity === 'research_report').map((w) => ({ id: w.recordId })),
      notifications: beside
        .filter((w) => w.entity === 'notification')
        .map((w) => ({ id: w.recordId, data: w.patch })),
    };
    const attempted = await attempt(caseId, event, facts);
    if (!attempted.ok) return attempted;
    const { request, next } = attempted;
    await records.writeAll([...beside, stepWrite(caseId, event, request, next)]);
    return { ok: true, request: next };
  }

  return {
    profile,
    profileOf,
    notice,
    holidays,

    /** Opens a new request (a draft) for a beneficiary: the `opened` step; returns its id. */
    async start(beneficiaryId: string): Promise<string> {
      const id = newId();
      const event: CaseEvent = {
        type: 'opened',
        beneficiaryId,
        number: requestNumber(riyadhDate(now()), id),
        profileVersion,
      };
      const opened = openRequest(id, event, { actor, today: riyadhDate(now()), profileVersion });
      if (!opened.ok) throw new Error(opened.code);
      await records.step(id, event, { ...opened.case });
      return id;
    },

    /** The hash of the data the beneficiary would declare now (what a signature binds). */
    async dataHash(caseId: string, request: Request): Promise<string> {
      return (await contextFor(caseId, request)).facts.dataHash;
    },

    /** The facts the steps are judged on: what is on record, consent, the declared text. */
    async facts(caseId: string, request: Request) {
      return (await contextFor(caseId, request)).facts;
    },

    /** The required items of the request's service not provided yet. */
    async missing(caseId: string, request: Request): Promise<string[]> {
      return missingItems(request, await contextFor(caseId, request));
    },

    /**
     * K-PROC-b, item facts: chooses the service, then ticks every requirement the records already hold (a
     * field recorded, a document photographed), each a step of its own.
     */
    async chooseService(caseId: string, serviceTypeId: string): Promise<IntakeResult> {
      const chosen = await apply(caseId, { type: 'serviceChosen', serviceTypeId });
      if (!chosen.ok) return chosen;
      let result: IntakeResult = chosen;
      const facts = (await contextFor(caseId, chosen.request)).facts;
      for (const itemId of facts.onRecord.filter((id) => !chosen.request.providedItems.includes(id))) {
        const ticked = await apply(caseId, { type: 'itemProvided', itemId });
        if (ticked.ok) result = ticked;
      }
      return result;
    },

    /**
     * K-PROC-e: tells the beneficiary where their request stands, through a channel (their preferred one by
     * default), recorded as a notification of the request; once decided, the request's `told` step is saved
     * with it, in one transaction. Returns the notification's id.
     */
    async notify(
      caseId: string,
      channel: string,
      text: string,
      /** How it went, as the user confirmed (the phone's WhatsApp, SMS or dialler, or in person). */
      method?: 'whatsapp' | 'sms' | 'call' | 'email' | 'in_person',
      /** False for a message that is not the decision (the receipt): it does not count as telling it. */
      tellsDecision = true,
    ): Promise<string> {
      const request = requestOf(await records.get('case', caseId));
      if (request === undefined) throw new Error('No such request.');
      const id = newId();
      const note: Write = {
        entity: 'notification',
        recordId: id,
        op: 'upsert',
        patch: {
          beneficiaryId: request.beneficiaryId,
          caseId,
          channel,
          text: text.trim(),
          sentAt: new Date(now()).toISOString(),
          by: actor.id,
          ...(method === undefined ? {} : { method }),
          ...(tellsDecision ? {} : { purpose: 'receipt' }),
        },
      };
      if (tellsDecision && (request.status === 'accepted' || request.status === 'rejected')) {
        const told = await apply(caseId, { type: 'told', channel, notificationId: id }, [note]);
        if (!told.ok) throw new Error(told.code);
      } else {
        await records.writeAll([note]);
      }
      return id;
    },

    apply,

    /**
     * C-PROC-7: the service delivered, which issues the one-time ballot the beneficiary's answer in the kiosk
     * spends (C-OBJ-6). The ballot is returned for the kiosk and kept nowhere else on the device.
     */
    async deliver(
      caseId: string,
      description: string,
      handedOver?: Aid,
    ): Promise<IntakeResult & { ballot?: string }> {
      const ballot = newId();
      const result = await apply(caseId, {
        type: 'delivered',
        description,
        ballot,
        ...(handedOver === undefined ? {} : { handedOver }),
      });
      return result.ok ? { ...result, ballot } : result;
    },

    /**
     * C-PROC-3: the social research officer's report of a home visit (findings, needs assessment,
     * recommendation), saved as a research report with the request's step that completes the research, in
     * one transaction. A report missing a field is refused with the fields named, and nothing is saved.
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
      const report: Write = {
        entity: 'research_report',
        recordId: reportId,
        op: 'upsert',
        patch: {
          caseId,
          visitDate: input.visitDate,
          findings: input.findings.trim(),
          needs: input.needs.trim(),
          recommendation: input.recommendation,
          by: actor.id,
        },
      };
      return apply(caseId, { type: 'researchCompleted', reportId }, [report]);
    },

    /**
     * C-PROC-5, K-PROC-e: the deciding body accepts or rejects the request with its reason, recorded as a
     * decision saved with the request's step in one transaction. Refused (nothing saved) when the case
     * machine refuses it: no reason, an incomplete request accepted, a role that does not decide.
     */
    async decide(
      caseId: string,
      outcome: 'accepted' | 'rejected',
      reason: string,
      grant?: Aid,
    ): Promise<IntakeResult> {
      const decision: Write = {
        entity: 'decision',
        recordId: newId(),
        op: 'upsert',
        patch: {
          caseId,
          outcome,
          reason: reason.trim(),
          decidedAt: new Date(now()).toISOString(),
          by: actor.id,
          ...(grant === undefined ? {} : { grant }),
        },
      };
      return apply(caseId, { type: 'decided', outcome, reason, ...(grant === undefined ? {} : { grant }) }, [
        decision,
      ]);
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;
