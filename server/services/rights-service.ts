// A beneficiary's rights under the PDPL (L-RIGHTS) and the retention of their data (L-RETAIN).
//
// A beneficiary's *file* is their record, every record that names them (household, cases, contacts,
// notifications, documents, complaints, survey answers), and every record that names one of their cases or
// complaints (research reports, decisions, compensations) — found both in the records as they stand and in
// the correction history, so that a record deleted earlier is not forgotten.
//
// Destroying a record (on request, or at the end of its retention) leaves a tombstone marked purged: its
// data, its history, its conflicts and its document files are gone, every device removes its copy at next
// sync, and no late change from a device can bring it back. The audit log keeps only ids, so it stays.
import { caseStatuses, workEndedStatuses } from '../../src/domain/permissions';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import type { EntityName } from '../../src/protocol/entities';
import { ErrorCode } from '../../src/protocol/errors';
import { mutationSchema } from '../../src/protocol/push';
import type { DestroyResponse, ExportDocument } from '../../src/protocol/rights';
import { appendAudit, auditWho, type AuditWho } from '../store/audit-store';
import type { Db, Queryable } from '../store/db';
import { historyOf } from '../store/history-store';
import { takeVersions } from '../store/versions';
import type { AuthContext } from './auth-service';
import { refuseIf, ServiceError } from './errors';
import {
  holdsSensitive,
  isSensitiveDocument,
  mayHandleRightsRequests,
  maySeeSensitive,
  redact,
} from './policy';
import { currentProfile, profileOfAssociation } from './records';

type Data = Record<string, unknown>;

/** A record id is a UUID, as on the wire. */
const recordIdSchema = mutationSchema.shape.recordId;

interface RecordRef {
  entity: EntityName;
  record_id: string;
}

/** Case statuses in which the work is still going on: their file is not due. */
const openCaseStatuses = caseStatuses.filter((s) => !workEndedStatuses.includes(s));

/** Most records one retention transaction destroys; a larger backlog takes several. */
const PURGE_BATCH = 2000;

