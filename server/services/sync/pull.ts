// Pull (sync protocol v1, docs/sync.md): every change the user may see with a version after the cursor, each
// record once at its latest version, and the page on the audit record as one range with its scope.
import { ErrorCode } from '../../../src/protocol/errors';
import {
  decodeCursor,
  encodeCursor,
  MAX_PULL_LIMIT,
  type Change,
  type PullResponse,
} from '../../../src/protocol/sync';
import { appendPullRange, auditWho } from '../../store/audit-store';
import type { Queryable } from '../../store/db';
import { pullPage } from '../../store/records-store';
import { ensureCounter } from '../../store/versions';
import type { AuthContext } from '../auth-service';
import { ServiceError } from '../errors';
import { hiddenEntities, isSensitiveDocument, maySeeSensitive, readableBranches, redact } from '../policy';
import { currentProfile } from '../records';
import { pullScope } from './authorisation';

/** One page of changes for `auth` after `cursor`, at most `limit` (within MAX_PULL_LIMIT). */
export async function pull({
  db,
  now,
  auth,
  cursor,
  limit,
}: {
  db: Queryable;
  now: () => number;
  auth: AuthContext;
  cursor: string | undefined;
  limit: number;
}): Promise<PullResponse> {
  const from = decodeCursor(cursor);
  if (from === null) throw new ServiceError(ErrorCode.invalidRequest, 'Unknown cursor.');
  const after = from.version;
  const take = Math.min(Math.max(1, limit), MAX_PULL_LIMIT);
  const scope = readableBranches(auth, 4);
  const hidden = hiddenEntities(auth, 4 + scope.params.length);
  const read = () => pullPage(db, { associationId: auth.aid, after, limit: take + 1, scope, hidden });
  let { head: state, rows } = await read();
  if (state === undefined) {
    // Before the association's first change its counter does not exist yet: its epoch starts here.
    await ensureCounter(db, auth.aid);
    ({ head: state, rows } = await read());
  }
  if (state === undefined) throw new Error('the association has no version counter after creating it');
  const { version: head, epoch, v1Epoch, profileVersion } = state;
  // A cursor of another epoch, or from the future, was made before the data was restored from a backup
  // (its version numbers have been handed out again since, or not yet); one from before the user's role
  // or branch changed was made for another scope.
  const restored =
    (from.epoch === null ? after > 0 && v1Epoch !== epoch : from.epoch !== epoch) || after > head;
  if (restored || (after > 0 && after < (auth.scopeSince ?? 0)))
    throw new ServiceError(
      ErrorCode.resyncRequired,
      'The server has no record of this cursor: sync again from the start.',
      undefined,
      // Restored: the device also asks whether the server still has what it sent (engine.ts).
      { reason: restored ? 'restored' : 'scope' },
    );

  const { profile } = await currentProfile(db, auth.aid, profileVersion);
  const hasMore = rows.length > take;
  const sensitiveToo = maySeeSensitive(auth, profile);
  const changes: Change[] = [];
  for (const r of rows.slice(0, take)) {
    const change: Change = {
      entity: r.entity,
      recordId: r.record_id,
      version: Number(r.version),
      deleted: r.deleted,
      data: r.deleted ? null : r.data,
    };
    if (r.purged) change.purged = true;
    // A sensitive document (a medical report) is not sent at all to a role that may not see it.
    if (!sensitiveToo && isSensitiveDocument(profile, r.entity, r.data)) continue;
    if (change.data !== null) change.data = redact(auth, profile, change.data);
    changes.push(change);
  }
  // What this device now holds, on the record (L-BREACH): the page as one range, with its scope.
  await appendPullRange(db, auditWho(auth, new Date(now())), {
    firstVersion: changes[0]?.version ?? 0,
    lastVersion: changes.at(-1)?.version ?? 0,
    snapshotVersion: head,
    count: changes.length,
    ...pullScope(scope, hidden),
    sensitiveToo,
    sensitiveIds: profile.sensitive.fields,
  });
  const lastReturned = Number(rows.slice(0, take).at(-1)?.version ?? after);
  // Nothing more to see: the cursor moves to the head, past changes of other branches too.
  const lastVersion = hasMore ? lastReturned : Math.max(after, head, lastReturned);
  return { changes, cursor: encodeCursor(lastVersion, epoch), hasMore };
}
