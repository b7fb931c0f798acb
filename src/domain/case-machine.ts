// The life of a support or service request, as the policy orders it. A pure function: it takes the case,
// a named step (an event) and the context (clock, holidays, the profile's rules, what the records around the
// request say, who acts) and returns the next case or the code of the rule that forbids the step. The device
// runs it at once, offline; the server runs the same function on the request it holds, with a context it
// builds itself (docs/named-steps.md). Who may run each step, and from which statuses, is in permissions.ts.
//
//   (opened) draft ─(reception, service, items, verification, referral?, declaration)─ SUBMIT ─▶ submitted
//   submitted ─▶ underResearch ─▶ awaitingDecision ─▶ accepted | rejected      (submitted may be decided directly)
//   accepted ─▶ delivered ─▶ closed;  rejected ─▶ closed;  accepted | rejected ─(told)
import type { CaseFacts } from './case-facts';
import { verifyFacts } from './case-facts';
import { computeDeadline, type Deadline, type DeadlineRule } from './deadline';
import { caseSteps, type CaseStatus, type Role } from './permissions';
import { addCalendarDays, isIsoDate, type IsoDate } from './working-days';

export { caseStatuses, type CaseStatus } from './permissions';
export type { CaseFacts } from './case-facts';

export type ActorRole = Role;

export interface Stamp {
  at: string;
  by: string;
}

export interface CaseRecord {
  status: CaseStatus;
  serviceTypeId: string | null;
  /** Reception done and inquiries answered (C-PROC-1, K-PROC-a). */
  reception: Stamp | null;
  /** The criteria and requirements of the chosen service were shown or shared (K-PROC-b). */
  requirementsShared: Stamp | null;
  /** Ids of the service's required fields and documents that have been provided. */
  providedItems: string[];
  /** Verification at submission (C-PROC-2): ID checksum and expiry, phone. */
  verification: (Stamp & { problems: string[] }) | null;
  /** Referral to the social research officer (C-PROC-3): a named one (`to`, a user id) when known. */
  referral: (Stamp & { reason: string; to?: string }) | null;
  /** The beneficiary's declaration, bound to the hash of exactly the data declared (C-PROC-4, K-PROC-d). */
  declaration: (Stamp & { dataHash: string; signatureHash: string; signerName: string }) | null;
  /** Leaving with items missing needs an explicit, recorded exception (K-PROC-c). */
  exception: (Stamp & { reason: string; missingItems: string[] }) | null;
  submittedAt: IsoDate | null;
  /** The date every requirement was complete (C-PROC-6); Kadi's deadline counts from it. */
  completedAt: IsoDate | null;
  deadline: Deadline | null;
  researchReportId: string | null;
  decision: (Stamp & { outcome: 'accepted' | 'rejected'; reason: string; grant?: Aid }) | null;
  delivery: (Stamp & { description: string; handedOver?: Aid }) | null;
  closedAt: string | null;
  /** A draft given up before submission, by whom and why. */
  discarded?: (Stamp & { reason: string }) | null;
  /** K-PROC-e: the decision was told to the beneficiary, through this channel, by this notification. */
  decisionTold?: (Stamp & { channel: string; notificationId: string }) | null;
  /** C-PROC-4: the declared data (canonical text) frozen at submission; its SHA-256 is the declaration's. */
  declared?: string | null;
  /**
   * The version of the association's policy profile the request was opened under: its service, its
   * requirements and its reply rule stay that version's after the profile changes. Absent on requests
   * opened before profiles had versions (they follow version 1).
   */
  profileVersion?: number;
}

/** A request as stored: the case machine's record, the person it is for and its number. */
export type Request = CaseRecord & { beneficiaryId: string; number: string };

export function newCase(): CaseRecord {
  return {
    status: 'draft',
    serviceTypeId: null,
    reception: null,
    requirementsShared: null,
    providedItems: [],
    verification: null,
    referral: null,
    declaration: null,
    exception: null,
    submittedAt: null,
    completedAt: null,
    deadline: null,
    researchReportId: null,
    decision: null,
    delivery: null,
    closedAt: null,
  };
}

