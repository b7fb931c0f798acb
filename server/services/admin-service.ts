// Administration of tenants: associations, branches, users and devices. Used by the CLI and demo seeding.
import { DEFAULT_TEMPLATE, templates } from '../../src/domain/profiles/associations';
import { associationWideRoles, usernameSchema, type Role } from '../../src/protocol/auth';
import { ErrorCode } from '../../src/protocol/errors';
import { hashPassword, type ScryptParams } from '../crypto/password';
import * as tenants from '../store/admin-store';
import { insertBranch } from '../store/association-store';
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
    const id = await tenants.associationIdByCode(db, code);
    if (id === undefined) throw new ServiceError(ErrorCode.notFound, `No association with code "${code}".`);
    return id;
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
      const id =
        (await tenants.insertAssociation(db, {
          code: a.code,
          nameAr: a.nameAr,
          nameEn: a.nameEn,
          profileCode,
        })) ?? '';
      // Version 1 of its profile, from the template: the association's own from now on.
      await currentProfile(db, id);
      return id;
    },

    async createBranch(b: NewBranch): Promise<string> {
      const aid = await associationId(b.associationCode);
      return (await insertBranch(db, aid, b)) ?? '';
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
        branchId = (await tenants.branchIdByCode(db, aid, u.branchCode)) ?? null;
        if (branchId === null)
          throw new ServiceError(
            ErrorCode.notFound,
            `No branch "${u.branchCode}" in "${u.associationCode}".`,
          );
      }
      const passwordHash = await hashPassword(u.password, hashParams);
      return (
        (await tenants.insertUser(db, {
          associationId: aid,
          branchId,
          username: username.data,
          displayName: u.displayName,
          role: u.role,
          passwordHash,
        })) ?? ''
      );
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
      return (await tenants.countAssociations(db)) === 0;
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
