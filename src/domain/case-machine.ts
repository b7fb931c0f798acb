// The life of a support or service request, as the policy orders it. A pure function: it takes the case,
// an event and the context (clock, holidays, the profile's rules, who acts) and returns the next case or
// the code of the rule that forbids the step. The server runs the same function as the app.
//
//   draft ─(reception, service, items, verification, referral?, declaration)─ SUBMIT ─▶ submitted
//   submitted ─▶ underResearch ─▶ awaitingDecision ─▶ accepted | rejected      (submitted may be decided directly)
//   accepted ─▶ delivered ─▶ closed;  rejected ─▶ closed
import { computeDeadline, type Deadline, type DeadlineRule } from './deadline';
import type { IsoDate } from './working-days';

export const caseStatuses = [
  'draft',
  'submitted',
  'underResearch',
  'awaitingDecision',
  'accepted',
  'rejected',
  'delivered',
  'closed',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export type ActorRole = 'representative' | 'researcher' | 'committee' | 'supervisor' | 'admin';

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
  /** Referral to the social research officer (C-PROC-3). */
  referral: (Stamp & { reason: string }) | null;
  /** The beneficiary's declaration, bound to the hash of exactly the data declared (C-PROC-4, K-PROC-d). */
  declaration: (Stamp & { dataHash: string; signatureHash: string; signerName: string }) | null;
  /** Leaving with items missing needs an explicit, recorded exception (K-PROC-c). */
  exception: (Stamp & { reason: string; missingItems: string[] }) | null;
  submittedAt: IsoDate | null;
  /** The date every requirement was complete (C-PROC-6); Kadi's deadline counts from it. */
  completedAt: IsoDate | null;
  deadline: Deadline | null;
  researchReportId: string | null;
  decision: (Stamp & { outcome: 'accepted' | 'rejected'; reason: string }) | null;
  delivery: (Stamp & { description: string }) | null;
  closedAt: string | null;
  /** K-PROC-e: the decision was told to the beneficiary, through this channel, by this notification. */
  decisionTold?: (Stamp & { channel: string; notificationId: string }) | null;
}

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

export type CaseEvent =
  | { type: 'receptionDone' }
  | { type: 'serviceChosen'; serviceTypeId: string }
  | { type: 'requirementsShared' }
  | { type: 'itemProvided'; itemId: string }
  | { type: 'itemRemoved'; itemId: string }
  | { type: 'verified'; problems: string[] }
  | { type: 'referred'; reason: string }
  | { type: 'declarationSigned'; dataHash: string; signatureHash: string; signerName: string }
  | { type: 'exceptionRecorded'; reason: string }
  | { type: 'submit' }
  | { type: 'researchStarted' }
  | { type: 'researchCompleted'; reportId: string }
  | { type: 'decided'; outcome: 'accepted' | 'rejected'; reason: string }
  | { type: 'delivered'; description: string }
  | { type: 'closed' };
export type CaseEventType = CaseEvent['type'];

export interface CaseContext {
  /** ISO instant of the action; from the clock passed in. */
  now: string;
  /** Today's date in Riyadh. */
  today: IsoDate;
  holidays: readonly IsoDate[];
  deadlineRule: DeadlineRule;
  /** The required field and document ids of each service type of the profile. */
  requiredItems: (serviceTypeId: string) => readonly string[] | undefined;
  /** Hash of the data as it would be submitted now; the declaration must cover exactly this. */
  currentDataHash: string;
  actor: { id: string; role: ActorRole };
}

export const CaseError = {
  forbiddenRole: 'case_forbidden_role',
  wrongStatus: 'case_wrong_status',
  caseClosed: 'case_closed',
  unknownService: 'case_unknown_service',
  unknownItem: 'case_unknown_item',
  noService: 'case_no_service',
  receptionMissing: 'case_reception_missing',
  missingRequiredItems: 'case_missing_required_items',
  notVerified: 'case_not_verified',
  verificationFailed: 'case_verification_failed',
  signatureMissing: 'case_signature_missing',
  signatureStale: 'case_signature_stale',
  reasonRequired: 'case_reason_required',
  nothingMissing: 'case_nothing_missing',
  incomplete: 'case_incomplete',
  notAccepted: 'case_not_accepted',
} as const;
export type CaseError = (typeof CaseError)[keyof typeof CaseError];

