// Push (sync protocol v1, docs/sync.md): one transaction per request, under the association's lock (its
// version counter's row, sync-store.ts's openPush), in three statements whatever the number of mutations.
// Mutations are applied in seq order; a seq already applied is a harmless duplicate, a gap is refused, and
// `last_seq` moves in the same transaction as the data, so a retried request (after a lost response or a
// crash) never applies twice. Every mutation ends applied, conflicted or rejected; conflicted and rejected
// ones still advance `last_seq`, so a queue never blocks.
import { ErrorCode } from '../../../src/protocol/errors';
import type { PushRequest, PushResponse, PushResult } from '../../../src/protocol/sync';
import { auditWho, type AuditEntry } from '../../store/audit-store';
import type { Db } from '../../store/db';
import type { HistoryEntry } from '../../store/history-store';
import { commitPush, openPush } from '../../store/sync-store';
import { versionCounter } from '../../store/versions';
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
  return db.transaction(async (tx) => {
    // Taken first and held to commit: versions are handed out in commit order. Then the client's row, created
    // on its first push and locked to commit too. The profile version and the branch ids come with them, as
    // they stood when the statement started; the records are read after it, so they are the latest.
    const opened = await openPush(tx, {
      clientId: request.clientId,
      associationId: auth.aid,
      userId: auth.sub,
      at,
    });
    if (opened.associationId !== auth.aid || opened.userId !== auth.sub) {
      throw new ServiceError(ErrorCode.forbidden, 'This client id belongs to another user.');
    }
    const versions = versionCounter(tx, auth.aid, opened.version);
    const { profile, version: profileVersion } = await currentProfile(tx, auth.aid, opened.profileVersion);
    let last = opened.lastSeq;

    // New mutations must continue the sequence without a gap, in order.
    const fresh = request.mutations.filter((m) => m.seq > last);
    fresh.forEach((m, i) => {
      if (m.seq !== last + 1 + i) throw new SeqGapError(last + 1);
    });

    const working = createWorkingSet(tx, auth.aid, new Set(opened.branchIds));
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
    await commitPush(tx, {
      who: { ...auditWho(auth, at), userId: auth.sub },
      records: working.written(),
      audit: written,
      history,
      version: versions.current,
      clientId: request.clientId,
      lastSeq: last,
    });
    return { lastAppliedSeq: last, results };
  });
}