const fail = (code: CaseError): { ok: false; code: CaseError } => ({ ok: false, code });

/** Aid as data: an amount in riyals (to the halala) and/or the items, so that aid given can be totalled. */
export interface Aid {
  amount?: number;
  items?: string;
}

/** The largest amount one decision grants (SAR): a typo of three extra zeros is refused, not paid. */
export const MAX_GRANT = 1_000_000;

/** Why an amount or items are not aid that can be counted; null when they are. */
export function aidProblem(aid: Aid | undefined): 'empty' | 'amount' | null {
  if (aid === undefined) return 'empty';
  const { amount, items } = aid;
  if (amount !== undefined) {
    if (!Number.isFinite(amount) || amount <= 0 || amount > MAX_GRANT) return 'amount';
    // To the halala: two decimals at most (compared through toFixed, as 19.99 * 100 is not 1999 in binary).
    if (Number(amount.toFixed(2)) !== amount) return 'amount';
  }
  if (amount === undefined && (items === undefined || items.trim() === '')) return 'empty';
  return null;
}

const cleanAid = (aid: Aid): Aid => ({
  ...(aid.amount === undefined ? {} : { amount: aid.amount }),
  ...(aid.items === undefined || aid.items.trim() === '' ? {} : { items: aid.items.trim() }),
});

export type CaseEvent =
  /**
   * `profileVersion`: the version of the profile the device took the request under (offline, perhaps
   * before a newer one reached it); the server keeps it when it has such a version and it is not newer
   * than the one in force.
   */
  | { type: 'opened'; beneficiaryId: string; number: string; profileVersion?: number }
  | { type: 'receptionDone' }
  | { type: 'serviceChosen'; serviceTypeId: string }
  | { type: 'requirementsShared' }
  | { type: 'itemProvided'; itemId: string }
  | { type: 'itemRemoved'; itemId: string }
  | { type: 'verified' }
  | { type: 'referred'; reason: string; to?: string }
  | { type: 'declarationSigned'; dataHash: string; signatureHash: string; signerName: string }
  | { type: 'exceptionRecorded'; reason: string }
  | { type: 'submit' }
  | { type: 'researchStarted' }
  | { type: 'researchCompleted'; reportId: string }
  /** An accepted decision carries what is granted: an amount in riyals, items, or both (issue 20). */
  | { type: 'decided'; outcome: 'accepted' | 'rejected'; reason: string; grant?: Aid }
  | { type: 'told'; channel: string; notificationId: string }
  /** C-OBJ-6: `ballot` is the one-time ballot the kiosk answer will spend (the request does not keep it). */
  | { type: 'delivered'; description: string; ballot?: string; handedOver?: Aid }
  | { type: 'closed' }
  /** A draft given up, with why: closed without being submitted, its number and steps kept (audited). */
  | { type: 'discarded'; reason: string };
export type CaseEventType = CaseEvent['type'];

export interface CaseContext {
  /** ISO instant of the action; from the clock passed in (the server's, on the server). */
  now: string;
  /** Today's date in Riyadh. */
  today: IsoDate;
  holidays: readonly IsoDate[];
  deadlineRule: DeadlineRule;
  /** The required field and document ids of each service type of the profile. */
  requiredItems: (serviceTypeId: string) => readonly string[] | undefined;
  /** What the records around the request say, gathered by each side from the records it holds. */
  facts: CaseFacts;
  actor: { id: string; role: ActorRole };
  /**
   * The ids of the researchers a request may be referred to by name (the active researchers of its
   * beneficiary's branch); none known refuses every named referral.
   */
  researchers?: readonly string[];
}

