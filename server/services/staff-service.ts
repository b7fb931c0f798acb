// Staff sign-off (K-RESP, K-REL-d), for the association's administrator: every member of staff, with when
// they signed the current version of the policy (from the acknowledgements their devices synced), so that
// who has not is plain to see. A new version in the profile asks everyone again.
import type { StaffResponse } from '../../src/protocol/admin';
import type { DirectoryResponse } from '../../src/protocol/directory';
import type { Queryable } from '../store/db';
import * as store from '../store/staff-store';
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
      const branches = await store.openBranches(db, caller.aid);
      const researchers = await store.researchersOf(db, caller.aid, caller.bid);
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
      const rows = await store.signOffs(db, caller.aid, version);
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
