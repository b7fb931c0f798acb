// The authorization policy: who may read and write what (role × association × branch × record), in one
// place that every route and service asks. Reads are scoped in SQL (readableBranches); single decisions
// (a write, an upload) answer with a denial or null. The association is never in question here: every
// query is keyed by the caller's own association id, which comes from their signed token.
import {
  associationAdministrators,
  branchBound,
  dashboardReaders,
  deviceAdministrators,
  fieldStaff,
  mayUploadFiles,
  mayWriteEntity,
  readRoles,
  rightsHandlers,
  type Role,
} from '../../src/domain/permissions';
import { ErrorCode } from '../../src/protocol/errors';
import type { EntityName } from '../../src/protocol/entities';
import type { PolicyProfile } from '../../src/domain/profiles/profile';

// The rules themselves (who writes and reads what, which roles are bound to a branch) are the domain's
// rulebook, shared with the app; this module only turns them into SQL conditions and denials.
export { branchBound, writeRoles } from '../../src/domain/permissions';

type Data = Record<string, unknown>;

/**
 * How an entity finds its branch: its own `branchId`; the branch of the first parent it names (a record
 * naming none is association-wide); or none at all (association-wide).
 */
export type BranchSource =
  | { kind: 'own' }
  | { kind: 'parent'; parents: readonly { field: string; entity: EntityName }[] }
  | { kind: 'association' };

const ofBeneficiary: BranchSource = {
  kind: 'parent',
  parents: [{ field: 'beneficiaryId', entity: 'beneficiary' }],
};
const ofCase: BranchSource = { kind: 'parent', parents: [{ field: 'caseId', entity: 'case' }] };

export const branchSource: Record<EntityName, BranchSource> = {
  beneficiary: { kind: 'own' },
  survey_response: { kind: 'own' },
  household_member: ofBeneficiary,
  case: ofBeneficiary,
  interaction: ofBeneficiary,
  notification: ofBeneficiary,
  research_report: ofCase,
  decision: ofCase,
  attachment: {
    kind: 'parent',
    parents: [
      { field: 'beneficiaryId', entity: 'beneficiary' },
      { field: 'caseId', entity: 'case' },
    ],
  },
  // Complaints may come from anyone, even without a beneficiary record (K-CMPL-a).
  complaint: { kind: 'association' },
  compensation: { kind: 'association' },
  survey: { kind: 'association' },
  policy_acknowledgement: { kind: 'association' },
  holiday: { kind: 'association' },
};

/**
 * The branches whose records a user may read besides the association-wide ones (null: every branch):
 * branch-bound roles their branch, those who do not handle beneficiaries (admins) none, everyone else the
 * whole association.
 */
export function readableBranchIds(auth: { role: Role; bid: string | null }): (string | null)[] | null {
  if (!fieldStaff.includes(auth.role)) return [];
  if (branchBound.includes(auth.role)) return [auth.bid];
  return null;
}

/**
 * readableBranchIds as an SQL condition on `records.branch_id`, with its parameters numbered from
 * `firstParam`.
 */
export function readableBranches(
  auth: { role: Role; bid: string | null },
  firstParam: number,
): { sql: string; params: unknown[] } {
  const branches = readableBranchIds(auth);
  if (branches === null) return { sql: '', params: [] };
  const named = branches.map((_, i) => `branch_id = $${String(firstParam + i)} OR `).join('');
  return { sql: `AND (${named}branch_id IS NULL)`, params: branches };
}

/** readableBranchIds for one record held in memory: may the caller read a record of `branchId`? */
export function mayReadBranch(auth: { role: Role; bid: string | null }, branchId: string | null): boolean {
  const branches = readableBranchIds(auth);
  return branches === null || branchId === null || branches.includes(branchId);
}

/**
 * The SQL condition leaving out what `readRoles` keeps from the caller, numbered from `firstParam`: the
 * caller still sees the records they wrote themselves (the representative who took a complaint keeps
 * seeing it, to tell the complainant).
 */
export function hiddenEntities(
  auth: { role: Role; sub: string },
  firstParam: number,
): { sql: string; params: unknown[] } {
  const hidden = Object.entries(readRoles)
    .filter(([, roles]) => !roles.includes(auth.role))
    .map(([entity]) => entity);
  if (hidden.length === 0) return { sql: '', params: [] };
  return {
    sql: `AND (entity <> ALL($${firstParam}::text[]) OR created_by = $${firstParam + 1})`,
    params: [hidden, auth.sub],
  };
}

