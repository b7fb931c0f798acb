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
import type { EntityName } from '../../src/protocol/entities';
import { ErrorCode } from '../../src/protocol/errors';
import { mutationSchema } from '../../src/protocol/push';
import type { DestroyResponse, ExportDocument } from '../../src/protocol/rights';
import { appendAudit, auditWho, type AuditWho } from '../store/audit-store';
import type { Db, Queryable } from '../store/db';
import { historyOf } from '../store/history-store';
import * as store from '../store/rights-store';
import type { RecordRef } from '../store/rights-store';
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

/** A record id is a UUID, as on the wire. */
const recordIdSchema = mutationSchema.shape.recordId;

/** Case statuses in which the work is still going on: their file is not due. */
const openCaseStatuses = caseStatuses.filter((s) => !workEndedStatuses.includes(s));

/** Most records one retention transaction destroys; a larger backlog takes several. */
const PURGE_BATCH = 2000;

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
  const rows = await store.undestroyed(tx, associationId, refs);
  const stamped = rows.map((r) => ({ ...r, version: versions.next() }));
  await store.markPurged(tx, associationId, who.at, stamped);
  await store.deleteHistoryAndConflicts(tx, associationId, refs);
  const shas = [...new Set(rows.flatMap((r) => (r.sha256 === null ? [] : [r.sha256])))];
  const files = await store.deleteUnnamedFiles(tx, associationId, shas);
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
  request: { kind: 'export' | 'destroy' | 'retention'; beneficiaryId: string | null; reason: string },
  counts: DestroyResponse,
) {
  await store.registerRightsRequest(tx, {
    associationId: who.associationId,
    ...request,
    records: counts.records,
    files: counts.files,
    userId: who.userId,
    at: who.at,
  });
}

/** The beneficiary's record, when it was never destroyed (it may be deleted); otherwise not found. */
async function beneficiaryOf(q: Queryable, associationId: string, id: string) {
  const row = recordIdSchema.safeParse(id).success
    ? await store.undestroyedBeneficiary(q, associationId, id)
    : undefined;
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
        const refs = await store.fileOf(tx, caller.aid, beneficiaryId);
        const rows = await store.liveRecordsOf(tx, caller.aid, refs);
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
        const files = await store.filesOf(tx, caller.aid, [...new Set(shas)]);
        const staff = await store.staffNames(tx, caller.aid, [...new Set(history.map((h) => h.by))]);
        const association = await store.associationNames(tx, caller.aid);
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
        await register(
          tx,
          who,
          { kind: 'export', beneficiaryId, reason: 'access request' },
          {
            records: records.length,
            files: files.length,
          },
        );
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
          await store.fileOf(tx, caller.aid, beneficiaryId),
          who,
          'destroy',
        );
        await register(tx, who, { kind: 'destroy', beneficiaryId, reason }, counts);
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
      const associations = await store.associationIds(db);
      const report: { associationId: string; records: number; files: number }[] = [];
      for (const association of associations) {
        const { profile } = await currentProfile(db, association.id);
        if (profile.retention.length === 0) continue;
        const total = { records: 0, files: 0 };
        for (;;) {
          const counts = await db.transaction(async (tx) => {
            const due = await store.dueRecords(tx, {
              associationId: association.id,
              retention: profile.retention,
              at,
              openStatuses: openCaseStatuses,
              limit: PURGE_BATCH,
            });
            if (due.length === 0) return null;
            const who: AuditWho = { at, associationId: association.id, userId: null, deviceId: null };
            const done = await purge(tx, association.id, due, who, 'purge');
            await register(
              tx,
              who,
              { kind: 'retention', beneficiaryId: null, reason: 'retention period ended' },
              done,
            );
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
