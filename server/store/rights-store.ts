// A beneficiary's rights (L-RIGHTS) and the retention of their data (L-RETAIN): the SQL that finds a file,
// reads it for export, destroys records and registers each request. The rules are the rights service's.
import type { EntityName } from '../../src/protocol/entities';
import { firstRow, type Queryable } from './db';

type Data = Record<string, unknown>;

export interface RecordRef {
  entity: EntityName;
  record_id: string;
}

/**
 * The records of one beneficiary's file, live or deleted: their record, every record that names them, and
 * every record that names one of their cases or complaints, found both in the records and in their history.
 */
export function fileOf(q: Queryable, associationId: string, beneficiaryId: string): Promise<RecordRef[]> {
  return q.query<RecordRef>(
    `WITH refs AS (
       SELECT entity, record_id, data->>'beneficiaryId' AS b, data->>'caseId' AS c, data->>'complaintId' AS k
         FROM records WHERE association_id = $1 AND data IS NOT NULL
       UNION
       SELECT entity, record_id, changes->'beneficiaryId'->>'after', changes->'caseId'->>'after',
              changes->'complaintId'->>'after'
         FROM record_history WHERE association_id = $1
     ),
     direct AS (SELECT entity, record_id FROM refs WHERE b = $2::text),
     parents AS (SELECT record_id::text AS id FROM direct WHERE entity IN ('case', 'complaint'))
     SELECT 'beneficiary' AS entity, CAST($2::text AS uuid) AS record_id
     UNION SELECT entity, record_id FROM direct
     UNION SELECT entity, record_id FROM refs
            WHERE c IN (SELECT id FROM parents) OR k IN (SELECT id FROM parents)`,
    [associationId, beneficiaryId],
  );
}

/** Those of these records not destroyed yet, in a stable order, with the file each attachment names. */
export function undestroyed(
  tx: Queryable,
  associationId: string,
  refs: readonly RecordRef[],
): Promise<(RecordRef & { sha256: string | null })[]> {
  return tx.query<RecordRef & { sha256: string | null }>(
    `SELECT r.entity, r.record_id, r.data->>'sha256' AS sha256
       FROM records r JOIN unnest($2::text[], $3::uuid[]) AS t(e, id) ON r.entity = t.e AND r.record_id = t.id
      WHERE r.association_id = $1 AND r.purged_at IS NULL
      ORDER BY r.entity, r.record_id`,
    [associationId, refs.map((r) => r.entity), refs.map((r) => r.record_id)],
  );
}

/** Turns these records into tombstones marked purged at `at`, each at its new version. */
export async function markPurged(
  tx: Queryable,
  associationId: string,
  at: Date,
  stamped: readonly (RecordRef & { version: number })[],
): Promise<void> {
  await tx.query(
    `UPDATE records r SET deleted = true, data = NULL, field_versions = '{}', purged_at = $2, updated_at = $2,
            version = t.v
       FROM unnest($3::text[], $4::uuid[], $5::bigint[]) AS t(e, id, v)
      WHERE r.association_id = $1 AND r.entity = t.e AND r.record_id = t.id`,
    [
      associationId,
      at,
      stamped.map((r) => r.entity),
      stamped.map((r) => r.record_id),
      stamped.map((r) => r.version),
    ],
  );
}

/** Deletes the correction history, then the sync conflicts, of these records. */
export async function deleteHistoryAndConflicts(
  tx: Queryable,
  associationId: string,
  refs: readonly RecordRef[],
): Promise<void> {
  const entities = refs.map((r) => r.entity);
  const ids = refs.map((r) => r.record_id);
  for (const table of ['record_history', 'sync_conflicts']) {
    await tx.query(
      `DELETE FROM ${table} h USING unnest($2::text[], $3::uuid[]) AS t(e, id)
        WHERE h.association_id = $1 AND h.entity = t.e AND h.record_id = t.id`,
      [associationId, entities, ids],
    );
  }
}

/** Deletes those of these document files that no live attachment record names any more; returns them. */
export function deleteUnnamedFiles(
  tx: Queryable,
  associationId: string,
  shas: readonly string[],
): Promise<{ sha256: string }[]> {
  return tx.query<{ sha256: string }>(
    `DELETE FROM attachment_files f
      WHERE f.association_id = $1 AND f.sha256 = ANY($2::text[])
        AND NOT EXISTS (SELECT 1 FROM records r
                         WHERE r.association_id = $1 AND r.entity = 'attachment' AND NOT r.deleted
                           AND r.data->>'sha256' = f.sha256)
      RETURNING f.sha256`,
    [associationId, shas],
  );
}

