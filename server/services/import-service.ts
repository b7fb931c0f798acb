// The import of an association's existing caseload (issue 19): its administrator sends the rows of a
// spreadsheet, mapped to fields, for a dry run and then for the import. The server is the authority: it checks
// every row again with the same functions as the device (src/protocol/import.ts), against the association's
// own records, and writes the records the way a push does — each at the association's next version, with its
// branch, field versions, history and audit — so that devices pull them like any other change.
//
// Partial import: the rows that pass become records, each refused row is reported with why. A caseload of
// thousands of rows kept in spreadsheets for years always holds a few bad ones; refusing the whole file for
// them would hold back every good row. The rows fixed later come in a corrected file: everyone imported before
// is then refused as import_exists (never overwritten, never duplicated), and only the fixed rows are new.
// The dry run runs the same plan and says exactly this: how many rows will be imported, and which are refused.
import { createHash } from 'node:crypto';
import { importRecordName, uuidFromDigest, type ExistingPerson } from '../../src/domain/import-rows';
import { ErrorCode } from '../../src/protocol/errors';
import {
  planImport,
  type ImportPlan,
  type ImportRequest,
  type ImportResponse,
  type PlannedRecord,
  type TakenId,
} from '../../src/protocol/import';
import { checkNationalId } from '../../src/domain/national-id';
import { appendAudit, auditWho, type AuditEntry } from '../store/audit-store';
import type { Db, Queryable } from '../store/db';
import { appendHistory, type HistoryEntry } from '../store/history-store';
import { takeVersions } from '../store/versions';
import type { AuthContext } from './auth-service';
import { refuseIf, ServiceError } from './errors';
import { mayAdministerAssociation } from './policy';
import { currentProfile } from './records';

/** Records written per statement: a few hundred kilobytes of JSON each, on PGlite as on PostgreSQL. */
const CHUNK = 2000;

interface FoundPerson extends ExistingPerson {
  nationalId: string;
  version: number;
}

