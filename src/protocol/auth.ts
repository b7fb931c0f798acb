// The auth part of the sync protocol v1 (ARCHITECTURE.md): login, refresh, logout, the signed-in user.
// Schemas use zod/mini: they ship in the first screen's JavaScript, where every kilobyte counts.
import * as z from 'zod/mini';
import { roles } from '../domain/roles';

// The roles, and which of them work across the whole association, are the domain's rulebook.
export { associationWideRoles, roles, type Role } from '../domain/roles';

export const roleSchema = z.enum(roles);

export const usernameSchema = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.minLength(3),
    z.maxLength(64),
    z.regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, dot, dash, underscore'),
  );

/** Client-generated, stable per installation. */
export const deviceIdSchema = z.uuid();

export const loginRequestSchema = z.object({
  username: usernameSchema,
  password: z.string().check(z.minLength(1), z.maxLength(256)),
  deviceId: deviceIdSchema,
  deviceName: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const sessionUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  name: z.string(),
  role: roleSchema,
  associationId: z.uuid(),
  branchId: z.nullable(z.uuid()),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

const namedSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  nameAr: z.string(),
  nameEn: z.string(),
});

export const associationSummarySchema = namedSchema;
export type AssociationSummary = z.infer<typeof associationSummarySchema>;

export const branchSummarySchema = namedSchema;
export type BranchSummary = z.infer<typeof branchSummarySchema>;

export const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().check(z.int(), z.positive()),
});
export type TokenPair = z.infer<typeof tokenPairSchema>;

export const meResponseSchema = z.object({
  user: sessionUserSchema,
  association: associationSummarySchema,
  branch: z.nullable(branchSummarySchema),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

export const loginResponseSchema = z.extend(tokenPairSchema, {
  ...meResponseSchema.shape,
  /** The password is temporary (a new account, a reset): the app asks for a new one before anything else. */
  mustChangePassword: z.optional(z.boolean()),
  /**
   * This device's recovery key for this user (base64url, 32 bytes), derived by the server: the device wraps
   * its keys under it too, so that after a password reset the next sign-in opens the data kept there.
   */
  deviceKey: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/))),
  /**
   * The association's policy profile in force, with its version. Only its envelope is checked here, in the
   * first screen's code; the app validates the profile itself (protocol/profile.ts) before it keeps it.
   */
  profile: z.optional(z.object({ version: z.number(), profile: z.unknown() })),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

const refreshTokenSchema = z.string().check(z.minLength(20), z.maxLength(200));

export const refreshRequestSchema = z.object({
  refreshToken: refreshTokenSchema,
  deviceId: deviceIdSchema,
});
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

export const logoutRequestSchema = z.object({
  refreshToken: refreshTokenSchema,
});
export type LogoutRequest = z.infer<typeof logoutRequestSchema>;

/** An administrator revokes a device: why (kept with it for the record). */
export const revokeDeviceRequestSchema = z.object({
  reason: z.string().check(z.minLength(1), z.maxLength(200)),
});
export type RevokeDeviceRequest = z.infer<typeof revokeDeviceRequestSchema>;