/** Registers a rights request or a retention run, with what it counted. */
export async function registerRightsRequest(
  tx: Queryable,
  r: {
    associationId: string;
    beneficiaryId: string | null;
    kind: 'export' | 'destroy' | 'retention';
    reason: string;
    records: number;
    files: number;
    userId: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO rights_requests (association_id, beneficiary_id, kind, reason, records, files, user_id, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [r.associationId, r.beneficiaryId, r.kind, r.reason, r.records, r.files, r.userId, r.at],
  );
}

/** The beneficiary's record, when it was never destroyed (it may be deleted). */
export function undestroyedBeneficiary(
  q: Queryable,
  associationId: string,
  id: string,
): Promise<{ deleted: boolean } | undefined> {
  return firstRow<{ deleted: boolean }>(
    q,
    `SELECT deleted FROM records
          WHERE association_id = $1 AND entity = 'beneficiary' AND record_id = $2 AND purged_at IS NULL`,
    [associationId, id],
  );
}

export interface ExportedRecordRow {
  entity: EntityName;
  record_id: string;
  version: string | number;
  data: Data;
  created_at: Date;
  updated_at: Date;
}

/** The live ones of these records, oldest first. */
export function liveRecordsOf(
  tx: Queryable,
  associationId: string,
  refs: readonly RecordRef[],
): Promise<ExportedRecordRow[]> {
  return tx.query<ExportedRecordRow>(
    `SELECT r.entity, r.record_id, r.version, r.data, r.created_at, r.updated_at
             FROM records r JOIN unnest($2::text[], $3::uuid[]) AS t(e, id) ON r.entity = t.e AND r.record_id = t.id
            WHERE r.association_id = $1 AND NOT r.deleted
            ORDER BY r.created_at, r.entity, r.record_id`,
    [associationId, refs.map((r) => r.entity), refs.map((r) => r.record_id)],
  );
}

/** The association's document files with these hashes, by hash. */
export function filesOf(
  tx: Queryable,
  associationId: string,
  shas: readonly string[],
): Promise<{ sha256: string; mime_type: string; size: number; data: Uint8Array }[]> {
  return tx.query<{ sha256: string; mime_type: string; size: number; data: Uint8Array }>(
    `SELECT sha256, mime_type, size, data FROM attachment_files
            WHERE association_id = $1 AND sha256 = ANY($2::text[]) ORDER BY sha256`,
    [associationId, shas],
  );
}

/** The names of these members of the association's staff. */
export function staffNames(
  tx: Queryable,
  associationId: string,
  userIds: readonly string[],
): Promise<{ id: string; display_name: string }[]> {
  return tx.query<{ id: string; display_name: string }>(
    'SELECT id, display_name FROM users WHERE association_id = $1 AND id = ANY($2::uuid[])',
    [associationId, userIds],
  );
}

/** The association's names. */
export function associationNames(
  tx: Queryable,
  associationId: string,
): Promise<{ name_ar: string; name_en: string } | undefined> {
  return firstRow<{ name_ar: string; name_en: string }>(
    tx,
    'SELECT name_ar, name_en FROM associations WHERE id = $1',
    [associationId],
  );
}

/** Every association's id, in order. */
export function associationIds(db: Queryable): Promise<{ id: string }[]> {
  return db.query<{ id: string }>('SELECT id FROM associations ORDER BY id');
}

/**
 * The live records of an association whose retention has run out at `at`, at most `limit`: the last activity
 * in their file (their own last change, for a record in no file) is older than their type's period in
 * `retention`, and no case of the file is in one of `openStatuses`.
 */
export function dueRecords(
  tx: Queryable,
  r: {
    associationId: string;
    retention: readonly { entity: string; years: number }[];
    at: Date;
    openStatuses: readonly string[];
    limit: number;
  },
): Promise<RecordRef[]> {
  return tx.query<RecordRef>(
    `WITH live AS (
       SELECT entity, record_id, updated_at, data FROM records WHERE association_id = $1 AND NOT deleted
     ),
     parent AS (
       SELECT record_id::text AS id, data->>'beneficiaryId' AS file FROM live
        WHERE entity IN ('case', 'complaint') AND data->>'beneficiaryId' IS NOT NULL
     ),
     member AS (
       SELECT l.entity, l.record_id, l.updated_at,
              COALESCE(CASE WHEN l.entity = 'beneficiary' THEN l.record_id::text END,
                       l.data->>'beneficiaryId', pc.file, pk.file) AS file
         FROM live l
         LEFT JOIN parent pc ON pc.id = l.data->>'caseId'
         LEFT JOIN parent pk ON pk.id = l.data->>'complaintId'
     ),
     files AS (SELECT file, max(updated_at) AS last_activity FROM member WHERE file IS NOT NULL GROUP BY file),
     open_files AS (
       SELECT DISTINCT data->>'beneficiaryId' AS file FROM live
        WHERE entity = 'case' AND data->>'status' = ANY($5::text[]) AND data->>'beneficiaryId' IS NOT NULL
     )
     SELECT m.entity, m.record_id
       FROM member m
       JOIN unnest($2::text[], $3::int[]) AS p(entity, years) ON p.entity = m.entity
       LEFT JOIN files f ON f.file = m.file
      WHERE (m.file IS NULL OR m.file NOT IN (SELECT file FROM open_files))
        AND COALESCE(f.last_activity, m.updated_at) < $4::timestamptz - make_interval(years => p.years)
      ORDER BY m.entity, m.record_id
      LIMIT ${r.limit}`,
    [
      r.associationId,
      r.retention.map((p) => p.entity),
      r.retention.map((p) => p.years),
      r.at,
      r.openStatuses,
    ],
  );
}
