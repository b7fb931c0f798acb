// The association's policy profile on the wire: GET /api/v1/profile answers the version in force (or the
// version asked for), PUT /api/v1/admin/profile saves a new one on the version it was edited from.
import * as z from 'zod/mini';
import { profileSchema } from '../domain/profiles/profile';

export const versionedProfileSchema = z.object({
  version: z.number().check(z.int(), z.positive()),
  profile: profileSchema,
});
export type VersionedProfileBody = z.infer<typeof versionedProfileSchema>;

export const putProfileSchema = z.object({
  baseVersion: z.number().check(z.int(), z.positive()),
  profile: profileSchema,
});
export type PutProfileRequest = z.infer<typeof putProfileSchema>;
