// A named step of a request over sync (docs/named-steps.md): the case machine runs again here, on the request
// the server holds, in a context the server builds; what it returns is stored, and a refusal names its guard.
import { isDeepStrictEqual } from 'node:util';
import type { Request } from '../../../src/domain/case-machine';
import { noticeOf } from '../../../src/domain/privacy-notice';
import { riyadhDate } from '../../../src/domain/working-days';
import { caseSchema } from '../../../src/protocol/entities';
import type { Mutation, PushResult } from '../../../src/protocol/sync';
import { validateEntity } from '../../../src/protocol/validate';
import type { RecordRow } from '../../store/records-store';
import { issueBallot } from '../../store/sync-store';
import { runStep } from '../case-steps';
import { profileAtVersion } from '../records';
import { assertMayWrite, branchOf } from './authorisation';
import type { PushContext } from './push-context';
import { Rejection } from './rejection';

type Data = Record<string, unknown>;

/** Applies a step of request `m.recordId` (`current`: the request as held, if it is). */
export async function applyStep(
  { tx, set, auth, clientId, profile: inForce, profileVersion, nextVersion, at, history }: PushContext,
  m: Mutation,
  current: RecordRow | undefined,
): Promise<PushResult> {
  const event = m.event;
  if (m.op !== 'event' || event === undefined)
    throw new Rejection('case_step_required', 'A request changes only by the steps of its procedure.');
  const live = current !== undefined && !current.deleted;
  if (current !== undefined && !live)
    throw new Rejection('case_already_opened', 'This request was removed and cannot change.');
  const stored = live ? caseSchema.safeParse(current.data) : null;
  if (stored?.success === false)
    throw new Rejection('case_unreadable', 'The stored request does not read as a request.');
  const before: Request | null = stored?.data ?? null;
  // A request keeps the rules it was taken under: its own version of the profile, not today's. A new one
  // is opened under the version the device took it under (offline, maybe before a newer one reached it)
  // when the server has that version and it is not newer than the one in force.
  const asked = event.type === 'opened' ? event.profileVersion : undefined;
  const version =
    before !== null
      ? (before.profileVersion ?? 1)
      : asked !== undefined && asked <= profileVersion
        ? asked
        : profileVersion;
  const rules = version === profileVersion ? inForce : await profileAtVersion(tx, auth.aid, version);
  if (rules === undefined)
    throw new Rejection(
      'case_profile_unknown',
      `This association has no profile version ${String(version)}.`,
    );
  const profile = rules;
  const branchId =
    live || event.type !== 'opened'
      ? (current?.branch_id ?? null)
      : await branchOf(set, 'case', { beneficiaryId: event.beneficiaryId });
  assertMayWrite(auth, {
    entity: 'case',
    branchId,
    data: {},
    currentBranchId: live ? current.branch_id : undefined,
  });
  const result = await runStep(
    set,
    {
      auth,
      profile,
      profileVersion: version,
      noticeVersion: noticeOf(inForce).version,
      now: at.getTime(),
      branchId,
    },
    m.recordId,
    before,
    event,
  );
  if (!result.ok)
    throw new Rejection(result.code, `The step ${event.type} is refused: ${result.code}.`, [
      { path: 'event', code: result.code },
    ]);
  const valid = validateEntity('case', result.case, profile);
  if (!valid.ok) throw new Rejection('validation_failed', 'The request is not valid.', valid.errors);
  const after: Data = valid.value;
  const old: Data = live ? (current.data ?? {}) : {};
  const changed = Object.keys(after).filter((f) => before === null || !isDeepStrictEqual(old[f], after[f]));
  if (live && changed.length === 0)
    return { seq: m.seq, status: 'applied', version: Number(current.version) };
  // C-OBJ-6: the delivery issues its one-time ballot, kept apart from the request (no link is stored).
  if (event.type === 'delivered' && event.ballot !== undefined)
    await issueBallot(tx, {
      associationId: auth.aid,
      ballotId: event.ballot,
      branchId,
      serviceTypeId: typeof after.serviceTypeId === 'string' ? after.serviceTypeId : null,
      issuedOn: riyadhDate(at.getTime()),
    });
  const written = nextVersion();
  set.put('case', m.recordId, {
    branch_id: branchId,
    version: written,
    deleted: false,
    data: after,
    field_versions: {
      ...(live ? current.field_versions : {}),
      ...Object.fromEntries(changed.map((f) => [f, { v: written, c: clientId }])),
    },
    purged_at: null,
  });
  history.push({
    entity: 'case',
    record_id: m.recordId,
    version: written,
    op: live ? 'update' : 'create',
    changes: Object.fromEntries(changed.map((f) => [f, { before: old[f] ?? null, after: after[f] ?? null }])),
  });
  return { seq: m.seq, status: 'applied', version: written };
}
