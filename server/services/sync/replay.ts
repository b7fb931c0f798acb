// A mutation a push sees again (its seq was applied before, its answer lost): answered as the first time, a
// conflict or a rejection repeated with the record as held now, and nothing the caller may no longer read.
import type { PushResult } from '../../../src/protocol/sync';
import { findConflict, findRejection } from '../../store/sync-store';
import { mayReadBranch, redact } from '../policy';
import type { PushContext } from './push-context';

/** The answer to the mutation `seq` of the push's client, seen before. */
export async function replay(
  { tx, set, auth, profile, clientId }: Pick<PushContext, 'tx' | 'set' | 'auth' | 'profile' | 'clientId'>,
  seq: number,
): Promise<PushResult> {
  const refusal = await findRejection(tx, clientId, seq);
  if (refusal !== undefined && refusal.entity === 'case') {
    // A refused step sent again (its first answer was lost): the request as held, as the first answer had.
    const held = await set.get('case', refusal.record_id);
    // A request the caller may no longer read (moved to another branch since) is not sent back.
    const data =
      held === undefined || held.deleted || held.data === null || !mayReadBranch(auth, held.branch_id)
        ? null
        : redact(auth, profile, held.data);
    return {
      seq,
      status: 'duplicate',
      error: refusal.error,
      current: { version: held === undefined ? 0 : Number(held.version), data },
    };
  }
  if (refusal !== undefined) return { seq, status: 'duplicate', error: refusal.error };
  const c = await findConflict(tx, clientId, seq);
  if (c === undefined) return { seq, status: 'duplicate' };
  const current = await set.get(c.entity, c.record_id);
  // A record the caller may no longer read: its conflict is moot, and its values are not sent.
  if (current !== undefined && !mayReadBranch(auth, current.branch_id)) return { seq, status: 'duplicate' };
  return {
    seq,
    status: 'duplicate',
    conflict: {
      fields: c.fields,
      serverVersion: Number(c.server_version),
      server: redact(auth, profile, current?.data ?? {}),
      attempted: c.attempted,
    },
  };
}
