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
import * as store from '../store/import-store';
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
    const rows = await store.peopleWithNationalIds(tx, aid, [...ids]);
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
    const rows = await store.heldRecords(tx, aid, records);
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
    const branches = await store.branchesOf(tx, caller.aid);
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
    {
      caller,
      at,
      records,
      nextVersion,
      client,
    }: {
      caller: AuthContext;
      at: Date;
      records: readonly PlannedRecord[];
      nextVersion: () => number;
      /** The client id the records' fields are stamped with. */
      client: string;
    },
  ) {
    const who = auditWho(caller, at);
    for (let start = 0; start < records.length; start += CHUNK) {
      const chunk = records.slice(start, start + CHUNK).map((r) => ({ ...r, version: nextVersion() }));
      await store.insertRecords(
        tx,
        { associationId: caller.aid, userId: caller.sub, at },
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
        if (await store.importedBefore(db, caller.aid, request.fileSha256)) return nothing(true);
        const { plan: dry, found } = await plan(db, caller, request);
        await auditLookups(db, caller, at, found);
        return answer(true, dry);
      }
      return db.transaction(async (tx) => {
        // Taken first and held to commit: the import's versions come in commit order, and two imports of the
        // same file (or of the same people) run one after the other, the second seeing the first's records.
        const versions = await takeVersions(tx, caller.aid);
        if (await store.importedBefore(tx, caller.aid, request.fileSha256)) return nothing(false);
        const { plan: real, found } = await plan(tx, caller, request);
        await auditLookups(tx, caller, at, found);
        const result = answer(false, real);
        if (real.records.length === 0) return result;
        await write(tx, {
          caller,
          at,
          records: real.records,
          nextVersion: versions.next,
          client: `import:${request.fileSha256.slice(0, 16)}`,
        });
        await versions.save();
        // Only an import that created something is remembered: a file whose rows were all refused (a column
        // mapped wrong) can be sent again once mapped right.
        await store.registerImport(tx, {
          associationId: caller.aid,
          fileSha256: request.fileSha256,
          importedBy: caller.sub,
          at,
          beneficiaries: result.created.beneficiaries,
          householdMembers: result.created.householdMembers,
        });
        return result;
      });
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
