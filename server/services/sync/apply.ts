// One mutation of a push, applied inside its transaction: applied (the record changed in the working set, its
// history noted), conflicted (stored for review, server values kept) or rejected (stored, with field errors).
import { isDeepStrictEqual } from 'node:util';
import type { Mutation, PushResult } from '../../../src/protocol/sync';
import { validateEntity } from '../../../src/protocol/validate';
import type { FieldVersion } from '../../store/records-store';
import { recordRejection } from '../../store/sync-store';
import { redact } from '../policy';
import {
  assertMayRecordSensitive,
  assertMayWrite,
  assertOwnStamps,
  assertSameFile,
  branchOf,
  finalEntities,
} from './authorisation';
import { applyStep } from './case-step';
import { answerConflict, conflictingFields } from './conflicts';
import type { PushContext } from './push-context';
import { Rejection } from './rejection';
import { checkAnswer } from './survey-answers';

type Data = Record<string, unknown>;

/** Applies one mutation inside the push transaction; `push.nextVersion` hands out the association's versions. */
export async function apply(push: PushContext, m: Mutation): Promise<PushResult> {
  const { tx, set, auth, clientId, profile, nextVersion, at, history } = push;
  const current = await set.get(m.entity, m.recordId);
  const currentVersion = current === undefined ? 0 : Number(current.version);
  // Destroyed (rights request or retention): a device's late delete is moot; anything else is refused.
  if (current?.purged_at != null && m.op === 'delete')
    return { seq: m.seq, status: 'applied', version: currentVersion };
  const live = current !== undefined && !current.deleted;
  const conflicting = conflictingFields(current, m, clientId);

  try {
    if (current?.purged_at != null)
      throw new Rejection('record_destroyed', 'This record was destroyed and cannot be changed.');
    assertMayRecordSensitive(auth, profile, m.patch);
    if (m.entity === 'case' || m.op === 'event') return await applyStep(push, m, current);
    if (live && finalEntities.has(m.entity))
      throw new Rejection('record_final', `A ${m.entity} once recorded is not changed nor deleted.`);
    const before = live ? (current.data ?? {}) : {};
    if (m.op === 'upsert') assertOwnStamps(auth, m.entity, before, m.patch);
    const merged: Data = m.op === 'delete' ? before : { ...before, ...m.patch };
    if (m.op === 'upsert') await assertSameFile(set, m.entity, merged);
    const branchId = live && m.op === 'delete' ? current.branch_id : await branchOf(set, m.entity, merged);
    assertMayWrite(auth, {
      entity: m.entity,
      branchId,
      data: merged,
      currentBranchId: live ? current.branch_id : undefined,
    });

    if (conflicting.length > 0) return await answerConflict(push, m, current, conflicting);

    if (m.op === 'delete') {
      if (!live) return { seq: m.seq, status: 'applied', version: currentVersion };
      const version = nextVersion();
      set.put(m.entity, m.recordId, { ...current, version, deleted: true, data: null });
      history.push({ entity: m.entity, record_id: m.recordId, version, op: 'delete', changes: {} });
      return { seq: m.seq, status: 'applied', version };
    }

    const valid = validateEntity(m.entity, merged, profile);
    if (!valid.ok) throw new Rejection('validation_failed', 'The record is not valid.', valid.errors);
    if (m.entity === 'survey_response') {
      valid.value = (await checkAnswer(push, valid.value)) as typeof valid.value;
    }

    // Only what is stored is a change (a spent ballot travels with an answer but is never kept).
    const stored: Data = valid.value;
    const changed = Object.keys(m.patch).filter(
      (f) => f in stored && (!live || !isDeepStrictEqual(before[f], m.patch[f])),
    );
    if (live && changed.length === 0) return { seq: m.seq, status: 'applied', version: currentVersion };
    const version = nextVersion();
    const fieldVersions: Record<string, FieldVersion> = {
      ...(live ? current.field_versions : {}),
      ...Object.fromEntries(changed.map((f) => [f, { v: version, c: clientId }])),
    };
    set.put(m.entity, m.recordId, {
      branch_id: branchId,
      version,
      deleted: false,
      data: valid.value,
      field_versions: fieldVersions,
      purged_at: null,
    });
    history.push({
      entity: m.entity,
      record_id: m.recordId,
      version,
      op: live ? 'update' : 'create',
      changes: Object.fromEntries(
        changed.map((f) => [f, { before: live ? (before[f] ?? null) : null, after: m.patch[f] ?? null }]),
      ),
    });
    return { seq: m.seq, status: 'applied', version };
  } catch (error) {
    if (!(error instanceof Rejection)) throw error;
    const rejection = { code: error.code, message: error.message, fields: error.fields };
    await recordRejection(tx, {
      clientId,
      seq: m.seq,
      associationId: auth.aid,
      entity: m.entity,
      recordId: m.recordId,
      error: rejection,
      at,
    });
    if (m.op !== 'event') return { seq: m.seq, status: 'rejected', error: rejection };
    const held = live && current.data !== null ? redact(auth, profile, current.data) : null;
    return {
      seq: m.seq,
      status: 'rejected',
      error: rejection,
      current: { version: currentVersion, data: held },
    };
  }
}
