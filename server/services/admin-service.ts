// Administration of tenants: associations, branches, users and devices. Used by the CLI and demo seeding.
import { DEFAULT_TEMPLATE, templates } from '../../src/domain/profiles/associations';
import { associationWideRoles, usernameSchema, type Role } from '../../src/protocol/auth';
import { ErrorCode } from '../../src/protocol/errors';
import { hashPassword, type ScryptParams } from '../crypto/password';
import * as store from '../store/auth-store';
import type { Db } from '../store/db';
import { ServiceError } from './errors';
import { currentProfile } from './records';

export interface NewAssociation {
  code: string;
  nameAr: string;
  nameEn: string;
  /**
   * The template its policy profile starts from: a seed policy's code, or "common" (the neutral common
   * text). Defaults to the seed of the same code, if there is one, else the common text.
   */
  profileCode?: string | undefined;
}

export interface NewBranch {
  associationCode: string;
  code: string;
  nameAr: string;
  nameEn: string;
}

export interface NewUser {
  associationCode: string;
  /** Required for every role but supervisor and admin, which must have none. */
  branchCode?: string | undefined;
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

import { MIN_PASSWORD_LENGTH } from '../../src/protocol/admin';
export { MIN_PASSWORD_LENGTH };

export function createAdminService(db: Db, hashParams?: ScryptParams) {
  async function associationId(code: string): Promise<string> {
    const rows = await db.query<{ id: string }>('SELECT id FROM associations WHERE code = $1', [code]);
    const row = rows[0];
    if (row === undefined) throw new ServiceError(ErrorCode.notFound, `No association with code "${code}".`);
    return row.id;
  }

  return {
    associationId,

    async createAssociation(a: NewAssociation): Promise<string> {
      const profileCode = a.profileCode ?? (a.code in templates ? a.code : DEFAULT_TEMPLATE);
      if (!(profileCode in templates)) {
        throw new ServiceError(
          ErrorCode.invalidRequest,
          `No template "${profileCode}": one of ${Object.keys(templates).join(', ')}.`,
        );
      }
      const rows = await db.query<{ id: string }>(
        'INSERT INTO associations (code, name_ar, name_en, profile_code) VALUES ($1, $2, $3, $4) RETURNING id',
        [a.code, a.nameAr, a.nameEn, profileCode],
      );
      const id = rows[0]?.id ?? '';
      // Version 1 of its profile, from the template: the association's own from now on.
      await currentProfile(db, id);
      return id;
    },

    async createBranch(b: NewBranch): Promise<string> {
      const aid = await associationId(b.associationCode);
      const rows = await db.query<{ id: string }>(
        'INSERT INTO branches (association_id, code, name_ar, name_en) VALUES ($1, $2, $3, $4) RETURNING id',
        [aid, b.code, b.nameAr, b.nameEn],
      );
      return rows[0]?.id ?? '';
    },

    async createUser(u: NewUser): Promise<string> {
      const username = usernameSchema.safeParse(u.username);
      if (!username.success)
        throw new ServiceError(ErrorCode.invalidRequest, `Invalid username "${u.username}".`);
      if (u.password.length < MIN_PASSWORD_LENGTH) {
        throw new ServiceError(
          ErrorCode.invalidRequest,
          `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`,
        );
      }
      const wide = associationWideRoles.includes(u.role);
      if (wide && u.branchCode !== undefined) {
        throw new ServiceError(
          ErrorCode.invalidRequest,
          `A ${u.role} works across the association and has no branch.`,
        );
      }
      if (!wide && u.branchCode === undefined) {
        throw new ServiceError(ErrorCode.invalidRequest, `A ${u.role} needs a branch.`);
      }
      const aid = await associationId(u.associationCode);
      let branchId: string | null = null;
      if (u.branchCode !== undefined) {
        const rows = await db.query<{ id: string }>(
          'SELECT id FROM branches WHERE association_id = $1 AND code = $2',
          [aid, u.branchCode],
        );
        branchId = rows[0]?.id ?? null;
        if (branchId === null)
          throw new ServiceError(
            ErrorCode.notFound,
            `No branch "${u.branchCode}" in "${u.associationCode}".`,
          );
      }
      const rows = await db.query<{ id: string }>(
        `INSERT INTO users (association_id, branch_id, username, display_name, role, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [aid, branchId, username.data, u.displayName, u.role, await hashPassword(u.password, hashParams)],
      );
      return rows[0]?.id ?? '';
    },

    /** Revokes a device: its sessions end now, and at its next contact the app wipes its local data. */
    async revokeDevice(associationCode: string, deviceId: string, at: Date, reason: string): Promise<void> {
      const aid = await associationId(associationCode);
      const found = await db.transaction((tx) => store.revokeDevice(tx, aid, deviceId, at, reason));
      if (!found)
        throw new ServiceError(ErrorCode.notFound, `No device ${deviceId} in "${associationCode}".`);
    },

    async listDevices(associationCode: string) {
      return store.listDevices(db, await associationId(associationCode));
    },

    async isEmpty(): Promise<boolean> {
      const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM associations');
      return (rows[0]?.n ?? 0) === 0;
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
