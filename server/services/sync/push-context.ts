// What every mutation of one push is applied with (sync/push.ts): its transaction, records, caller, clock
// and log.
import type { PolicyProfile } from '../../../src/domain/profiles/profile';
import type { Queryable } from '../../store/db';
import type { HistoryEntry } from '../../store/history-store';
import type { AuthContext } from '../auth-service';
import type { WorkingSet } from './working-set';

export interface PushContext {
  tx: Queryable;
  set: WorkingSet;
  auth: AuthContext;
  clientId: string;
  profile: PolicyProfile;
  /** The version of `profile`: the one a request opened now is opened under. */
  profileVersion: number;
  /** Hands out the association's next version. */
  nextVersion: () => number;
  /** The server's clock for this push. */
  at: Date;
  /** The field changes of this push, for the record history. */
  history: HistoryEntry[];
}
