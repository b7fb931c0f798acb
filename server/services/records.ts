// The policy profile an association follows: its own data, versioned in association_profiles. Records
// arriving from devices are validated against it with the app's own function (src/protocol/validate.ts,
// called by the sync service): one source of truth.
import { DEFAULT_TEMPLATE, profileFromTemplate, templates } from '../../src/domain/profiles/associations';
import { profileSchema, type PolicyProfile } from '../../src/domain/profiles/profile';
import { ErrorCode } from '../../src/protocol/errors';
import type { Queryable } from '../store/db';
import * as store from '../store/profile-store';
import { ServiceError } from './errors';

export interface VersionedProfile {
  version: number;
  profile: PolicyProfile;
}

/** Versions never change once written: each is read from the database once per process. */
const versions = new Map<string, PolicyProfile>();
const key = (associationId: string, version: number) => `${associationId}/${String(version)}`;

/**
 * Version 1 of an association that has none yet: the template it was created with (profile_code), or the
 * neutral common text. Concurrent first reads race harmlessly: one insert wins, the other does nothing.
 */
async function seedFirstVersion(db: Queryable, associationId: string): Promise<void> {
  const association = await store.associationTemplate(db, associationId);
  if (association === undefined) throw new ServiceError(ErrorCode.notFound, 'No such association.');
  const template = templates[association.profile_code ?? DEFAULT_TEMPLATE] ?? templates[DEFAULT_TEMPLATE];
  if (template === undefined) throw new Error('The default template is missing.');
  const profile = profileFromTemplate(template, {
    code: association.code,
    nameAr: association.name_ar,
    nameEn: association.name_en,
  });
  await store.insertFirstVersion(db, associationId, profile, [
    `template:${association.profile_code ?? DEFAULT_TEMPLATE}`,
  ]);
}

function parsed(associationId: string, version: number, data: unknown): PolicyProfile {
  const cached = versions.get(key(associationId, version));
  if (cached !== undefined) return cached;
  const profile = profileSchema.parse(data);
  versions.set(key(associationId, version), profile);
  return profile;
}

/**
 * The association's profile in force now, with its version. `latest` is that version when the caller has
 * read it already, in a statement of its own (null: the association has none yet).
 */
export async function currentProfile(
  db: Queryable,
  associationId: string,
  latest?: number | null,
): Promise<VersionedProfile> {
  let version = latest === undefined ? await store.latestVersion(db, associationId) : latest;
  if (version === null) {
    await seedFirstVersion(db, associationId);
    version = await store.latestVersion(db, associationId);
  }
  const profile = version === null ? undefined : await profileAtVersion(db, associationId, version);
  if (version === null || profile === undefined)
    throw new ServiceError(ErrorCode.notFound, 'This association has no policy profile.');
  return { version, profile };
}

/** One version of the association's profile; undefined when there is no such version. */
export async function profileAtVersion(
  db: Queryable,
  associationId: string,
  version: number,
): Promise<PolicyProfile | undefined> {
  const cached = versions.get(key(associationId, version));
  if (cached !== undefined) return cached;
  const row = await store.versionOf(db, associationId, version);
  return row === undefined ? undefined : parsed(associationId, version, row.profile);
}

/** The policy profile of an association in force now. */
export async function profileOfAssociation(db: Queryable, associationId: string): Promise<PolicyProfile> {
  return (await currentProfile(db, associationId)).profile;
}
