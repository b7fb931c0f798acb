// Who may write and read what over sync, as the push and pull apply it: the branch a record belongs to, the
// policy's write decision (policy.ts) turned into a rejection, the stamps a writer must sign in their own
// name, the records that are final once written, and the scope a pull read with for its audit.
import { isDeepStrictEqual } from 'node:util';
import type { PolicyProfile } from '../../../src/domain/profiles/profile';
import type { EntityName } from '../../../src/protocol/entities';
import { ErrorCode } from '../../../src/protocol/errors';
import type { AuthContext } from '../auth-service';
import { branchSource, maySeeSensitive, mayWrite } from '../policy';
import { Rejection } from './rejection';
import type { WorkingSet } from './working-set';

type Data = Record<string, unknown>;

/**
 * Records that are documents of what happened, signed by their author: once stored, nobody changes or deletes
 * them over sync (a decision, a research report, a notification, a contact, a satisfaction answer). Only
 * the rights and retention services destroy them, on the record.
 */
export const finalEntities: ReadonlySet<EntityName> = new Set([
  'decision',
  'research_report',
  'notification',
  'interaction',
  'survey_response',
]);

/** The field of each entity that names the user who wrote it (a signature of sorts). */
const stampFields: Partial<Record<EntityName, string>> = {
  decision: 'by',
  research_report: 'by',
  notification: 'by',
  interaction: 'by',
};

/** The branch a record belongs to, from its own data or its parent's; null for the whole association. */
export async function branchOf(set: WorkingSet, entity: EntityName, data: Data): Promise<string | null> {
  const source = branchSource[entity];
  if (source.kind === 'association') return null;
  if (source.kind === 'own') {
    if (typeof data.branchId !== 'string') return null;
    // One of the association's own branches: a made-up one would hide the record from every branch.
    if (!(await set.branches()).has(data.branchId))
      throw new Rejection('validation_failed', 'No such branch in this association.', [
        { path: 'branchId', code: 'branch_unknown' },
      ]);
    return data.branchId;
  }
  for (const parent of source.parents) {
    const parentId = data[parent.field];
    if (typeof parentId !== 'string') continue;
    const row = await set.get(parent.entity, parentId);
    if (row === undefined || row.deleted) {
      throw new Rejection('parent_not_found', `No ${parent.entity} ${parentId}.`, [
        { path: parent.field, code: 'parent_not_found' },
      ]);
    }
    return row.branch_id;
  }
  return null;
}

/** The policy's write decision (policy.ts mayWrite), a denial thrown as the mutation's rejection. */
export function assertMayWrite(
  auth: AuthContext,
  write: {
    entity: EntityName;
    branchId: string | null;
    data: Data;
    /** The branch of the record as stored, when it exists. */
    currentBranchId: string | null | undefined;
  },
) {
  const denial = mayWrite(auth, write.entity, write.branchId, write.data, write.currentBranchId);
  if (denial !== null)
    throw new Rejection(
      denial.code,
      denial.message,
      denial.field === undefined ? [] : [{ path: denial.field, code: 'forbidden' }],
    );
}

/** L-SENSITIVE: only the roles that may see the sensitive fields may record them. */
export function assertMayRecordSensitive(auth: AuthContext, profile: PolicyProfile, patch: Data) {
  if ('sensitive' in patch && !maySeeSensitive(auth, profile))
    throw new Rejection(ErrorCode.forbidden, 'Your role may not record sensitive fields.', [
      { path: 'sensitive', code: 'forbidden' },
    ]);
}

/**
 * A stamp a caller writes (who decided, reported, notified, recorded consent) names the caller: a device may
 * not write a record in another user's name. Only a stamp the change sets or alters is judged.
 */