/** The records of one beneficiary's file, live or deleted (see the head of this file). */
async function fileOf(q: Queryable, associationId: string, beneficiaryId: string): Promise<RecordRef[]> {
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

/**
 * Destroys these records: tombstones marked purged, at new versions so every device hears of it; their
 * history and conflicts deleted; document files no live record names any more deleted. Returns the counts.
 */
async function purge(
  tx: Queryable,
  associationId: string,
  refs: readonly RecordRef[],
  who: AuditWho,
  action: 'destroy' | 'purge',
): Promise<DestroyResponse> {
  const versions = await takeVersions(tx, associationId);
  const entities = refs.map((r) => r.entity);
  const ids = refs.map((r) => r.record_id);
  const rows = await tx.query<RecordRef & { sha256: string | null }>(
    `SELECT r.entity, r.record_id, r.data->>'sha256' AS sha256
       FROM records r JOIN unnest($2::text[], $3::uuid[]) AS t(e, id) ON r.entity = t.e AND r.record_id = t.id
      WHERE r.association_id = $1 AND r.purged_at IS NULL
      ORDER BY r.entity, r.record_id`,
    [associationId, entities, ids],
  );
  const stamped = rows.map((r) => ({ ...r, version: versions.next() }));
  await tx.query(
    `UPDATE records r SET deleted = true, data = NULL, field_versions = '{}', purged_at = $2, updated_at = $2,
            version = t.v
       FROM unnest($3::text[], $4::uuid[], $5::bigint[]) AS t(e, id, v)
      WHERE r.association_id = $1 AND r.entity = t.e AND r.record_id = t.id`,
    [
      associationId,
      who.at,
      stamped.map((r) => r.entity),
      stamped.map((r) => r.record_id),
      stamped.map((r) => r.version),
    ],
  );
  for (const table of ['record_history', 'sync_conflicts']) {
    await tx.query(
      `DELETE FROM ${table} h USING unnest($2::text[], $3::uuid[]) AS t(e, id)
        WHERE h.association_id = $1 AND h.entity = t.e AND h.record_id = t.id`,
      [associationId, entities, ids],
    );
  }
  const shas = [...new Set(rows.flatMap((r) => (r.sha256 === null ? [] : [r.sha256])))];
  const files = await tx.query<{ sha256: string }>(
    `DELETE FROM attachment_files f
      WHERE f.association_id = $1 AND f.sha256 = ANY($2::text[])
        AND NOT EXISTS (SELECT 1 FROM records r
                         WHERE r.association_id = $1 AND r.entity = 'attachment' AND NOT r.deleted
                           AND r.data->>'sha256' = f.sha256)
      RETURNING f.sha256`,
    [associationId, shas],
  );
  await appendAudit(
    tx,
    who,
    action,
    stamped.map((r) => ({ entity: r.entity, recordId: r.record_id, version: r.version })),
  );
  await versions.save();
  return { records: stamped.length, files: files.length };
}

async function register(
  tx: Queryable,
  who: AuditWho,
  kind: 'export' | 'destroy' | 'retention',
  beneficiaryId: string | null,
  reason: string,
  counts: DestroyResponse,
) {
  await tx.query(
    `INSERT INTO rights_requests (association_id, beneficiary_id, kind, reason, records, files, user_id, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [who.associationId, beneficiaryId, kind, reason, counts.records, counts.files, who.userId, who.at],
  );
}

/** The beneficiary's record, when it was never destroyed (it may be deleted); otherwise not found. */
async function beneficiaryOf(q: Queryable, associationId: string, id: string) {
  const rows = recordIdSchema.safeParse(id).success
    ? await q.query<{ deleted: boolean }>(
        `SELECT deleted FROM records
          WHERE association_id = $1 AND entity = 'beneficiary' AND record_id = $2 AND purged_at IS NULL`,
        [associationId, id],
      )
    : [];
  const row = rows[0];
  if (row === undefined) throw new ServiceError(ErrorCode.notFound, 'No such beneficiary.');
  return row;
}

export interface RightsDeps {
  db: Db;
  now: () => number;
}

export function createRightsService({ db, now }: RightsDeps) {
  return {
    /**
     * Everything held about one beneficiary, for their access request: the records of their file, the
     * history of every change, the document files. Registered and audited.
     */
    async exportFile(caller: AuthContext, beneficiaryId: string): Promise<ExportDocument> {
      refuseIf(mayHandleRightsRequests(caller));
      const profile = await profileOfAssociation(db, caller.aid);
      const at = new Date(now());
      return db.transaction(async (tx) => {
        const beneficiary = await beneficiaryOf(tx, caller.aid, beneficiaryId);
        if (beneficiary.deleted) throw new ServiceError(ErrorCode.notFound, 'No such beneficiary.');
        const refs = await fileOf(tx, caller.aid, beneficiaryId);
        const rows = await tx.query<{
          entity: EntityName;
          record_id: string;
          version: string | number;
          data: Data;
          created_at: Date;
          updated_at: Date;
        }>(
          `SELECT r.entity, r.record_id, r.version, r.data, r.created_at, r.updated_at
             FROM records r JOIN unnest($2::text[], $3::uuid[]) AS t(e, id) ON r.entity = t.e AND r.record_id = t.id
            WHERE r.association_id = $1 AND NOT r.deleted
            ORDER BY r.created_at, r.entity, r.record_id`,
          [caller.aid, refs.map((r) => r.entity), refs.map((r) => r.record_id)],
        );
        const sensitiveToo = maySeeSensitive(caller, profile);
        const withheld = new Set<string>();
        const hidden = new Set<string>();
        const records: ExportDocument['records'] = [];
        for (const r of rows) {
          if (!sensitiveToo && holdsSensitive(profile, r.entity, r.data)) withheld.add('sensitive');
          if (!sensitiveToo && isSensitiveDocument(profile, r.entity, r.data)) {
            hidden.add(r.record_id);
            continue;
          }
          records.push({
            entity: r.entity,
            recordId: r.record_id,
            version: Number(r.version),
            createdAt: r.created_at.toISOString(),
            updatedAt: r.updated_at.toISOString(),
            data: redact(caller, profile, r.data),
          });
        }
        const history = (
          await historyOf(
            tx,
            caller.aid,
            refs
              .filter((r) => !hidden.has(r.record_id))
              .map((r) => ({ entity: r.entity, recordId: r.record_id })),
          )
        ).map((h) => ({
          entity: h.entity as EntityName,
          recordId: h.record_id,
          version: h.version,
          at: h.at.toISOString(),
          by: h.user_id,
          op: h.op,
          changes: redact(caller, profile, h.changes) as ExportDocument['history'][number]['changes'],
        }));
        const shas = records.flatMap((r) =>
          r.entity === 'attachment' && typeof r.data.sha256 === 'string' ? [r.data.sha256] : [],
        );
        const files = await tx.query<{ sha256: string; mime_type: string; size: number; data: Uint8Array }>(
          `SELECT sha256, mime_type, size, data FROM attachment_files
            WHERE association_id = $1 AND sha256 = ANY($2::text[]) ORDER BY sha256`,
          [caller.aid, [...new Set(shas)]],
        );
        const staff = await tx.query<{ id: string; display_name: string }>(
          'SELECT id, display_name FROM users WHERE association_id = $1 AND id = ANY($2::uuid[])',
          [caller.aid, [...new Set(history.map((h) => h.by))]],
        );
        const association = (
          await tx.query<{ name_ar: string; name_en: string }>(
            'SELECT name_ar, name_en FROM associations WHERE id = $1',
            [caller.aid],
          )
        )[0];
        const who = auditWho(caller, at);
        await appendAudit(
          tx,
          who,
          'export',
          records.map((r) => ({
            entity: r.entity,
            recordId: r.recordId,
            version: r.version,
            sensitive: holdsSensitive(profile, r.entity, r.data),
          })),
        );
        await register(tx, who, 'export', beneficiaryId, 'access request', {
          records: records.length,
          files: files.length,
        });
        return {
          format: 'wasel.beneficiary-export.v1',
          generatedAt: at.toISOString(),
          association: { nameAr: association?.name_ar ?? '', nameEn: association?.name_en ?? '' },
          beneficiaryId,
          records,
          history,
          staff: Object.fromEntries(staff.map((u) => [u.id, u.display_name])),
          files: files.map((f) => ({
            sha256: f.sha256,
            mimeType: f.mime_type,
            size: f.size,
            base64: Buffer.from(f.data).toString('base64'),
          })),
          withheld: [...withheld],
        };
      });
    },

    /** Destroys a beneficiary's whole file at their request, everywhere; registered and audited. */
    async destroyFile(caller: AuthContext, beneficiaryId: string, reason: string): Promise<DestroyResponse> {
      refuseIf(mayHandleRightsRequests(caller));
      const at = new Date(now());
      return db.transaction(async (tx) => {
        await beneficiaryOf(tx, caller.aid, beneficiaryId);
        const who = auditWho(caller, at);
        const counts = await purge(
          tx,
          caller.aid,
          await fileOf(tx, caller.aid, beneficiaryId),
          who,
          'destroy',
        );
        await register(tx, who, 'destroy', beneficiaryId, reason, counts);
        return counts;
      });
    },

    /**
     * The retention job (L-RETAIN): in every association, destroys the records whose retention period
     * (by record type, in the association's profile) has run out since the last activity in their file,
     * unless a case of that file is still open. Returns what it destroyed, by association.
     */
    async purgeExpired(): Promise<{ associationId: string; records: number; files: number }[]> {
      const at = new Date(now());
      const associations = await db.query<{ id: string }>('SELECT id FROM associations ORDER BY id');
      const report: { associationId: string; records: number; files: number }[] = [];
      for (const association of associations) {
        const { profile } = await currentProfile(db, association.id);
        if (profile.retention.length === 0) continue;
        const total = { records: 0, files: 0 };
        for (;;) {
          const counts = await db.transaction(async (tx) => {
            const due = await dueRecords(tx, association.id, profile, at);
            if (due.length === 0) return null;
            const who: AuditWho = { at, associationId: association.id, userId: null, deviceId: null };
            const done = await purge(tx, association.id, due, who, 'purge');
            await register(tx, who, 'retention', null, 'retention period ended', done);
            return done;
          });
          if (counts === null) break;
          total.records += counts.records;
          total.files += counts.files;
        }
        if (total.records > 0) report.push({ associationId: association.id, ...total });
      }
      return report;
    },
  };
}

export type RightsService = ReturnType<typeof createRightsService>;

/**
 * The live records of an association whose retention has run out at `at`: the last activity in their file
 * (their own last change, for a record in no file) is older than their type's period, and no case of the
 * file is open. Financial records outlive the file's other records: once those are gone, their own last
 * change is what counts.
 */
async function dueRecords(
  tx: Queryable,
  associationId: string,
  profile: PolicyProfile,
  at: Date,
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
      LIMIT ${PURGE_BATCH}`,
    [
      associationId,
      profile.retention.map((r) => r.entity),
      profile.retention.map((r) => r.years),
      at,
      openCaseStatuses,
    ],
  );
}
