// The association's staff as field devices and the administrator see them (staff-service): the directory
// kept offline, and who signed which version of the policy. SQL only: the rules are the staff service's.
import type { Role } from '../../src/protocol/auth';
import type { Queryable } from './db';

/** The association's open branches, by code. */
export function openBranches(
  db: Queryable,
  associationId: string,
): Promise<{ id: string; name_ar: string; name_en: string | null }[]> {
  return db.query<{ id: string; name_ar: string; name_en: string | null }>(
    `SELECT id, name_ar, name_en FROM branches
          WHERE association_id = $1 AND closed_at IS NULL ORDER BY code`,
    [associationId],
  );
}

/** The association's active researchers with a branch: of `branchId`, or of every branch when it is null. */
export function researchersOf(
  db: Queryable,
  associationId: string,
  branchId: string | null,
): Promise<{ id: string; display_name: string; branch_id: string }[]> {
  return db.query<{ id: string; display_name: string; branch_id: string }>(
    `SELECT id, display_name, branch_id FROM users
          WHERE association_id = $1 AND role = 'researcher' AND disabled_at IS NULL AND branch_id IS NOT NULL
            AND ($2::uuid IS NULL OR branch_id = $2::uuid)
          ORDER BY display_name, id`,
    [associationId, branchId],
  );
}

export interface SignOffRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  name_ar: string | null;
  name_en: string | null;
  disabled: boolean;
  signed_at: string | null;
}

/** Every user of the association, with when they first signed `policyVersion`; who has not, first. */
export function signOffs(db: Queryable, associationId: string, policyVersion: string): Promise<SignOffRow[]> {
  return db.query<SignOffRow>(
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
    [associationId, policyVersion],
  );
}
