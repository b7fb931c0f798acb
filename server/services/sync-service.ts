// Push and pull of the sync protocol v1 (ARCHITECTURE.md, docs/sync.md), one job per file under sync/:
//
// - sync/push.ts: the push transaction (seq order, duplicates, gaps, `last_seq`, audit and history);
// - sync/apply.ts: one mutation applied, conflicted or rejected; sync/case-step.ts: a request's named step;
// - sync/working-set.ts: the records a push reads and writes, in memory for its transaction;
// - sync/conflicts.ts: field-level conflicts; sync/replay.ts: a mutation seen before, answered again;
// - sync/authorisation.ts: branches, write decisions and stamps; sync/survey-answers.ts: satisfaction answers;
// - sync/pull.ts: every change the user may see after the cursor, each record once at its latest version.
//
// The SQL is in server/store/records-store.ts and server/store/sync-store.ts.
import type { PushRequest, PushResponse } from '../../src/protocol/sync';
import type { Db } from '../store/db';
import type { AuthContext } from './auth-service';
import { pull } from './sync/pull';
import { push } from './sync/push';

export { SeqGapError } from './sync/push';

export interface SyncDeps {
  db: Db;
  now: () => number;
}

export function createSyncService({ db, now }: SyncDeps) {
  return {
    push(auth: AuthContext, request: PushRequest): Promise<PushResponse> {
      return push({ db, auth, request, at: new Date(now()) });
    },

    /** The page as the JSON text of a PullResponse (protocol/sync.ts; written by sync/pull.ts). */
    pull(auth: AuthContext, cursor: string | undefined, limit: number): Promise<string> {
      return pull({ db, now, auth, cursor, limit });
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