export const CaseError = {
  forbiddenRole: 'case_forbidden_role',
  wrongStatus: 'case_wrong_status',
  caseClosed: 'case_closed',
  alreadyOpened: 'case_already_opened',
  notOpened: 'case_not_opened',
  badNumber: 'case_bad_number',
  unknownService: 'case_unknown_service',
  unknownItem: 'case_unknown_item',
  itemNotOnRecord: 'case_item_not_on_record',
  noService: 'case_no_service',
  receptionMissing: 'case_reception_missing',
  consentMissing: 'case_consent_missing',
  missingRequiredItems: 'case_missing_required_items',
  notVerified: 'case_not_verified',
  verificationFailed: 'case_verification_failed',
  signatureMissing: 'case_signature_missing',
  signatureStale: 'case_signature_stale',
  declarationMismatch: 'case_declaration_mismatch',
  reasonRequired: 'case_reason_required',
  grantRequired: 'case_grant_required',
  grantOnRejection: 'case_grant_on_rejection',
  badAmount: 'case_bad_amount',
  exceedsGrant: 'case_exceeds_grant',
  nothingMissing: 'case_nothing_missing',
  incomplete: 'case_incomplete',
  notAccepted: 'case_not_accepted',
  reportMissing: 'case_report_missing',
  notificationMissing: 'case_notification_missing',
  unknownResearcher: 'case_unknown_researcher',
} as const;
export type CaseError = (typeof CaseError)[keyof typeof CaseError];

export type TransitionResult<C extends CaseRecord = CaseRecord> =
  { ok: true; case: C } | { ok: false; code: CaseError };

/** The required items not yet provided. */
export function missingItems(c: CaseRecord, ctx: Pick<CaseContext, 'requiredItems'>): string[] {
  if (c.serviceTypeId === null) return [];
  const required = ctx.requiredItems(c.serviceTypeId) ?? [];
  return required.filter((id) => !c.providedItems.includes(id));
}

/** Marks the request complete and fixes Kadi-style deadlines once nothing is missing. */
function completeIfReady<C extends CaseRecord>(c: C, ctx: CaseContext): C {
  if (c.status === 'draft' || c.completedAt !== null || missingItems(c, ctx).length > 0) return c;
  const completed = { ...c, completedAt: ctx.today };
  if (ctx.deadlineRule.from === 'completion' && completed.deadline === null) {
    completed.deadline = computeDeadline(ctx.deadlineRule, ctx.today, ctx.holidays);
  }
  return completed;
}

/** A request number a person can read out over the phone, unique without a network: date and id. */
export function requestNumber(today: IsoDate, id: string): string {
  return `${today.replaceAll('-', '')}-${id.slice(0, 4).toUpperCase()}`;
}

/**
 * Is `number` one a device could have given request `id` by `today`? The device numbers a request offline, and
 * the beneficiary's receipt carries that number, so the server keeps it, checking its form: the id's first
 * characters after a real date no later than tomorrow.
 */
export function isRequestNumberOf(number: string, id: string, today: IsoDate): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})-([0-9A-F]{4})$/.exec(number);
  if (match === null) return false;
  const [, y, m, d, head] = match;
  const date = `${y ?? ''}-${m ?? ''}-${d ?? ''}`;
  // A day's grace: a device whose clock runs ahead (or that numbered it just after midnight) is not refused.
  return head === id.slice(0, 4).toUpperCase() && isIsoDate(date) && date <= addCalendarDays(today, 1);
}

/** A new request (a draft) for a beneficiary: the `opened` step, the only way a request comes to exist. */
export function openRequest(
  id: string,
  event: Extract<CaseEvent, { type: 'opened' }>,
  ctx: Pick<CaseContext, 'actor' | 'today'> & { profileVersion: number },
): TransitionResult<Request> {
  if (!caseSteps.opened.roles.includes(ctx.actor.role)) return fail(CaseError.forbiddenRole);
  if (!isRequestNumberOf(event.number, id, ctx.today)) return fail(CaseError.badNumber);
  return {
    ok: true,
    case: {
      ...newCase(),
      beneficiaryId: event.beneficiaryId,
      number: event.number,
      profileVersion: ctx.profileVersion,
    },
  };
}

/**
 * The one function that moves a request: the device runs it at once, offline; the server runs it again on the
 * request it holds, with a context it builds itself, and keeps only what it returns.
 */
