// Who may write which records, and where a record belongs (its branch). One place, so the push endpoint
// and, later, every other route decide alike. Issue 5 extends this into the full authorization policy.
import type { Role } from '../../src/protocol/auth';
import type { EntityName } from '../../src/protocol/entities';

const fieldStaff: readonly Role[] = ['representative', 'researcher', 'supervisor', 'committee'];

/** The roles that may create or change each entity. Admins administer; they do not handle beneficiaries. */
export const writeRoles: Record<EntityName, readonly Role[]> = {
  beneficiary: fieldStaff,
  household_member: fieldStaff,
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
  policy_acknowledgement: ['representative', 'researcher', 'committee', 'supervisor', 'admin'],
  holiday: ['admin', 'supervisor'],
};

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

/** Roles whose reach is one branch; the others see the whole association. */
export const branchBound: readonly Role[] = ['representative', 'researcher'];

/**
 * The SQL condition on `records.branch_id` for what a user may read, with its parameters numbered from
 * `firstParam`: branch-bound roles see their branch and the association-wide records, admins only the
 * association-wide ones, everyone else the whole association.
 */
export function readableBranches(
  auth: { role: Role; bid: string | null },
  firstParam: number,
): { sql: string; params: unknown[] } {
  if (auth.role === 'admin') return { sql: 'AND branch_id IS NULL', params: [] };
  if (branchBound.includes(auth.role))
    return { sql: `AND (branch_id = $${firstParam} OR branch_id IS NULL)`, params: [auth.bid] };
  return { sql: '', params: [] };
}
