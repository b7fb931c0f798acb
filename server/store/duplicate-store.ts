// The duplicate check at registration (duplicate-service): the association's beneficiaries and household
// members sharing a national ID or a mobile, on every branch. SQL only: what the caller sees is the service's.
import { MAX_DUPLICATE_MATCHES } from '../../src/protocol/duplicates';
import type { Queryable } from './db';

export interface DuplicateRow {
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

/**
 * The live people with this national ID (beneficiaries and household members) or this mobile (beneficiaries),
 * once each, with the name of the beneficiary heading their file and their branch's names.
 */
export function matchingPeople(
  db: Queryable,
  associationId: string,
  by: { nationalId: string | null; mobile: string | null },
): Promise<DuplicateRow[]> {
  // Two arms, each answered by its partial index (migration 008); a record matching both comes twice
  // and is merged. A household member's name is its beneficiary's, who heads the file.
  return db.query<DuplicateRow>(
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
    [associationId, by.nationalId, by.mobile],
  );
}
