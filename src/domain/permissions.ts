// The rulebook of who may do what, written once: which roles exist, which of them work in one branch, who may
// write each entity, who may run each step of a request and from which statuses, and which statuses count as
// open or settled. The case machine (case-machine.ts), the screens, the worklist and the server's policy
// (server/services/policy.ts, which only turns these into SQL and denials) all read it from here.
import type { EntityName } from './entity-names';
import { roles, type Role } from './roles';

// The roles themselves live apart, so that the first screen (sign-in) carries them without the rulebook.
export { associationWideRoles, roles, type Role } from './roles';

/** Roles whose reach is one branch; the others see the whole association. */
export const branchBound: readonly Role[] = ['representative', 'researcher'];

/** Everyone who handles beneficiaries. Admins administer; they do not handle beneficiaries. */
export const fieldStaff: readonly Role[] = ['representative', 'researcher', 'supervisor', 'committee'];

/** The roles that may create or change each entity. */
export const writeRoles: Record<EntityName, readonly Role[]> = {
  beneficiary: fieldStaff,
  household_member: fieldStaff,
  // A request changes only through the steps of the case machine: caseSteps below says who runs each.
  case: fieldStaff,
  interaction: fieldStaff,
  attachment: fieldStaff,
  notification: fieldStaff,
  complaint: fieldStaff,
  compensation: ['supervisor', 'committee'],
  research_report: ['researcher'],
  decision: ['committee'],
  survey: ['supervisor', 'admin'],
  survey_response: fieldStaff,
  policy_acknowledgement: roles,
  holiday: ['admin', 'supervisor'],
};

/** May a role write records of this entity at all (branch and record rules aside)? */
export const mayWriteEntity = (role: Role, entity: EntityName): boolean => writeRoles[entity].includes(role);

/**
 * Entities only some roles read (need to know), besides the records the caller wrote themselves: complaints
 * go to the follow-up unit (supervisors) and, escalated, to the committee (K-CMPL-a, K-COMP).
 */
export const readRoles: Partial<Record<EntityName, readonly Role[]>> = {
  complaint: ['supervisor', 'committee'],
  compensation: ['supervisor', 'committee'],
};

/**
 * The follow-up unit (supervisors): handles complaints (K-CMPL-a..c), opens compensation cases (K-COMP) and
 * tells beneficiaries of a change that affects them (K-INFO-c).
 */
export const followUpUnit: readonly Role[] = ['supervisor'];

/**
 * Who answers a beneficiary's rights requests (L-RIGHTS: export their data, destroy it): the staff who
 * oversee the work with beneficiaries across the association, supervisors and the committee.
 */
export const rightsHandlers: readonly Role[] = ['supervisor', 'committee'];

/** Who reads the association's dashboard (counts and means only): supervisors (K-SAT-e/f) and the admin. */
export const dashboardReaders: readonly Role[] = ['supervisor', 'admin'];

/** Who administers the association's devices (lists them, revokes a lost one): its administrator. */
export const deviceAdministrators: readonly Role[] = ['admin'];

/** Who runs the association in the app: its branches, its people, its policy profile, its imports. */
export const associationAdministrators: readonly Role[] = ['admin'];

/**
 * Who may upload files: those who record attachments (document photos, signatures), and the association's
 * administrators, for its library documents (forms and guides).
 */
export const mayUploadFiles = (role: Role): boolean =>
  mayWriteEntity(role, 'attachment') || associationAdministrators.includes(role);

// --- Requests -------------------------------------------------------------------------------------------

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

