// What the association's administrator reads (K-RESP, devices): the staff with their sign-off of the current
// policy version, and the devices. Administrators only; supervisors and field roles are refused.
import * as z from 'zod/mini';
import { roleSchema } from './auth';

export const STAFF_PATH = '/api/v1/admin/staff';
export const DEVICES_PATH = '/api/v1/admin/devices';

export const staffResponseSchema = z.object({
  /** The policy version every member of staff is to sign (the association's profile). */
  policyVersion: z.string(),
  /** Whether the association's policy asks its staff to sign it (K-RESP). */
  signOffRequired: z.boolean(),
  staff: z.array(
    z.object({
      id: z.string(),
      username: z.string(),
      name: z.string(),
      role: roleSchema,
      branch: z.nullable(z.object({ ar: z.string(), en: z.string() })),
      disabled: z.boolean(),
      /** When they signed the current version; null while they have not. */
      signedAt: z.nullable(z.string()),
    }),
  ),
});
export type StaffResponse = z.infer<typeof staffResponseSchema>;

export const devicesResponseSchema = z.object({
  devices: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      lastSeenAt: z.string(),
      lastUser: z.nullable(z.string()),
      revokedAt: z.nullable(z.string()),
    }),
  ),
});
export type DevicesResponse = z.infer<typeof devicesResponseSchema>;
