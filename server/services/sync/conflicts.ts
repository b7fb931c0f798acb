// Field-level conflicts of a push: which fields of a mutation another client changed on the server since the
// mutation's base version, and the conflict answered (and stored for review) with the server's values kept.
import { isDeepStrictEqual } from 'node:util';
import type { Mutation, PushResult } from '../../../src/protocol/sync';
import type { RecordRow } from '../../store/records-store';
import { recordConflict } from '../../store/sync-store';
import { redact } from '../policy';
import type { PushContext } from './push-context';

/**
 * The fields of `m` that conflict with the record as held (`current`). A field conflicts when ANOTHER client
 * changed it after the mutation's base version and this one changes it differently: this client's own earlier
 * mutations are not concurrent with it (they were made before it, on the same device).
 */
export function conflictingFields(current: RecordRow | undefined, m: Mutation, clientId: string): string[] {
  const currentVersion = current === undefined ? 0 : Number(current.version);
  const live = current !== undefined && !current.deleted;
  const changedSince = (field: string) => {
    const fv = current?.field_versions[field];
    return fv !== undefined && fv.v > m.baseVersion && fv.c !== clientId;
  };
  if (m.op === 'delete')
    return live && currentVersion > m.baseVersion
      ? Object.keys(current.field_versions).filter(changedSince)
      : [];
  if (current?.deleted === true && m.baseVersion < currentVersion) return ['(deleted)'];
  return Object.keys(m.patch).filter(
    (f) => changedSince(f) && !isDeepStrictEqual(current?.data?.[f], m.patch[f]),
  );
}

/** Stores the conflict of `m` for review and answers it: the server's values are kept. */
export async function answerConflict(
  { tx, auth, clientId, profile, at }: PushContext,
  m: Mutation,
  current: RecordRow | undefined,
  fields: string[],
): Promise<PushResult> {
  const serverVersion = current === undefined ? 0 : Number(current.version);
  await recordConflict(tx, {
    associationId: auth.aid,
    clientId,
    seq: m.seq,
    entity: m.entity,
    recordId: m.recordId,
    baseVersion: m.baseVersion,
    serverVersion,
    fields,
    attempted: m.patch,
    at,
  });
  return {
    seq: m.seq,
    status: 'conflict',
    conflict: {
      fields,
      serverVersion,
      server: redact(auth, profile, current?.data ?? {}),
      attempted: m.patch,
    },
  };
}
