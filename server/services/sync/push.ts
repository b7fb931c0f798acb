// Push (sync protocol v1, docs/sync.md): one transaction per request, under the association's advisory lock.
// Mutations are applied in seq order; a seq already applied is a harmless duplicate, a gap is refused, and
// `last_seq` moves in the same transaction as the data, so a retried request (after a lost response or a
// crash) never applies twice. Every mutation ends applied, conflicted or rejected; conflicted and rejected
// ones still advance `last_seq`, so a queue never blocks.
import { ErrorCode } from '../../../src/protocol/errors';
import type { PushRequest, PushResponse, PushResult } from '../../../src/protocol/sync';
import { appendAudit, auditWho, type AuditEntry } from '../../store/audit-store';
import type { Db } from '../../store/db';
import { appendHistory, type HistoryEntry } from '../../store/history-store';
import { lockClient, saveLastSeq } from '../../store/sync-store';
import { takeVersions } from '../../store/versions';
import type { AuthContext } from '../auth-service';
import { ServiceError } from '../errors';
import { holdsSensitive } from '../policy';
import { currentProfile } from '../records';
import { apply } from './apply';
import type { PushContext } from './push-context';
import { replay } from './replay';
import { createWorkingSet } from './working-set';

/** A push refused as a whole: the client must resend from `expectedSeq`. */
export class SeqGapError extends ServiceError {
  constructor(readonly expectedSeq: number) {
    super(ErrorCode.seqGap, `Mutations must continue at seq ${expectedSeq}.`, undefined, { expectedSeq });
  }
}

/** Applies a push request of `auth`'s client, at `at`, in one transaction of `db`. */
export async function push({
  db,
  auth,
  request,
  at,
}: {
  db: Db;
  auth: AuthContext;
  request: PushRequest;
  at: Date;
}): Promise<PushResponse> {
  const { profile, version: profileVersion } = await currentProfile(db, auth.aid);
  return db.transaction(async (tx) => {
    // Taken first and held to commit: versions are handed out in commit order.
    const versions = await takeVersions(tx, auth.aid);

    // The client's row, created on its first push and locked to commit (the upsert takes the lock).
    const client = await lockClient(tx, {
      clientId: request.clientId,
      associationId: auth.aid,
      userId: auth.sub,
      at,
    });
    if (client === undefined) throw new Error('sync client row missing after insert');
    if (client.association_id !== auth.aid || client.user_id !== auth.sub) {
      throw new ServiceError(ErrorCode.forbidden, 'This client id belongs to another user.');
    }
    let last = Number(client.last_seq);

    // New mutations must continue the sequence without a gap, in order.
    const fresh = request.mutations.filter((m) => m.seq > last);
    fresh.forEach((m, i) => {
      if (m.seq !== last + 1 + i) throw new SeqGapError(last + 1);
    });

    const working = createWorkingSet(tx, auth.aid);
    await working.prefetch(fresh);
    const results: PushResult[] = [];
    const written: AuditEntry[] = [];
    const history: HistoryEntry[] = [];
    const context: PushContext = {
      tx,
      set: working.set,
      auth,
      clientId: request.clientId,
      profile,
      profileVersion,
      nextVersion: versions.next,
      at,
      history,
    };
    for (const m of request.mutations) {
      if (m.seq <= last) {
        results.push(await replay(context, m.seq));
        continue;
      }
      const result = await apply(context, m);
      results.push(result);
      if (result.status === 'applied')
        written.push({
          entity: m.entity,
          recordId: m.recordId,
          version: result.version,
          sensitive: m.op === 'upsert' && holdsSensitive(profile, m.entity, m.patch),
        });
      last = m.seq;
    }
    await working.flush(auth.sub, at);
    await appendAudit(tx, auditWho(auth, at), 'write', written);
    await appendHistory(tx, auditWho(auth, at), history);

    await versions.save();
    await saveLastSeq(tx, request.clientId, last, at);
    return { lastAppliedSeq: last, results };
  });
}