/** Submitted and not yet decided: the reply deadline runs (K-PROC-f, C-PROC-5). */
export const awaitingReply: readonly CaseStatus[] = ['submitted', 'underResearch', 'awaitingDecision'];
/** Past the reply deadline's concern: decided, delivered or closed. */
export const settledStatuses: readonly CaseStatus[] = ['accepted', 'rejected', 'delivered', 'closed'];
/** Requests a change of the policy may still affect (K-INFO-c): submitted and not yet served or closed. */
export const openStatuses: readonly CaseStatus[] = [...awaitingReply, 'accepted'];
/** The committee's two outcomes (K-PROC-e: to be told to the beneficiary). */
export const decidedStatuses: readonly CaseStatus[] = ['accepted', 'rejected'];
/**
 * The work with the beneficiary is over (rejected, closed) or never began (a draft): their file may age
 * towards its retention (L-RETAIN). Every other status keeps the file open.
 */
export const workEndedStatuses: readonly CaseStatus[] = ['draft', 'rejected', 'closed'];

export const isSettled = (status: unknown): boolean => settledStatuses.some((s) => s === status);

/** Is this value (a status as read from a record, unchecked) one of these statuses? */
export const isStatusIn = (statuses: readonly CaseStatus[], status: unknown): boolean =>
  statuses.some((s) => s === status);

const intake: readonly Role[] = ['representative', 'researcher'];
const intakeOpen: readonly CaseStatus[] = ['draft'];

/** The steps of a request, as the case machine names them. */
export const caseStepNames = [
  'opened',
  'receptionDone',
  'serviceChosen',
  'requirementsShared',
  'itemProvided',
  'itemRemoved',
  'verified',
  'referred',
  'declarationSigned',
  'exceptionRecorded',
  'submit',
  'researchStarted',
  'researchCompleted',
  'decided',
  'told',
  'delivered',
  'closed',
  'discarded',
] as const;
export type CaseStepName = (typeof caseStepNames)[number];

/** Who may run each step of a request, and from which statuses. */
export const caseSteps: Record<CaseStepName, { roles: readonly Role[]; from: readonly CaseStatus[] }> = {
  opened: { roles: intake, from: [] },
  receptionDone: { roles: intake, from: intakeOpen },
  serviceChosen: { roles: intake, from: intakeOpen },
  requirementsShared: { roles: intake, from: intakeOpen },
  // Items may still arrive after a submission made under a recorded exception.
  itemProvided: { roles: intake, from: ['draft', ...awaitingReply] },
  itemRemoved: { roles: intake, from: intakeOpen },
  verified: { roles: intake, from: intakeOpen },
  referred: { roles: intake, from: intakeOpen },
  declarationSigned: { roles: intake, from: intakeOpen },
  exceptionRecorded: { roles: intake, from: intakeOpen },
  submit: { roles: intake, from: intakeOpen },
  researchStarted: { roles: ['researcher'], from: ['submitted'] },
  researchCompleted: { roles: ['researcher'], from: ['underResearch'] },
  decided: { roles: ['committee'], from: ['submitted', 'awaitingDecision'] },
  // K-PROC-e: whoever tells the beneficiary records it (the representative, usually).
  told: { roles: fieldStaff, from: decidedStatuses },
  delivered: { roles: intake, from: ['accepted'] },
  closed: { roles: ['representative', 'researcher', 'supervisor'], from: ['delivered', 'rejected'] },
  // A draft opened by mistake (a tap, a duplicate) is discarded with a reason: closed, its number kept.
  discarded: { roles: intake, from: ['draft'] },
};

/** May this role run this step of a request in this status? */
export const mayRunStep = (role: Role, step: CaseStepName, status: CaseStatus): boolean =>
  caseSteps[step].roles.includes(role) && caseSteps[step].from.includes(status);

/** Does this role run any step at all from this status (does the request wait on them)? */
export const hasStepIn = (role: Role, status: CaseStatus): boolean =>
  caseStepNames.some((step) => mayRunStep(role, step, status));

/** May this role open a new request (the step `opened`, which starts from no status)? */
export const mayOpenRequest = (role: Role): boolean => caseSteps.opened.roles.includes(role);

/** Submitted and not yet researched: the statuses from which the social research is still to run (C-PROC-3). */
export const awaitingResearch: readonly CaseStatus[] = [
  ...caseSteps.researchStarted.from,
  ...caseSteps.researchCompleted.from,
];
