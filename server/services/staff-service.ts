// Staff sign-off (K-RESP, K-REL-d), for the association's administrator: every member of staff, with when
// they signed the current version of the policy (from the acknowledgements their devices synced), so that
// who has not is plain to see. A new version in the profile asks everyone again.
import type { StaffResponse } from '../../src/protocol/admin';
import type { DirectoryResponse } from '../../src/protocol/directory';
import type { Role } from '../../src/protocol/auth';
import type { Queryable } from '../store/db';
import type { AuthContext } from './auth-service';
import { ServiceError } from './errors';
import { mayAdministerDevices } from './policy';
import { profileOfAssociation } from './records';

export function createStaffService(deps: { db: Queryable }) {
  const { db } = deps;
  return {
    /**
     * The directory field staff keep offline: the association's open branches, and the active researchers a
     * request of the caller's branch may be referred to by name (C-PROC-3; every branch's, for staff who
     * serve them all).
     */
    async directory(caller: AuthContext): Promise<DirectoryResponse> {
      const branches = await db.query<{ id: string; name_ar: string; name_en: string | null }>(
        `SELECT id, name_ar, name_en FROM branches
          WHERE association_id = $1 AND closed_at IS NULL ORDER BY code`,
        [caller.aid],
      );
      const researchers = await db.query<{ id: string; display_name: string; branch_id: string }>(
        `SELECT id, display_name, branch_id FROM users
          WHERE association_id = $1 AND role = 'researcher' AND disabled_at IS NULL AND branch_id IS NOT NULL
            AND ($2::uuid IS NULL OR branch_id = $2::uuid)
          ORDER BY display_name, id`,
        [caller.aid, caller.bid],
      );
      return {
        branches: branches.map((b) => ({ id: b.id, name: { ar: b.name_ar, en: b.name_en ?? b.name_ar } })),
        researchers: researchers.map((r) => ({ id: r.id, name: r.display_name, branchId: r.branch_id })),
      };
    },

    async list(caller: AuthContext): Promise<StaffResponse> {
      const denial = mayAdministerDevices(caller);
      if (denial !== null) throw new ServiceError(denial.code, 'Only an administrator lists the staff.');
      const profile = await profileOfAssociation(db, caller.aid);
      const version = profile.policy.version;
      const rows = await db.query<{
        id: string;
        username: string;
        display_name: string;
        role: Role;
        name_ar: string | null;
        name_en: string | null;
        disabled: boolean;
        signed_at: string | null;
      }>(
        `SELECT * FROM (
           SELECT u.id, u.username, u.display_name, u.role, b.name_ar, b.name_en,
                  u.disabled_at IS NOT NULL AS disabled,
                  (SELECT min(a.data->>'signedAt') FROM records a
                    WHERE a.association_id = u.association_id AND a.entity = 'policy_acknowledgement'
                      AND NOT a.deleted AND a.data->>'userId' = u.id::text AND a.data->>'policyVersion' = $2
                  ) AS signed_at
             FROM users u LEFT JOIN branches b ON b.id = u.branch_id
            WHERE u.association_id = $1) s
          ORDER BY signed_at IS NOT NULL, username`,
        [caller.aid, version],
      );
      return {
        policyVersion: version,
        signOffRequired: profile.chapters.staffSignOff,
        staff: rows.map((r) => ({
          id: r.id,
          username: r.username,
          name: r.display_name,
          role: r.role,
          branch: r.name_ar === null ? null : { ar: r.name_ar, en: r.name_en ?? r.name_ar },
          disabled: r.disabled,
          signedAt: r.signed_at,
        })),
      };
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
