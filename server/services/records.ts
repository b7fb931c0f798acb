// The policy profile an association follows. Records arriving from devices are validated against it with
// the app's own function (src/protocol/validate.ts, called by the sync service): one source of truth.
import { profileOf } from '../../src/domain/profiles/associations';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import { ErrorCode } from '../../src/protocol/errors';
import type { Queryable } from '../store/db';
import { ServiceError } from './errors';

/** The policy profile of an association, or a not_found error when it has none configured. */
export async function profileOfAssociation(db: Queryable, associationId: string): Promise<PolicyProfile> {
  const rows = await db.query<{ profile_code: string | null }>(
    'SELECT profile_code FROM associations WHERE id = $1',
    [associationId],
  );
  const code = rows[0]?.profile_code ?? null;
  const profile = code === null ? undefined : profileOf(code);
  if (profile === undefined)
    throw new ServiceError(ErrorCode.notFound, 'This association has no policy profile configured.');
  return profile;
}
