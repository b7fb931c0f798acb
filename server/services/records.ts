// Records arriving from devices are validated here with the app's own schemas and domain rules
// (src/protocol/validate.ts) against the association's profile: one source of truth for both sides.
import { profileOf } from '../../src/domain/profiles/associations';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import type { EntityName } from '../../src/protocol/entities';
import { ErrorCode } from '../../src/protocol/errors';
import { validateEntity, type Validation } from '../../src/protocol/validate';
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

/** Validates one incoming record of an association: the same function the app's forms run. */
export async function validateIncoming(
  db: Queryable,
  associationId: string,
  entity: EntityName,
  data: unknown,
): Promise<Validation<unknown>> {
  return validateEntity(entity, data, await profileOfAssociation(db, associationId));
}
