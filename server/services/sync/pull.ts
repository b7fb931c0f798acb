// Pull (sync protocol v1, docs/sync.md): every change the user may see with a version after the cursor, each
// record once at its latest version, and the page on the audit record as one range with its scope.
import { ErrorCode } from '../../../src/protocol/errors';
import { decodeCursor, encodeCursor, MAX_PULL_LIMIT, type PullResponse } from '../../../src/protocol/sync';
import { appendPullRange, auditWho } from '../../store/audit-store';
import type { Queryable } from '../../store/db';
import { pullPage } from '../../store/records-store';
import { ensureCounter } from '../../store/versions';
import type { AuthContext } from '../auth-service';
import { ServiceError } from '../errors';
import { hiddenEntities, isSensitiveDocument, maySeeSensitive, readableBranchIds, redact } from '../policy';
import { currentProfile } from '../records';
import { pullScope } from './authorisation';

/**
 * One page of changes for `auth` after `cursor`, at most `limit` (within MAX_PULL_LIMIT), as the JSON text of
 * a PullResponse.
 */
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
}): Promise<string> {
  const from = decodeCursor(cursor);
  if (from === null) throw new ServiceError(ErrorCode.invalidRequest, 'Unknown cursor.');
  const after = from.version;
  const take = Math.min(Math.max(1, limit), MAX_PULL_LIMIT);
  const branches = readableBranchIds(auth);
  const hidden = hiddenEntities(auth, 4);
  const read = () => pullPage(db, { associationId: auth.aid, after, limit: take + 1, branches, hidden });
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
  const returned = rows.slice(0, take);
  const sensitiveToo = maySeeSensitive(auth, profile);
  // Each change written as the JSON the device receives, its data passed on as PostgreSQL's text: parsing
  // it only to write it out again was a large part of the server's work for a pull. Data is parsed only
  // where the policy may take something out for this caller: an attachment (a sensitive document?) and data
  // that names "sensitive" (PostgreSQL writes every key as it is, so a key of that name shows as such).
  const changes: string[] = [];
  const versions: number[] = [];
  for (const r of returned) {
    const text = r.deleted ? null : r.data;
    let data = text ?? 'null';
    if (text !== null && !sensitiveToo && (r.entity === 'attachment' || text.includes('"sensitive"'))) {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      // A sensitive document (a medical report) is not sent at all to a role that may not see it.
      if (isSensitiveDocument(profile, r.entity, parsed)) continue;
      data = JSON.stringify(redact(auth, profile, parsed));
    }
    const version = Number(r.version);
    const purged = r.purged ? ',"purged":true' : '';
    changes.push(
      `{"entity":${JSON.stringify(r.entity)},"recordId":${JSON.stringify(r.record_id)},"version":${String(version)},"deleted":${String(r.deleted)},"data":${data}${purged}}`,
    );
    versions.push(version);
  }
  // What this device now holds, on the record (L-BREACH): the page as one range, with its scope.
  await appendPullRange(db, auditWho(auth, new Date(now())), {
    firstVersion: versions[0] ?? 0,
    lastVersion: versions.at(-1) ?? 0,
    snapshotVersion: head,
    count: versions.length,
    ...pullScope(branches, hidden),
    sensitiveToo,
    sensitiveIds: profile.sensitive.fields,
  });
  const lastReturned = Number(returned.at(-1)?.version ?? after);
  // Nothing more to see: the cursor moves to the head, past changes of other branches too.
  const lastVersion = hasMore ? lastReturned : Math.max(after, head, lastReturned);
  const page: Omit<PullResponse, 'changes'> = { cursor: encodeCursor(lastVersion, epoch), hasMore };
  return `{"changes":[${changes.join(',')}],${JSON.stringify(page).slice(1)}`;
}
