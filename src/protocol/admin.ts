// What the association's administrator reads (K-RESP, devices): the staff with their sign-off of the current
// policy version, and the devices. Administrators only; supervisors and field roles are refused.
import * as z from 'zod/mini';
import { roleSchema, usernameSchema } from './auth';

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

// The association's own administration (issue 19): its branches, its people and its policy profile.
// Administrators of their own association only; the server checks every rule again.

export const ADMIN_BRANCHES_PATH = '/api/v1/admin/branches';
export const ADMIN_USERS_PATH = '/api/v1/admin/users';
export const PROFILE_PATH = '/api/v1/profile';
export const ADMIN_PROFILE_PATH = '/api/v1/admin/profile';
export const PASSWORD_PATH = '/api/v1/auth/password';

const name = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
export const branchCodeSchema = z
  .string()
  .check(z.trim(), z.toLowerCase(), z.regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lowercase letters, digits, dash'));

export const MIN_PASSWORD_LENGTH = 8;
export const passwordSchema = z.string().check(z.minLength(MIN_PASSWORD_LENGTH), z.maxLength(256));

export const newBranchSchema = z.object({ code: branchCodeSchema, nameAr: name, nameEn: name });
export type NewBranchRequest = z.infer<typeof newBranchSchema>;
export const branchUpdateSchema = z.object({ nameAr: z.optional(name), nameEn: z.optional(name) });

export const branchSchema = z.object({
  id: z.string(),
  code: z.string(),
  nameAr: z.string(),
  nameEn: z.string(),
  closedAt: z.nullable(z.string()),
  /** What keeps it from closing: its beneficiaries and its open requests. */
  beneficiaries: z.number(),
  openRequests: z.number(),
});
export type BranchRow = z.infer<typeof branchSchema>;
export const branchesResponseSchema = z.object({ branches: z.array(branchSchema) });

export const newUserSchema = z.object({
  username: usernameSchema,
  name,
  role: roleSchema,
  /** Required for a branch-bound role, absent (or null) for a supervisor or an administrator. */
  branchId: z.optional(z.nullable(z.uuid())),
  /** Temporary: the user changes it at their first sign-in. */
  password: passwordSchema,
});
export type NewUserRequest = z.infer<typeof newUserSchema>;
export const userUpdateSchema = z.object({
  name: z.optional(name),
  role: z.optional(roleSchema),
  branchId: z.optional(z.nullable(z.uuid())),
});
export type UserUpdate = z.infer<typeof userUpdateSchema>;
export const disableUserSchema = z.object({
  reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
});
export const resetPasswordSchema = z.object({ password: passwordSchema });

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: roleSchema,
  branchId: z.nullable(z.string()),
  disabledAt: z.nullable(z.string()),
  disabledReason: z.nullable(z.string()),
  mustChangePassword: z.boolean(),
});
export type UserRow = z.infer<typeof userSchema>;
export const usersResponseSchema = z.object({ users: z.array(userSchema) });

/** A user changes their own password: always, and first of all while it is temporary. */
export const changePasswordSchema = z.object({
  currentPassword: z.string().check(z.minLength(1), z.maxLength(256)),
  newPassword: passwordSchema,
});
export type ChangePasswordRequest = z.infer<typeof changePasswordSchema>;

export const profileVersionSchema = z.object({
  version: z.number().check(z.int(), z.positive()),
  changedAt: z.string(),
  changedBy: z.nullable(z.string()),
  /** The parts of the profile this version changed (top-level keys, and each service by id). */
  changes: z.array(z.string()),
});
export type ProfileVersion = z.infer<typeof profileVersionSchema>;
export const profileHistorySchema = z.object({ versions: z.array(profileVersionSchema) });

// A lost or stolen device (L-BREACH): its incident, what it held, the 72-hour clock of the regulator's
// notification, and the affected beneficiaries exported for the regulator. Administrators only.

export const INCIDENTS_PATH = '/api/v1/admin/incidents';

const instant = z.iso.datetime({ offset: true });
/** The longest notes an incident takes; they are also the device's revocation reason. */
export const INCIDENT_NOTES_MAX = 1000;

/** Opens an incident for a device (and revokes it, if it is not already). `awareAt` absent: now. */
export const newIncidentSchema = z.object({
  deviceId: z.uuid(),
  awareAt: z.optional(instant),
  notes: z.string().check(z.trim(), z.minLength(1), z.maxLength(INCIDENT_NOTES_MAX)),
});
export type NewIncidentRequest = z.infer<typeof newIncidentSchema>;

/** The regulator was notified: when (absent: now), and the reference it gave, if any. */
export const regulatorNotifiedSchema = z.object({
  notifiedAt: z.optional(instant),
  reference: z.optional(z.string().check(z.trim(), z.maxLength(200))),
});
export type RegulatorNotifiedRequest = z.infer<typeof regulatorNotifiedSchema>;

export const incidentSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  /** When the association became aware of the loss: the 72 hours run from here. */
  awareAt: z.string(),
  /** awareAt + 72 hours (src/domain/breach.ts). */
  deadline: z.string(),
  reportedAt: z.string(),
  /** The administrator who opened it, by username. */
  reportedBy: z.string(),
  notes: z.string(),
  /** Null until an administrator records that the regulator was notified. */
  regulator: z.nullable(
    z.object({
      notifiedAt: z.string(),
      /** When it was recorded here, and by whom (username). */
      recordedAt: z.string(),
      recordedBy: z.string(),
      reference: z.nullable(z.string()),
    }),
  ),
});
export type Incident = z.infer<typeof incidentSchema>;
export const incidentsResponseSchema = z.object({ incidents: z.array(incidentSchema) });

/** A beneficiary the device held their own record of, or any record about them. */
export const affectedBeneficiarySchema = z.object({
  id: z.string(),
  /** Null when the association no longer holds it (the file was destroyed). */
  fullName: z.nullable(z.string()),
  nationalId: z.nullable(z.string()),
  mobile: z.nullable(z.string()),
  /** The kinds of record the device held about them (entity names on the wire), sorted. */
  entities: z.array(z.string()),
  /** Some of it held sensitive fields or documents (L-SENSITIVE). */
  sensitive: z.boolean(),
  /** The last time the device received or changed any of it. */
  lastAt: z.string(),
});
export type AffectedBeneficiary = z.infer<typeof affectedBeneficiarySchema>;

export const incidentDetailSchema = z.object({
  incident: incidentSchema,
  held: z.object({
    records: z.number(),
    /** Records that held sensitive fields or documents. */
    sensitive: z.number(),
    /** Records about no beneficiary (the association's own: surveys, holidays, sign-offs; anonymous answers). */
    aboutNoOne: z.number(),
    byEntity: z.array(z.object({ entity: z.string(), records: z.number(), sensitive: z.number() })),
  }),
  beneficiaries: z.array(affectedBeneficiarySchema),
});
export type IncidentDetail = z.infer<typeof incidentDetailSchema>;

/**
 * The affected beneficiaries as a CSV file for the regulator (UTF-8 with a byte-order mark), made by the server;
 * it travels in JSON so that the console reads it through its one API client, with its token.
 */
export const incidentExportSchema = z.object({ fileName: z.string(), csv: z.string() });
export type IncidentExport = z.infer<typeof incidentExportSchema>;
