// The duplicate check at registration, on the server's side (src/protocol/duplicates.ts): the association's
// beneficiaries and household members that share the national ID or the mobile being registered, on every
// branch. What the caller may not read is named by its branch only; what the answer names is audited.
import type { DuplicateCheckResponse, ServerDuplicate } from '../../src/protocol/duplicates';
import type { DuplicateCheckRequest } from '../../src/protocol/duplicates-request';
import { ErrorCode } from '../../src/protocol/errors';
import { appendAudit, auditWho } from '../store/audit-store';
import type { Queryable } from '../store/db';
import { matchingPeople } from '../store/duplicate-store';
import type { AuthContext } from './auth-service';
import { ServiceError } from './errors';
import { branchBound, writeRoles } from './policy';

export function createDuplicateService(deps: { db: Queryable; now: () => number }) {
  const { db, now } = deps;
  return {
    async check(caller: AuthContext, request: DuplicateCheckRequest): Promise<DuplicateCheckResponse> {
      // Those who register beneficiaries ask; an administrator does not handle beneficiaries.
      if (!writeRoles.beneficiary.includes(caller.role))
        throw new ServiceError(ErrorCode.forbidden, `A ${caller.role} does not register beneficiaries.`);
      const rows = await matchingPeople(db, caller.aid, {
        nationalId: request.nationalId ?? null,
        mobile: request.mobile ?? null,
      });
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