export type TransitionResult = { ok: true; case: CaseRecord } | { ok: false; code: CaseError };

const intakeRoles: readonly ActorRole[] = ['representative', 'researcher'];
const researchRoles: readonly ActorRole[] = ['researcher'];
const decisionRoles: readonly ActorRole[] = ['committee'];
const deliveryRoles: readonly ActorRole[] = ['representative', 'researcher'];
const closeRoles: readonly ActorRole[] = ['representative', 'researcher', 'supervisor'];

/** Who may cause each event, and in which statuses. */
const rules: Record<CaseEventType, { roles: readonly ActorRole[]; from: readonly CaseStatus[] }> = {
  receptionDone: { roles: intakeRoles, from: ['draft'] },
  serviceChosen: { roles: intakeRoles, from: ['draft'] },
  requirementsShared: { roles: intakeRoles, from: ['draft'] },
  // Items may still arrive after a submission made under a recorded exception.
  itemProvided: { roles: intakeRoles, from: ['draft', 'submitted', 'underResearch', 'awaitingDecision'] },
  itemRemoved: { roles: intakeRoles, from: ['draft'] },
  verified: { roles: intakeRoles, from: ['draft'] },
  referred: { roles: intakeRoles, from: ['draft'] },
  declarationSigned: { roles: intakeRoles, from: ['draft'] },
  exceptionRecorded: { roles: intakeRoles, from: ['draft'] },
  submit: { roles: intakeRoles, from: ['draft'] },
  researchStarted: { roles: researchRoles, from: ['submitted'] },
  researchCompleted: { roles: researchRoles, from: ['underResearch'] },
  decided: { roles: decisionRoles, from: ['submitted', 'awaitingDecision'] },
  delivered: { roles: deliveryRoles, from: ['accepted'] },
  closed: { roles: closeRoles, from: ['delivered', 'rejected'] },
};

/** The required items not yet provided. */
export function missingItems(c: CaseRecord, ctx: CaseContext): string[] {
  if (c.serviceTypeId === null) return [];
  const required = ctx.requiredItems(c.serviceTypeId) ?? [];
  return required.filter((id) => !c.providedItems.includes(id));
}

const fail = (code: CaseError): TransitionResult => ({ ok: false, code });
const done = (c: CaseRecord): TransitionResult => ({ ok: true, case: c });

/** Marks the request complete and fixes Kadi-style deadlines once nothing is missing. */
function completeIfReady(c: CaseRecord, ctx: CaseContext): CaseRecord {
  if (c.status === 'draft' || c.completedAt !== null || missingItems(c, ctx).length > 0) return c;
  const completed = { ...c, completedAt: ctx.today };
  if (ctx.deadlineRule.from === 'completion' && completed.deadline === null) {
    completed.deadline = computeDeadline(ctx.deadlineRule, ctx.today, ctx.holidays);
  }
  return completed;
}

