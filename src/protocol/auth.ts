// The auth part of the sync protocol v1 (ARCHITECTURE.md): login, refresh, logout, the signed-in user.
import { z } from 'zod';

/** The five roles of the policy's workflow; order is not meaningful. */
export const roles = ['representative', 'researcher', 'committee', 'supervisor', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** Roles that work across the whole association and therefore have no branch. */
export const associationWideRoles: readonly Role[] = ['supervisor', 'admin'];

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, dot, dash, underscore');

/** Client-generated, stable per installation. */
export const deviceIdSchema = z.uuid();

export const loginRequestSchema = z.object({
  username: usernameSchema,
  password: z.string().min(1).max(256),
  deviceId: deviceIdSchema,
  deviceName: z.string().trim().min(1).max(120),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const sessionUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  name: z.string(),
  role: roleSchema,
  associationId: z.uuid(),
  branchId: z.uuid().nullable(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const associationSummarySchema = z.object({
  id: z.uuid(),
  code: z.string(),
  nameAr: z.string(),
  nameEn: z.string(),
});
export type AssociationSummary = z.infer<typeof associationSummarySchema>;

export const branchSummarySchema = z.object({
  id: z.uuid(),
  code: z.string(),
  nameAr: z.string(),
  nameEn: z.string(),
});
export type BranchSummary = z.infer<typeof branchSummarySchema>;

export const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
});
export type TokenPair = z.infer<typeof tokenPairSchema>;

export const loginResponseSchema = tokenPairSchema.extend({
  user: sessionUserSchema,
  association: associationSummarySchema,
  branch: branchSummarySchema.nullable(),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const refreshRequestSchema = z.object({
  refreshToken: z.string().min(20).max(200),
  deviceId: deviceIdSchema,
});
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

export const logoutRequestSchema = z.object({
  refreshToken: z.string().min(20).max(200),
});
export type LogoutRequest = z.infer<typeof logoutRequestSchema>;

export const meResponseSchema = z.object({
  user: sessionUserSchema,
  association: associationSummarySchema,
  branch: branchSummarySchema.nullable(),
});
export type MeResponse = z.infer<typeof meResponseSchema>;