export function createImportService(deps: { db: Db; now: () => number }) {
  const { db, now } = deps;

  /** The record id of an imported person: derived from the association and who they are. */
  const recordIdOf = (associationId: string) => (entity: PlannedRecord['entity'], key: string) =>
    uuidFromDigest(
      createHash('sha256')
        .update(importRecordName(associationId, entity, key))
        .digest(),
    );

  /** The association's people with the national IDs the rows name (their own and their heads'). */
  async function peopleNamed(tx: Queryable, aid: string, request: ImportRequest): Promise<FoundPerson[]> {
    const ids = new Set<string>();
    for (const row of request.rows)
      for (const value of [row.nationalId, row.headNationalId]) {
        const checked = checkNationalId(value ?? '');
        if (checked.ok) ids.add(checked.value);
      }
    if (ids.size === 0) return [];
    // Answered by the partial index on (association_id, data->>'nationalId') of migration 008.
    const rows = await tx.query<{
      entity: 'beneficiary' | 'household_member';
      record_id: string;
      branch_id: string | null;
      version: string | number;
      national_id: string;
    }>(
      `SELECT entity, record_id, branch_id, version, data->>'nationalId' AS national_id FROM records
        WHERE association_id = $1 AND entity IN ('beneficiary', 'household_member') AND NOT deleted
          AND data->>'nationalId' = ANY($2::text[])
        ORDER BY entity, record_id`,
      [aid, [...ids]],
    );
    return rows.map((r) => ({
      entity: r.entity,
      recordId: r.record_id,
      branchId: r.branch_id,
      nationalId: r.national_id,
      version: Number(r.version),
    }));
  }

  /** Which of these ids the association's table holds already, live or removed. */
  async function takenIds(tx: Queryable, aid: string, records: readonly PlannedRecord[]) {
    const taken = new Map<string, TakenId>();
    if (records.length === 0) return taken;
    const rows = await tx.query<{ record_id: string; deleted: boolean }>(
      `SELECT record_id, deleted FROM records
        WHERE association_id = $1 AND (entity, record_id) IN (SELECT * FROM unnest($2::text[], $3::uuid[]))`,
      [aid, records.map((r) => r.entity), records.map((r) => r.recordId)],
    );
    for (const r of rows) taken.set(r.record_id, r.deleted ? 'removed' : 'live');
    return taken;
  }

  /** The plan of an import, read in `tx` (the import's transaction, or the database for a dry run). */
  async function plan(
    tx: Queryable,
    caller: AuthContext,
    request: ImportRequest,
  ): Promise<{ plan: ImportPlan; found: FoundPerson[] }> {
    const { profile } = await currentProfile(tx, caller.aid);
    const branches = await tx.query<{
      id: string;
      code: string;
      name_ar: string;
      name_en: string;
      closed_at: Date | null;
    }>('SELECT id, code, name_ar, name_en, closed_at FROM branches WHERE association_id = $1', [caller.aid]);
    const defaultBranchId = request.defaultBranchId ?? null;
    if (defaultBranchId !== null && !branches.some((b) => b.id === defaultBranchId))
      throw new ServiceError(ErrorCode.invalidRequest, 'No such branch in this association.', undefined, {
        fields: [{ path: 'defaultBranchId', message: 'not a branch of this association' }],
      });
    const found = await peopleNamed(tx, caller.aid, request);
    // A beneficiary wins over a household member with the same number: it can head a household.
    const existing = new Map<string, ExistingPerson>();
    for (const p of found)
      if (p.entity === 'beneficiary' || !existing.has(p.nationalId)) existing.set(p.nationalId, p);
    const context = {
      branches: branches.map((b) => ({
        id: b.id,
        code: b.code,
        nameAr: b.name_ar,
        nameEn: b.name_en,
        closed: b.closed_at !== null,
      })),
      defaultBranchId,
      categories: profile.categories,
      existing,
    };
    const idOf = recordIdOf(caller.aid);
    const first = planImport(request.rows, context, profile, idOf);
    const taken = await takenIds(tx, caller.aid, first.records);
    // Rare: a record imported before under a number since corrected, or one deleted or destroyed.
    return {
      plan: taken.size === 0 ? first : planImport(request.rows, context, profile, idOf, taken),
      found,
    };
  }

  /** Has this association imported this file before? */
  async function importedBefore(tx: Queryable, aid: string, sha256: string): Promise<boolean> {
    const rows = await tx.query<{ n: number }>(
      'SELECT 1 AS n FROM imports WHERE association_id = $1 AND file_sha256 = $2',
      [aid, sha256],
    );
    return rows.length > 0;
  }

  const nothing = (dryRun: boolean): ImportResponse => ({
    dryRun,
    accepted: 0,
    refused: [],
    created: { beneficiaries: 0, householdMembers: 0 },
    alreadyImported: true,
  });

  const answer = (dryRun: boolean, { records, problems }: ImportPlan): ImportResponse => ({
    dryRun,
    accepted: records.length,
    refused: problems,
    created: {
      beneficiaries: records.filter((r) => r.entity === 'beneficiary').length,
      householdMembers: records.filter((r) => r.entity === 'household_member').length,
    },
    alreadyImported: false,
  });

  /**
   * The records the rows named that the association holds, on the record as looked up (as the duplicate check
   * logs what it names): an import reveals whether a national ID is known. Written by a dry run too.
   */
  async function auditLookups(tx: Queryable, caller: AuthContext, at: Date, found: readonly FoundPerson[]) {
    await appendAudit(
      tx,
      auditWho(caller, at),
      'lookup',
      found.map((p) => ({ entity: p.entity, recordId: p.recordId, version: p.version })),
    );
  }

  /** Writes the planned records at the association's next versions, with their history and audit. */
  async function write(
    tx: Queryable,
    caller: AuthContext,
    at: Date,
    records: readonly PlannedRecord[],
    nextVersion: () => number,
    client: string,
  ) {
    const who = auditWho(caller, at);
    for (let start = 0; start < records.length; start += CHUNK) {
      const chunk = records.slice(start, start + CHUNK).map((r) => ({ ...r, version: nextVersion() }));
      await tx.query(
        `INSERT INTO records (association_id, entity, record_id, branch_id, version, deleted, data, field_versions,
                              created_by, updated_by, created_at, updated_at)
         SELECT $1, t.entity, t.record_id, t.branch_id, t.version, false, t.data, t.field_versions, $2, $2, $3, $3
           FROM jsonb_to_recordset($4::jsonb) AS t(entity text, record_id uuid, branch_id uuid, version bigint,
                                                   data jsonb, field_versions jsonb)`,
        [
          caller.aid,
          caller.sub,
          at,
          JSON.stringify(
            chunk.map((r) => ({
              entity: r.entity,
              record_id: r.recordId,
              branch_id: r.branchId,
              version: r.version,
              data: r.data,
              // Every field was set by this import: a device's later change to one is judged against it.
              field_versions: Object.fromEntries(
                Object.keys(r.data).map((f) => [f, { v: r.version, c: client }]),
              ),
            })),
          ),
        ],
      );
      const written: AuditEntry[] = chunk.map((r) => ({
        entity: r.entity,
        recordId: r.recordId,
        version: r.version,
      }));
      await appendAudit(tx, who, 'write', written);
      const history: HistoryEntry[] = chunk.map((r) => ({
        entity: r.entity,
        record_id: r.recordId,
        version: r.version,
        op: 'create',
        changes: Object.fromEntries(Object.entries(r.data).map(([f, after]) => [f, { before: null, after }])),
      }));
      await appendHistory(tx, who, history);
    }
  }

  return {
    /** Refuses anyone but the association's administrators, before their request is even read. */
    assertMayImport(caller: AuthContext): void {
      refuseIf(mayAdministerAssociation(caller));
    },

    async run(caller: AuthContext, request: ImportRequest): Promise<ImportResponse> {
      refuseIf(mayAdministerAssociation(caller));
      const at = new Date(now());
      if (request.dryRun) {
        if (await importedBefore(db, caller.aid, request.fileSha256)) return nothing(true);
        const { plan: dry, found } = await plan(db, caller, request);
        await auditLookups(db, caller, at, found);
        return answer(true, dry);
      }
      return db.transaction(async (tx) => {
        // Taken first and held to commit: the import's versions come in commit order, and two imports of the
        // same file (or of the same people) run one after the other, the second seeing the first's records.
        const versions = await takeVersions(tx, caller.aid);
        if (await importedBefore(tx, caller.aid, request.fileSha256)) return nothing(false);
        const { plan: real, found } = await plan(tx, caller, request);
        await auditLookups(tx, caller, at, found);
        const result = answer(false, real);
        if (real.records.length === 0) return result;
        await write(tx, caller, at, real.records, versions.next, `import:${request.fileSha256.slice(0, 16)}`);
        await versions.save();
        // Only an import that created something is remembered: a file whose rows were all refused (a column
        // mapped wrong) can be sent again once mapped right.
        await tx.query(
          `INSERT INTO imports (association_id, file_sha256, imported_by, imported_at, beneficiaries, household_members)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            caller.aid,
            request.fileSha256,
            caller.sub,
            at,
            result.created.beneficiaries,
            result.created.householdMembers,
          ],
        );
        return result;
      });
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