export function assertOwnStamps(auth: AuthContext, entity: EntityName, before: Data, patch: Data) {
  const changed = (field: string) => field in patch && !isDeepStrictEqual(before[field], patch[field]);
  const stampField = stampFields[entity];
  if (stampField !== undefined && changed(stampField) && patch[stampField] !== auth.sub)
    throw new Rejection('stamp_not_caller', 'A record may be signed only in its author’s own name.', [
      { path: stampField, code: 'stamp_not_caller' },
    ]);
  if (entity === 'complaint') assertComplaintStamps(auth, before, patch);
  // A national ID is corrected, never silently changed: the correction says from what, why, and by whom.
  if (entity === 'beneficiary' && typeof before.nationalId === 'string' && changed('nationalId')) {
    const correction = patch.idCorrection as { from?: unknown; by?: unknown; reason?: unknown } | undefined;
    if (
      correction?.from !== before.nationalId ||
      typeof correction.reason !== 'string' ||
      correction.reason.trim() === ''
    )
      throw new Rejection('id_correction_required', 'A national ID is changed only by a correction.', [
        { path: 'nationalId', code: 'id_correction_required' },
      ]);
    if (correction.by !== auth.sub)
      throw new Rejection('stamp_not_caller', 'A correction is recorded in the name of who made it.', [
        { path: 'idCorrection.by', code: 'stamp_not_caller' },
      ]);
  }
  if (entity === 'beneficiary' && changed('consent')) {
    const consent = patch.consent as { recordedBy?: unknown } | null | undefined;
    if (consent != null && consent.recordedBy !== auth.sub)
      throw new Rejection('stamp_not_caller', 'Consent is recorded in the name of who took it.', [
        { path: 'consent.recordedBy', code: 'stamp_not_caller' },
      ]);
  }
}

/**
 * K-CMPL-a..c: the follow-up unit's handling is a log — earlier entries stay as written, each new one names
 * its writer — and the resolution names who settled or escalated the complaint.
 */
function assertComplaintStamps(auth: AuthContext, before: Data, patch: Data) {
  const refuse = (path: string) => {
    throw new Rejection('stamp_not_caller', 'A complaint is handled only in the handler’s own name.', [
      { path, code: 'stamp_not_caller' },
    ]);
  };
  const byOf = (entry: unknown) =>
    typeof entry === 'object' && entry !== null && 'by' in entry ? entry.by : undefined;
  if ('handling' in patch && Array.isArray(patch.handling)) {
    const earlier = Array.isArray(before.handling) ? before.handling : [];
    const kept = patch.handling.slice(0, earlier.length);
    if (kept.length < earlier.length || !isDeepStrictEqual(kept, earlier)) refuse('handling');
    patch.handling.slice(earlier.length).forEach((entry: unknown, i) => {
      if (byOf(entry) !== auth.sub) refuse(`handling.${earlier.length + i}.by`);
    });
  }
  if (
    'resolution' in patch &&
    patch.resolution != null &&
    !isDeepStrictEqual(before.resolution, patch.resolution)
  )
    if (byOf(patch.resolution) !== auth.sub) refuse('resolution.by');
}

/**
 * A document, a signature or a notification of a request belongs to that request's beneficiary: a record
 * naming a request of another file (even one of the writer's own branch) is refused, so that nothing can be
 * planted on a request from outside it.
 */
export async function assertSameFile(set: WorkingSet, entity: EntityName, data: Data) {
  if ((entity !== 'attachment' && entity !== 'notification') || typeof data.caseId !== 'string') return;
  const request = await set.data('case', data.caseId);
  if (request === null)
    throw new Rejection('parent_not_found', `No case ${data.caseId}.`, [
      { path: 'caseId', code: 'parent_not_found' },
    ]);
  if (data.beneficiaryId != null && request.beneficiaryId !== data.beneficiaryId)
    throw new Rejection('parent_mismatch', 'The request belongs to another beneficiary.', [
      { path: 'caseId', code: 'parent_mismatch' },
    ]);
}

/**
 * The scope a pull read with, for its audit range, from the very values its SQL read with (readableBranchIds;
 * hiddenEntities: the entities, then the caller).
 */
export function pullScope(
  branches: readonly (string | null)[] | null,
  hidden: { params: unknown[] },
): { branches: readonly (string | null)[] | null; hiddenEntities: string[] } {
  const entities = hidden.params[0];
  return {
    branches,
    hiddenEntities: Array.isArray(entities) ? entities.filter((e): e is string => typeof e === 'string') : [],
  };
}
