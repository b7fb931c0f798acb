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
import type { FileEntry, LocalRecord } from '../db/database';
import { sha256Hex, type StagedFile } from '../db/files-repository';
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
type Beside = Partial<Pick<CaseFiles, 'reports' | 'notifications' | 'attachments'>> & {
  /** A change to a person's own record (their ID's expiry, typed at verification). */
  person?: { id: string; patch: Data };
};

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
    const [beneficiary, members, ofPerson, reports, ofPersonNotes] = await Promise.all([
      records.get('beneficiary', request.beneficiaryId),
      records.listOf('household_member', request.beneficiaryId),
      records.listOf('attachment', request.beneficiaryId),
      records.listOf('research_report', caseId),
      // Attachments and notifications hang on the person (their parentId); those of this request count.
      records.listOf('notification', request.beneficiaryId),
    ]);
    const ofCase = (r: { data: Data }) => r.data.caseId === caseId;
    const held = beneficiary === undefined || beneficiary.deleted ? null : beneficiary.data;
    const changed = beside.person?.id === request.beneficiaryId ? beside.person.patch : undefined;
    return {
      request,
      beneficiary: held === null || changed === undefined ? held : { ...held, ...changed },
      members: live(members),
      attachments: [
        ...live(ofPerson)
          .filter(ofCase)
          .map((a) => a.data),
        ...(beside.attachments ?? []),
      ],
      reports: [...live(reports), ...(beside.reports ?? [])],
      notifications: [...live(ofPersonNotes).filter(ofCase), ...(beside.notifications ?? [])],
    };
  }

  /** The facts a step is judged on, from the records it rests on. */
  async function factsOf(files: CaseFiles, request: Request): Promise<CaseContext['facts']> {
    const service = profileOf(request).serviceTypes.find((s) => s.id === request.serviceTypeId);
    const facts = gatherFacts(files, service?.requirements ?? [], notice.version);
    return { ...facts, dataHash: await sha256Hex(new TextEncoder().encode(facts.declared).buffer) };
  }

  /** The holidays the association added, with the calendar's own (for deadlines). */
  async function addedHolidays(): Promise<string[]> {
    return live(await records.list('holiday')).flatMap((h) =>
      typeof h.data.date === 'string' ? [h.data.date] : [],
    );
  }

  /** The calendar's holidays with those added, worked out once for a day and a list (steps come in runs). */
  let calendar: { key: string; dates: string[] } | undefined;
  const holidaysOn = (today: string, added: readonly string[]) => {
    const key = `${today}|${added.join()}`;
    if (calendar?.key !== key) calendar = { key, dates: holidayTable(today, added) };
    return calendar.dates;
  };

  /** The context a step on `request` is judged in, from the records it rests on and the holidays added. */
  async function contextOf(files: CaseFiles, added: string[], request: Request): Promise<CaseContext> {
    const profile = profileOf(request);
    const today = riyadhDate(now());
    return {
      now: new Date(now()).toISOString(),
      today,
      holidays: holidaysOn(today, added),
      deadlineRule: profile.deadlineRule,
      requiredItems: (serviceTypeId: string) => requiredItemsOf(profile, serviceTypeId),
      facts: await factsOf({ ...files, request }, request),
      actor,
      // As the server judges it: the researchers of the beneficiary's branch.
      researchers: (researchers?.() ?? [])
        .filter((r) => r.branchId === files.beneficiary?.branchId)
        .map((r) => r.id),
    };
  }

  async function contextFor(caseId: string, request: Request, beside?: Beside): Promise<CaseContext> {
    const [files, added] = await Promise.all([filesOf(caseId, request, beside), addedHolidays()]);
    return contextOf(files, added, request);
  }

  const refusal = (
    code: string,
    request: Request,
    ctx: CaseContext,
  ): Extract<IntakeResult, { ok: false }> => ({
    ok: false,
    code,
    missing: code === 'case_missing_required_items' ? missingItems(request, ctx) : [],
  });

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
    if (!result.ok) return refusal(result.code, request, ctx);
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

  /**
   * Runs one step on the request and saves it, with the records it rests on (and the files they name), in one
   * transaction.
   */
  async function apply(
    caseId: string,
    event: CaseEvent,
    beside: Write[] = [],
    files: readonly FileEntry[] = [],
  ): Promise<IntakeResult> {
    const of = (entity: Write['entity']) => beside.filter((w) => w.entity === entity);
    const facts: Beside = {
      reports: of('research_report').map((w) => ({ id: w.recordId })),
      notifications: of('notification').map((w) => ({ id: w.recordId, data: w.patch })),
      attachments: of('attachment')
        .map((w) => w.patch)
        .filter((a) => a.caseId === caseId),
      ...of('beneficiary')
        .slice(0, 1)
        .map((w) => ({ person: { id: w.recordId, patch: w.patch } }))[0],
    };
    const attempted = await attempt(caseId, event, facts);
    if (!attempted.ok) return attempted;
    const { request, next } = attempted;
    await records.writeAll([...beside, stepWrite(caseId, event, request, next)], files);
    return { ok: true, request: next };
  }

  /** A step that rests on a file just taken (a document's photo, the signature): kept together, or not at all. */
  const applyWithFile = (caseId: string, event: CaseEvent, staged: StagedFile) =>
    apply(caseId, event, staged.write === null ? [] : [staged.write], [staged.entry]);

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
      return (await factsOf(await filesOf(caseId, request), request)).dataHash;
    },

    /** The facts the steps are judged on: what is on record, consent, the declared text. */
    async facts(caseId: string, request: Request) {
      return factsOf(await filesOf(caseId, request), request);
    },

    /** The required items of the request's service not provided yet. */
    async missing(caseId: string, request: Request): Promise<string[]> {
      return missingItems(request, await contextFor(caseId, request));
    },

    /**
     * K-PROC-b, item facts: chooses the service, then ticks every requirement the records already hold (a
     * field recorded, a document photographed), each a step of its own, judged on the records read once and
     * saved together, in order, in one transaction.
     */
    async chooseService(caseId: string, serviceTypeId: string): Promise<IntakeResult> {
      const request = requestOf(await records.get('case', caseId));
      if (request === undefined) return { ok: false, code: 'not_found', missing: [] };
      const [files, added] = await Promise.all([filesOf(caseId, request), addedHolidays()]);
      const chose: CaseEvent = { type: 'serviceChosen', serviceTypeId };
      const ctx = await contextOf(files, added, request);
      const chosen = transition(request, chose, ctx);
      if (!chosen.ok) return refusal(chosen.code, request, ctx);
      const writes = [stepWrite(caseId, chose, request, chosen.case)];
      let current = chosen.case;
      // Each tick is judged in the context of the request as the one before left it (worked out once each).
      let now = await contextOf(files, added, current);
      for (const itemId of now.facts.onRecord.filter((id) => !current.providedItems.includes(id))) {
        const tick: CaseEvent = { type: 'itemProvided', itemId };
        const ticked = transition(current, tick, now);
        if (!ticked.ok) continue;
        writes.push(stepWrite(caseId, tick, current, ticked.case));
        current = ticked.case;
        now = await contextOf(files, added, current);
      }
      await records.writeAll(writes);
      return { ok: true, request: current };
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
    /** K-PROC-b: a document photographed for the item it provides, and the item ticked, in one transaction. */
    async provideDocument(caseId: string, itemId: string, staged: StagedFile): Promise<IntakeResult> {
      const result = await applyWithFile(caseId, { type: 'itemProvided', itemId }, staged);
      // A refused tick (the request was sent meanwhile) still keeps the photo on the person's file.
      if (!result.ok) await records.writeAll(staged.write === null ? [] : [staged.write], [staged.entry]);
      return result;
    },
    /**
     * C-PROC-2: the data matched and checked against the records, with the ID's expiry as just typed (when it
     * changed) saved in the same transaction.
     */
    verify: (caseId: string, person: { id: string; idExpiry: string } | null) =>
      apply(
        caseId,
        { type: 'verified' },
        person === null
          ? []
          : [
              {
                entity: 'beneficiary',
                recordId: person.id,
                op: 'upsert',
                patch: { idExpiry: person.idExpiry },
              },
            ],
      ),
    /** C-PROC-4: the signature's image and the declaration it signs, in one transaction. */
    sign: (caseId: string, staged: StagedFile, signerName: string, dataHash: string) =>
      applyWithFile(
        caseId,
        { type: 'declarationSigned', dataHash, signatureHash: staged.sha256, signerName },
        staged,
      ),

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