export function transition<C extends CaseRecord>(
  c: C,
  event: CaseEvent,
  ctx: CaseContext,
): TransitionResult<C> {
  if (event.type === 'opened') return fail(CaseError.alreadyOpened);
  if (c.status === 'closed') return fail(CaseError.caseClosed);
  const rule = caseSteps[event.type];
  // C-PROC-7: a service is provided only on an accepted request.
  if (event.type === 'delivered' && c.status !== 'accepted') return fail(CaseError.notAccepted);
  if (!rule.from.includes(c.status)) return fail(CaseError.wrongStatus);
  if (!rule.roles.includes(ctx.actor.role)) return fail(CaseError.forbiddenRole);
  const stamp: Stamp = { at: ctx.now, by: ctx.actor.id };
  const { facts } = ctx;
  const done = (next: C): TransitionResult<C> => ({ ok: true, case: next });

  switch (event.type) {
    case 'receptionDone':
      return done({ ...c, reception: stamp });
    case 'serviceChosen': {
      if (ctx.requiredItems(event.serviceTypeId) === undefined) return fail(CaseError.unknownService);
      const changed = event.serviceTypeId !== c.serviceTypeId;
      // A different service has different requirements: what was provided and declared no longer applies.
      return done(
        changed
          ? {
              ...c,
              serviceTypeId: event.serviceTypeId,
              providedItems: [],
              requirementsShared: null,
              declaration: null,
              exception: null,
            }
          : c,
      );
    }
    case 'requirementsShared':
      if (c.serviceTypeId === null) return fail(CaseError.noService);
      return done({ ...c, requirementsShared: stamp });
    case 'itemProvided': {
      if (c.serviceTypeId === null) return fail(CaseError.noService);
      if (!(ctx.requiredItems(c.serviceTypeId) ?? []).includes(event.itemId))
        return fail(CaseError.unknownItem);
      // A document is provided when its photo is on the request; a field when the record holds it.
      if (!facts.onRecord.includes(event.itemId)) return fail(CaseError.itemNotOnRecord);
      if (c.providedItems.includes(event.itemId)) return done(c);
      return done(completeIfReady({ ...c, providedItems: [...c.providedItems, event.itemId] }, ctx));
    }
    case 'itemRemoved':
      return done({ ...c, providedItems: c.providedItems.filter((id) => id !== event.itemId) });
    case 'verified':
      // C-PROC-2: the data is matched and checked at the time of submission, against the records themselves.
      return done({ ...c, verification: { ...stamp, problems: verifyFacts(facts, ctx.today) } });
    case 'referred':
      if (event.reason.trim() === '') return fail(CaseError.reasonRequired);
      if (event.to !== undefined && !(ctx.researchers ?? []).includes(event.to))
        return fail(CaseError.unknownResearcher);
      return done({
        ...c,
        referral: {
          ...stamp,
          reason: event.reason.trim(),
          ...(event.to === undefined ? {} : { to: event.to }),
        },
      });
    case 'declarationSigned':
      if (c.verification === null) return fail(CaseError.notVerified);
      // The data may have changed since it was verified: it must pass as it stands now.
      if (c.verification.problems.length > 0 || verifyFacts(facts, ctx.today).length > 0)
        return fail(CaseError.verificationFailed);
      // L-CONSENT: the privacy notice is read and consented to before the beneficiary declares anything.
      if (!facts.consent) return fail(CaseError.consentMissing);
      // C-PROC-4: the signature binds exactly the data as it stands, and its image is on the request.
      if (event.dataHash !== facts.dataHash) return fail(CaseError.declarationMismatch);
      if (!facts.signatures.includes(event.signatureHash)) return fail(CaseError.signatureMissing);
      if (event.signerName.trim() === '') return fail(CaseError.signatureMissing);
      return done({
        ...c,
        declaration: {
          ...stamp,
          dataHash: event.dataHash,
          signatureHash: event.signatureHash,
          signerName: event.signerName.trim(),
        },
      });
    case 'exceptionRecorded': {
      if (event.reason.trim() === '') return fail(CaseError.reasonRequired);
      const missing = missingItems(c, ctx);
      if (missing.length === 0) return fail(CaseError.nothingMissing);
      return done({ ...c, exception: { ...stamp, reason: event.reason.trim(), missingItems: missing } });
    }
    case 'submit': {
      if (c.reception === null) return fail(CaseError.receptionMissing);
      if (c.serviceTypeId === null) return fail(CaseError.noService);
      if (c.providedItems.some((id) => !facts.onRecord.includes(id))) return fail(CaseError.itemNotOnRecord);
      const missing = missingItems(c, ctx);
      const excused =
        c.exception !== null && missing.every((id) => c.exception?.missingItems.includes(id) === true);
      if (missing.length > 0 && !excused) return fail(CaseError.missingRequiredItems);
      if (c.verification === null) return fail(CaseError.notVerified);
      // C-PROC-2: valid at the time of submission, not only when it was verified (an ID may expire meanwhile).
      if (c.verification.problems.length > 0 || verifyFacts(facts, ctx.today).length > 0)
        return fail(CaseError.verificationFailed);
      // L-CONSENT: nothing is submitted for a person who has not consented to the current notice.
      if (!facts.consent) return fail(CaseError.consentMissing);
      if (c.declaration === null) return fail(CaseError.signatureMissing);
      if (c.declaration.dataHash !== facts.dataHash) return fail(CaseError.signatureStale);
      const submitted: C = {
        ...c,
        status: 'submitted',
        submittedAt: ctx.today,
        // What was declared, frozen with the request: the data its signature covers.
        declared: facts.declared,
        deadline:
          ctx.deadlineRule.from === 'submission'
            ? computeDeadline(ctx.deadlineRule, ctx.today, ctx.holidays)
            : null,
      };
      return done(completeIfReady(submitted, ctx));
    }
    case 'researchStarted':
      return done({ ...c, status: 'underResearch' });
    case 'researchCompleted':
      if (!facts.reports.includes(event.reportId)) return fail(CaseError.reportMissing);
      return done({ ...c, status: 'awaitingDecision', researchReportId: event.reportId });
    case 'decided':
      if (event.reason.trim() === '') return fail(CaseError.reasonRequired);
      if (event.outcome === 'accepted' && c.completedAt === null) return fail(CaseError.incomplete);
      // Aid as data: what an acceptance grants is counted; a refusal grants nothing.
      if (event.outcome === 'rejected' && event.grant !== undefined) return fail(CaseError.grantOnRejection);
      if (event.outcome === 'accepted') {
        const problem = aidProblem(event.grant);
        if (problem !== null)
          return fail(problem === 'empty' ? CaseError.grantRequired : CaseError.badAmount);
      }
      return done({
        ...c,
        status: event.outcome,
        decision: {
          ...stamp,
          outcome: event.outcome,
          reason: event.reason.trim(),
          ...(event.grant === undefined ? {} : { grant: cleanAid(event.grant) }),
        },
      });
    case 'told':
      // K-PROC-e: told by a notification of this request, recorded with the channel it went by.
      // The receipt sent to the beneficiary is not the decision told.
      if (
        !facts.notifications.some(
          (n) => n.id === event.notificationId && n.channel === event.channel && !n.receipt,
        )
      )
        return fail(CaseError.notificationMissing);
      return done({
        ...c,
        decisionTold: { ...stamp, channel: event.channel, notificationId: event.notificationId },
      });
    case 'delivered': {
      // What was handed over, if said: counted aid, never more money than was granted.
      if (event.handedOver !== undefined) {
        const problem = aidProblem(event.handedOver);
        if (problem !== null)
          return fail(problem === 'empty' ? CaseError.grantRequired : CaseError.badAmount);
        const granted = c.decision?.grant?.amount;
        if (
          event.handedOver.amount !== undefined &&
          (granted === undefined || event.handedOver.amount > granted)
        )
          return fail(CaseError.exceedsGrant);
      }
      return done({
        ...c,
        status: 'delivered',
        delivery: {
          ...stamp,
          description: event.description,
          ...(event.handedOver === undefined ? {} : { handedOver: cleanAid(event.handedOver) }),
        },
      });
    }
    case 'closed':
      return done({ ...c, status: 'closed', closedAt: ctx.now });
    case 'discarded':
      if (event.reason.trim() === '') return fail(CaseError.reasonRequired);
      return done({
        ...c,
        status: 'closed',
        closedAt: ctx.now,
        discarded: { ...stamp, reason: event.reason.trim() },
      });
  }
}
