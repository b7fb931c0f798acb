// The duplicate check at registration, on the server's side (src/protocol/duplicates.ts): the association's
// beneficiaries and household members that share the national ID or the mobile being registered, on every
// branch. What the caller may not read is named by its branch only; what the answer names is audited.
import type { DuplicateCheckResponse, ServerDuplicate } from '../../src/protocol/duplicates';
import type { DuplicateCheckRequest } from '../../src/protocol/duplicates-request';
import { MAX_DUPLICATE_MATCHES } from '../../src/protocol/duplicates';
import { ErrorCode } from '../../src/protocol/errors';
import { appendAudit, auditWho } from '../store/audit-store';
import type { Queryable } from '../store/db';
import type { AuthContext } from './auth-service';
import { ServiceError } from './errors';
import { branchBound, writeRoles } from './policy';

interface Row {
  entity: 'beneficiary' | 'household_member';
  record_id: string;
  version: string;
  branch_id: string | null;
  by_id: boolean;
  by_mobile: boolean;
  beneficiary_id: string;
  full_name: string | null;
  name_ar: string | null;
  name_en: string | null;
}

export function createDuplicateService(deps: { db: Queryable; now: () => number }) {
  const { db, now } = deps;
  return {
    async check(caller: AuthContext, request: DuplicateCheckRequest): Promise<DuplicateCheckResponse> {
      // Those who register beneficiaries ask; an administrator does not handle beneficiaries.
      if (!writeRoles.beneficiary.includes(caller.role))
        throw new ServiceError(ErrorCode.forbidden, `A ${caller.role} does not register beneficiaries.`);
      // Two arms, each answered by its partial index (migration 008); a record matching both comes twice
      // and is merged below. A household member's name is its beneficiary's, who heads the file.
      const rows = await db.query<Row>(
        `WITH found AS (
           SELECT entity, record_id, version, branch_id, data, true AS by_id, false AS by_mobile
             FROM records
            WHERE association_id = $1 AND entity IN ('beneficiary', 'household_member') AND NOT deleted
              AND data->>'nationalId' = $2
           UNION ALL
           SELECT entity, record_id, version, branch_id, data, false, true
             FROM records
            WHERE association_id = $1 AND entity = 'beneficiary' AND NOT deleted AND data->>'mobile' = $3
         ), merged AS (
           SELECT entity, record_id, version, branch_id,
                  CASE WHEN entity = 'beneficiary' THEN record_id::text ELSE data->>'beneficiaryId' END
                    AS beneficiary_id,
                  bool_or(by_id) AS by_id, bool_or(by_mobile) AS by_mobile
             FROM found GROUP BY entity, record_id, version, branch_id, beneficiary_id
         )
         SELECT m.*, h.data->>'fullName' AS full_name, b.name_ar, b.name_en
           FROM merged m
           LEFT JOIN records h ON h.association_id = $1 AND h.entity = 'beneficiary'
                              AND h.record_id::text = m.beneficiary_id AND NOT h.deleted
           LEFT JOIN branches b ON b.id = m.branch_id
          ORDER BY m.by_id DESC, m.entity, m.record_id
          LIMIT ${MAX_DUPLICATE_MATCHES}`,
        [caller.aid, request.nationalId ?? null, request.mobile ?? null],
      );
      const readable = (branchId: string | null) =>
        !branchBound.includes(caller.role) || branchId === null || branchId === caller.bid;
      const matches = rows.map((r): ServerDuplicate => ({
        as: r.entity,
        reasons: [
          ...(r.by_id ? (['national_id'] as const) : []),
          ...(r.by_mobile ? (['mobile'] as const) : []),
        ],
        branch: r.name_ar === null || r.name_en === null ? null : { nameAr: r.name_ar, nameEn: r.name_en },
        beneficiary:
          readable(r.branch_id) && r.full_name !== null
            ? { id: r.beneficiary_id, fullName: r.full_name }
            : null,
      }));
      await appendAudit(
        db,
        auditWho(caller, new Date(now())),
        'lookup',
        rows.map((r) => ({ entity: r.entity, recordId: r.record_id, version: Number(r.version) })),
      );
      return { matches };
    },
  };
}

export type DuplicateService = ReturnType<typeof createDuplicateService>;