export function transition(c: CaseRecord, event: CaseEvent, ctx: CaseContext): TransitionResult {
  if (c.status === 'closed') return fail(CaseError.caseClosed);
  const rule = rules[event.type];
  // C-PROC-7: a service is provided only on an accepted request.
  if (event.type === 'delivered' && c.status !== 'accepted') return fail(CaseError.notAccepted);
  if (!rule.from.includes(c.status)) return fail(CaseError.wrongStatus);
  if (!rule.roles.includes(ctx.actor.role)) return fail(CaseError.forbiddenRole);
  const stamp: Stamp = { at: ctx.now, by: ctx.actor.id };

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
      if (c.providedItems.includes(event.itemId)) return done(c);
      return done(completeIfReady({ ...c, providedItems: [...c.providedItems, event.itemId] }, ctx));
    }
    case 'itemRemoved':
      return done({ ...c, providedItems: c.providedItems.filter((id) => id !== event.itemId) });
    case 'verified':
      return done({ ...c, verification: { ...stamp, problems: [...event.problems] } });
    case 'referred':
      if (event.reason.trim() === '') return fail(CaseError.reasonRequired);
      return done({ ...c, referral: { ...stamp, reason: event.reason.trim() } });
    case 'declarationSigned':
      if (c.verification === null) return fail(CaseError.notVerified);
      if (c.verification.problems.length > 0) return fail(CaseError.verificationFailed);
      return done({
        ...c,
        declaration: {
          ...stamp,
          dataHash: event.dataHash,
          signatureHash: event.signatureHash,
          signerName: event.signerName,
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
      const missing = missingItems(c, ctx);
      const excused =
        c.exception !== null && missing.every((id) => c.exception?.missingItems.includes(id) === true);
      if (missing.length > 0 && !excused) return fail(CaseError.missingRequiredItems);
      if (c.verification === null) return fail(CaseError.notVerified);
      if (c.verification.problems.length > 0) return fail(CaseError.verificationFailed);
      if (c.declaration === null) return fail(CaseError.signatureMissing);
      if (c.declaration.dataHash !== ctx.currentDataHash) return fail(CaseError.signatureStale);
      const submitted: CaseRecord = {
        ...c,
        status: 'submitted',
        submittedAt: ctx.today,
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
      return done({ ...c, status: 'awaitingDecision', researchReportId: event.reportId });
    case 'decided':
      if (event.reason.trim() === '') return fail(CaseError.reasonRequired);
      if (event.outcome === 'accepted' && c.completedAt === null) return fail(CaseError.incomplete);
      return done({
        ...c,
        status: event.outcome,
        decision: { ...stamp, outcome: event.outcome, reason: event.reason.trim() },
      });
    case 'delivered':
      return done({ ...c, status: 'delivered', delivery: { ...stamp, description: event.description } });
    case 'closed':
      return done({ ...c, status: 'closed', closedAt: ctx.now });
  }
}

/** The statuses each status-changing event leads to. */
const statusMoves: Partial<Record<CaseEventType, readonly CaseStatus[]>> = {
  submit: ['submitted'],
  researchStarted: ['underResearch'],
  researchCompleted: ['awaitingDecision'],
  decided: ['accepted', 'rejected'],
  delivered: ['delivered'],
  closed: ['closed'],
};

/** Can `roles` take a request from `from` to `to` by steps the rules allow (one save may hold several)? */
function reachable(from: CaseStatus, to: CaseStatus, roles: readonly ActorRole[]): boolean {
  const seen = new Set<CaseStatus>([from]);
  const queue: CaseStatus[] = [from];
  for (let status = queue.shift(); status !== undefined; status = queue.shift()) {
    if (status === to) return true;
    for (const [event, targets] of Object.entries(statusMoves) as [CaseEventType, CaseStatus[]][]) {
      const rule = rules[event];
      if (!rule.from.includes(status) || !rule.roles.some((r) => roles.includes(r))) continue;
      for (const next of targets.filter((t) => !seen.has(t))) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}

/** The fields of a request only one step writes, with that step: only its roles may change them. */
const fieldSteps = {
  researchReportId: 'researchCompleted',
  decision: 'decided',
  delivery: 'delivered',
  closedAt: 'closed',
} as const satisfies Partial<Record<keyof CaseRecord, CaseEventType>>;

const allRoles: readonly ActorRole[] = ['representative', 'researcher', 'committee', 'supervisor', 'admin'];

/**
 * The server's check of a saved request against the rules (a device is not trusted to have run the machine):
 * may `role` take a stored request in status `from` (null for a new one, which starts as a draft) to `to`,
 * changing `changed` fields? Only the status and the fields a single step writes are judged; each step's
 * other guards run on the device. Returns null, or the refusal with the field at fault.
 */
export function caseChangeDenial(
  role: ActorRole,
  from: CaseStatus | null,
  to: CaseStatus,
  changed: readonly string[],
): { code: CaseError; field: string } | null {
  const start = from ?? 'draft';
  if (start === 'closed' && to !== 'closed') return { code: CaseError.caseClosed, field: 'status' };
  if (start !== to && !reachable(start, to, [role]))
    return {
      code: reachable(start, to, allRoles) ? CaseError.forbiddenRole : CaseError.wrongStatus,
      field: 'status',
    };
  for (const [field, step] of Object.entries(fieldSteps) as [string, CaseEventType][])
    if (changed.includes(field) && !rules[step].roles.includes(role))
      return { code: CaseError.forbiddenRole, field };
  return null;
}