/** Who is asking: the claims of a verified access token. */
export interface Caller {
  sub: string;
  role: Role;
  bid: string | null;
}

export interface Denial {
  code: ErrorCode;
  message: string;
  /** The field at fault, when there is one. */
  field?: string;
}

/**
 * May `caller` create or change this record (of `entity`, in `branchId`, with these values)?
 * `currentBranchId` is the branch of the record as stored, when it exists.
 */
export function mayWrite(
  caller: Caller,
  entity: EntityName,
  branchId: string | null,
  data: Data,
  currentBranchId?: string | null,
): Denial | null {
  if (!mayWriteEntity(caller.role, entity))
    return { code: ErrorCode.forbidden, message: `A ${caller.role} may not write ${entity} records.` };
  if (branchBound.includes(caller.role) && branchId !== null && branchId !== caller.bid)
    return { code: ErrorCode.forbidden, message: 'This record belongs to another branch.' };
  if (currentBranchId !== undefined && currentBranchId !== branchId && branchBound.includes(caller.role))
    return {
      code: ErrorCode.forbidden,
      message: 'A record cannot be moved to another branch.',
      field: 'branchId',
    };
  if (entity === 'policy_acknowledgement' && data.userId !== caller.sub)
    return {
      code: ErrorCode.forbidden,
      message: 'An acknowledgement is signed by its own user.',
      field: 'userId',
    };
  return null;
}

/** May `caller` administer the association's devices (list them, revoke a lost one)? Its admin only. */
export function mayAdministerAssociation(caller: Caller): Denial | null {
  return associationAdministrators.includes(caller.role)
    ? null
    : { code: ErrorCode.forbidden, message: "Only the association's administrator does this." };
}

export function mayAdministerDevices(caller: Caller): Denial | null {
  return deviceAdministrators.includes(caller.role)
    ? null
    : { code: ErrorCode.forbidden, message: 'Only an administrator manages devices.' };
}

/**
 * May `caller` read the association's dashboard (its counts and means, no one's personal data)? The
 * supervisors, who follow the work (K-SAT-e/f), and the administrator; field roles may not.
 */
export function mayReadDashboard(caller: Caller): Denial | null {
  return dashboardReaders.includes(caller.role)
    ? null
    : { code: ErrorCode.forbidden, message: 'Only supervisors and administrators read the dashboard.' };
}

/** May `caller` upload attachment files? Those who write attachment records may. */
export function mayUpload(caller: Caller): Denial | null {
  // The administrator uploads the association's library documents (its forms and guides).
  return mayUploadFiles(caller.role)
    ? null
    : { code: ErrorCode.forbidden, message: `A ${caller.role} does not handle documents.` };
}

/**
 * May `caller` read and write the profile's sensitive fields (L-SENSITIVE: health data, "parents unknown")?
 * Only the roles the profile lists: for the others those fields are left out of every record they receive,
 * and a change to them is refused.
 */
export function maySeeSensitive(caller: Caller, profile: PolicyProfile): boolean {
  return profile.sensitive.roles.includes(caller.role);
}

/** Is this record one of the profile's sensitive documents (an attachment for a sensitive requirement)? */
export function isSensitiveDocument(profile: PolicyProfile, entity: EntityName, data: Data | null): boolean {
  return (
    entity === 'attachment' &&
    typeof data?.requirementId === 'string' &&
    profile.sensitive.fields.includes(data.requirementId)
  );
}

/** Does this record hold sensitive data (its sensitive fields, or a sensitive document)? */
export function holdsSensitive(profile: PolicyProfile, entity: EntityName, data: Data | null): boolean {
  if (isSensitiveDocument(profile, entity, data)) return true;
  const fields = data?.sensitive;
  return typeof fields === 'object' && fields !== null && Object.keys(fields).length > 0;
}

/** The record as `caller` may see it: without its sensitive fields, unless their role may see them. */
export function redact(caller: Caller, profile: PolicyProfile, data: Data): Data {
  if (!('sensitive' in data) || maySeeSensitive(caller, profile)) return data;
  return Object.fromEntries(Object.entries(data).filter(([field]) => field !== 'sensitive'));
}

/**
 * May `caller` answer a beneficiary's rights requests (L-RIGHTS: export their data, destroy it)? The
 * association-wide staff who oversee the work with beneficiaries: supervisors and the committee.
 */
export function mayHandleRightsRequests(caller: Caller): Denial | null {
  return rightsHandlers.includes(caller.role)
    ? null
    : {
        code: ErrorCode.forbidden,
        message: "Only a supervisor or the committee handles a beneficiary's rights requests.",
      };
}
