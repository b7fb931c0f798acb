// The import of an association's caseload (import-service): what a plan reads (branches, the people the rows
// name, the ids taken already) and what an import writes. SQL only: the plan and its rules are the service's.
import type { FieldVersion } from './records-store';
import type { Queryable } from './db';

export interface BranchRow {
  id: string;
  code: string;
  name_ar: string;
  name_en: string;
  closed_at: Date | null;
}

/** The association's branches, open or closed. */
export function branchesOf(db: Queryable, associationId: string): Promise<BranchRow[]> {
  return db.query<BranchRow>(
    'SELECT id, code, name_ar, name_en, closed_at FROM branches WHERE association_id = $1',
    [associationId],
  );
}

/** The association's live beneficiaries and household members with one of these national IDs. */
export function peopleWithNationalIds(
  db: Queryable,
  associationId: string,
  nationalIds: readonly string[],
): Promise<
  {
    entity: 'beneficiary' | 'household_member';
    record_id: string;
    branch_id: string | null;
    version: string | number;
    national_id: string;
  }[]
> {
  // Answered by the partial index on (association_id, data->>'nationalId') of migration 008, ID by ID. With
  // `data->>'nationalId' = ANY($2)`, a generic plan (the statement is prepared once and run many times)
  // read every beneficiary of the association on that index and compared each with the whole list: for a
  // file of 10,000 IDs, 1.2 s over 10,000 beneficiaries, 3.7 s over 30,000 (PostgreSQL 15, auto_explain).
  return db.query(
    `SELECT r.entity, r.record_id, r.branch_id, r.version, n.id AS national_id
       FROM (SELECT DISTINCT id FROM unnest($2::text[]) AS u(id)) AS n
       CROSS JOIN LATERAL (SELECT entity, record_id, branch_id, version FROM records
                            WHERE association_id = $1 AND entity IN ('beneficiary', 'household_member')
                              AND NOT deleted AND data->>'nationalId' = n.id
                            -- OFFSET 0: not flattened into one scan of every beneficiary (13–28 s, measured).
                            OFFSET 0) AS r
      ORDER BY r.entity, r.record_id`,
    [associationId, nationalIds],
  );
}

/** Those of these records the association's table holds, live or removed. */
export function heldRecords(
  db: Queryable,
  associationId: string,
  records: readonly { entity: string; recordId: string }[],
): Promise<{ record_id: string; deleted: boolean }[]> {
  return db.query<{ record_id: string; deleted: boolean }>(
    // By the primary key, key by key, as readRecords (records-store.ts) says why.
    `SELECT r.record_id, r.deleted FROM (SELECT DISTINCT * FROM unnest($2::text[], $3::uuid[])) AS t(entity, record_id)
       CROSS JOIN LATERAL (SELECT record_id, deleted FROM records WHERE association_id = $1
                              AND entity = t.entity AND record_id = t.record_id LIMIT 1) r`,
    [associationId, records.map((r) => r.entity), records.map((r) => r.recordId)],
  );
}

/** Has this association imported this file before? */
export async function importedBefore(db: Queryable, associationId: string, sha256: string): Promise<boolean> {
  const rows = await db.query<{ n: number }>(
    'SELECT 1 AS n FROM imports WHERE association_id = $1 AND file_sha256 = $2',
    [associationId, sha256],
  );
  return rows.length > 0;
}

/** Inserts new records, created by `userId` at `at`, in one statement. */
export async function insertRecords(
  db: Queryable,
  who: { associationId: string; userId: string; at: Date },
  rows: readonly {
    entity: string;
    record_id: string;
    branch_id: string | null;
    version: number;
    data: Record<string, unknown>;
    field_versions: Record<string, FieldVersion>;
  }[],
): Promise<void> {
  await db.query(
    `INSERT INTO records (association_id, entity, record_id, branch_id, version, deleted, data, field_versions,
                              created_by, updated_by, created_at, updated_at)
         SELECT $1, t.entity, t.record_id, t.branch_id, t.version, false, t.data, t.field_versions, $2, $2, $3, $3
           FROM jsonb_to_recordset($4::jsonb) AS t(entity text, record_id uuid, branch_id uuid, version bigint,
                                                   data jsonb, field_versions jsonb)`,
    [who.associationId, who.userId, who.at, JSON.stringify(rows)],
  );
}

/** Remembers an import that created records. */
export async function registerImport(
  db: Queryable,
  i: {
    associationId: string;
    fileSha256: string;
    importedBy: string;
    at: Date;
    beneficiaries: number;
    householdMembers: number;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO imports (association_id, file_sha256, imported_by, imported_at, beneficiaries, household_members)
           VALUES ($1, $2, $3, $4, $5, $6)`,
    [i.associationId, i.fileSha256, i.importedBy, i.at, i.beneficiaries, i.householdMembers],
  );
}
