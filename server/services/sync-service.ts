// Push and pull of the sync protocol v1 (ARCHITECTURE.md).
//
// Push: one transaction per request, under the association's advisory lock. Mutations are applied in seq
// order; a seq already applied is a harmless duplicate, a gap is refused, and `last_seq` moves in the same
// transaction as the data, so a retried request (after a lost response or a crash) never applies twice.
// Every mutation ends applied, conflicted (stored for review, server values kept) or rejected (with field
// errors); conflicted and rejected ones still advance `last_seq`, so a queue never blocks.
//
// Pull: every change the user may see with a version after the cursor, each record once at its latest version.
import { isDeepStrictEqual } from 'node:util';
import type { Request } from '../../src/domain/case-machine';
import {
  answerErrors,
  instrumentById,
  staffSurveyRefusal,
  type SurveyInstrument,
} from '../../src/domain/surveys';
import { riyadhDate } from '../../src/domain/working-days';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import { caseSchema, type EntityName } from '../../src/protocol/entities';
import { ErrorCode } from '../../src/protocol/errors';
import {
  decodeCursor,
  encodeCursor,
  MAX_PULL_LIMIT,
  type Change,
  type Mutation,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type PushResult,
} from '../../src/protocol/sync';
import { validateEntity, type FieldError } from '../../src/protocol/validate';
import type { Db, Queryable } from '../store/db';
import type { AuthContext } from './auth-service';
import { runStep, type RecordReader } from './case-steps';
import { ServiceError } from './errors';
import { currentProfile, profileAtVersion, profileOfAssociation } from './records';
import { noticeOf } from '../../src/domain/privacy-notice';
import {
  branchSource,
  hiddenEntities,
  holdsSensitive,
  isSensitiveDocument,
  mayReadBranch,
  maySeeSensitive,
  mayWrite,
  readableBranches,
  redact,
} from './policy';
import { appendAudit, appendPullRange, auditWho, type AuditEntry } from '../store/audit-store';
import { appendHistory, type HistoryEntry } from '../store/history-store';
import { syncHead, takeVersions } from '../store/versions';

type Data = Record<string, unknown>;

interface FieldVersion {
  v: number;
  c: string;
}

interface RecordRow {
  branch_id: string | null;
  version: string | number;
  deleted: boolean;
  data: Data | null;
  /** For each top-level field: the version that last changed it and the client that did. */
  field_versions: Record<string, FieldVersion>;
  /** Set when the record was destroyed (rights request or retention): it can never come back. */
  purged_at: Date | null;
}

/** A push refused as a whole: the client must resend from `expectedSeq`. */
export class SeqGapError extends ServiceError {
  constructor(readonly expectedSeq: number) {
    super(ErrorCode.seqGap, `Mutations must continue at seq ${expectedSeq}.`, undefined, { expectedSeq });
  }
}

class Rejection extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

export interface SyncDeps {
  db: Db;
  now: () => number;
}

/** What every mutation of one push is applied with: its transaction, records, caller, clock and log. */
interface PushContext {
  tx: Queryable;
  set: WorkingSet;
  auth: AuthContext;
  clientId: string;
  profile: PolicyProfile;
  /** The version of `profile`: the one a request opened now is opened under. */
  profileVersion: number;
  /** Hands out the association's next version. */
  nextVersion: () => number;
  /** The server's clock for this push. */
  at: Date;
  /** The field changes of this push, for the record history. */
  history: HistoryEntry[];
}

/**
 * The records one push reads and writes, held in memory for the length of its transaction: read in one
 * query up front (those the mutations name, and their parents), changed in memory as each mutation applies
 * in order, and written back in one statement before commit. A push of N mutations thus costs a fixed number
 * of round trips to the database instead of about three per mutation, which is what bounded the server
 * under many devices (issue 8: each statement is a system call and a wake-up of a database backend).
 */
interface WorkingSet extends RecordReader {
  get(entity: EntityName, id: string): Promise<RecordRow | undefined>;
  put(entity: EntityName, id: string, row: RecordRow): void;
  /** The ids of the association's branches (read once per push). */
  branches(): Promise<ReadonlySet<string>>;
}

/**
 * Records that are documents of what happened, signed by their author: once stored, nobody changes or deletes
 * them over sync (a decision, a research report, a notification, a contact, a satisfaction answer). Only
 * the rights and retention services destroy them, on the record.
 */
const finalEntities: ReadonlySet<EntityName> = new Set([
  'decision',
  'research_report',
  'notification',
  'interaction',
  'survey_response',
]);

/** The field of each entity that names the user who wrote it (a signature of sorts). */
const stampFields: Partial<Record<EntityName, string>> = {
  decision: 'by',
  research_report: 'by',
  notification: 'by',
  interaction: 'by',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function createWorkingSet(tx: Queryable, aid: string) {
  /** What the database holds (null: no such record), then what this push made of it. */
  const known = new Map<string, RecordRow | null>();
  const dirty = new Set<string>();
  let holidayDates: Promise<string[]> | undefined;
  let branchIds: Promise<ReadonlySet<string>> | undefined;
  /** Records by parent, as the table holds them (read once per push). */
  const stored = new Map<string, Promise<{ record_id: string; data: Data }[]>>();
  const keyOf = (entity: string, id: string) => `${entity}\u0000${id}`;
  const select = `SELECT entity, record_id, branch_id, version, deleted, data, field_versions, purged_at FROM records`;

  async function load(wanted: readonly { entity: EntityName; id: string }[]) {
    // Ids that are not UUIDs cannot be in the table (get answers "none" for them without asking).
    const missing = wanted.filter((w) => UUID.test(w.id) && !known.has(keyOf(w.entity, w.id)));
    if (missing.length === 0) return;
    const rows = await tx.query<RecordRow & { entity: string; record_id: string }>(
      `${select} WHERE association_id = $1
          AND (entity, record_id) IN (SELECT * FROM unnest($2::text[], $3::uuid[]))`,
      [aid, missing.map((w) => w.entity), missing.map((w) => w.id)],
    );
    for (const w of missing) known.set(keyOf(w.entity, w.id), null);
    for (const { entity, record_id, ...row } of rows) known.set(keyOf(entity, record_id), row);
  }

  const set: WorkingSet = {
    async get(entity, id) {
      // Not a UUID: no such record (a parent id typed wrong is refused as parent_not_found, not a 500).
      if (!UUID.test(id)) return undefined;
      const key = keyOf(entity, id);
      if (!known.has(key)) {
        const rows = await tx.query<RecordRow>(
          `${select} WHERE association_id = $1 AND entity = $2 AND record_id = $3`,
          [aid, entity, id],
        );
        known.set(key, rows[0] ?? null);
      }
      return known.get(key) ?? undefined;
    },
    put(entity, id, row) {
      const key = keyOf(entity, id);
      known.set(key, row);
      dirty.add(key);
    },
    async data(entity, id) {
      const row = await set.get(entity, id);
      return row === undefined || row.deleted ? null : row.data;
    },
    async children(entity, field, parentId) {
      if (!UUID.test(parentId)) return [];
      // `field` is one of two literal names (the type says which), never a caller's text.
      // The table does not change until the push is flushed: each list is read once per push (a request's
      // steps ask for the same ones again and again).
      const listKey = `${entity}\u0000${field}\u0000${parentId}`;
      let read = stored.get(listKey);
      if (read === undefined) {
        read = tx.query<{ record_id: string; data: Data }>(
          `SELECT record_id, data FROM records
            WHERE association_id = $1 AND entity = $2 AND data ? '${field}' AND data->>'${field}' = $3 AND NOT deleted`,
          [aid, entity, parentId],
        );
        stored.set(listKey, read);
      }
      const rows = await read;
      // What this push changed is in the working set, not yet in the table: it wins.
      const found = new Map<string, Data>();
      for (const r of rows) if (!known.has(keyOf(entity, r.record_id))) found.set(r.record_id, r.data);
      const prefix = keyOf(entity, '');
      for (const [key, row] of known) {
        if (!key.startsWith(prefix) || row === null || row.deleted || row.data?.[field] !== parentId)
          continue;
        found.set(key.slice(prefix.length), row.data);
      }
      return [...found].map(([id, data]) => ({ id, data }));
    },
    branches() {
      branchIds ??= tx
        .query<{ id: string }>('SELECT id FROM branches WHERE association_id = $1', [aid])
        .then((rows) => new Set(rows.map((r) => r.id)));
      return branchIds;
    },
    async researchers(branchId) {
      const rows = await tx.query<{ id: string }>(
        `SELECT id FROM users WHERE association_id = $1 AND role = 'researcher' AND disabled_at IS NULL
            AND branch_id = $2`,
        [aid, branchId],
      );
      return rows.map((r) => r.id);
    },
    async holidays() {
      holidayDates ??= tx
        .query<{ date: string | null }>(
          `SELECT data->>'date' AS date FROM records WHERE association_id = $1 AND entity = 'holiday' AND NOT deleted`,
          [aid],
        )
        .then((rows) => rows.flatMap((r) => (r.date === null ? [] : [r.date])));
      return holidayDates;
    },
  };

  return {
    set,
    /** Reads the records the mutations name and the parents their patches name, in one query. */
    async prefetch(mutations: readonly Mutation[]) {
      const wanted: { entity: EntityName; id: string }[] = [];
      for (const m of mutations) {
        wanted.push({ entity: m.entity, id: m.recordId });
        const source = branchSource[m.entity];
        if (source.kind !== 'parent') continue;
        for (const parent of source.parents) {
          const id = m.patch[parent.field];
          if (typeof id === 'string') wanted.push({ entity: parent.entity, id });
        }
      }
      await load(wanted);
    },
    /** Writes every record this push changed, each at its last state, in one statement. */
    async flush(userId: string, at: Date) {
      if (dirty.size === 0) return;
      const rows = [...dirty].map((key) => {
        const [entity, recordId] = key.split('\u0000');
        const row = known.get(key);
        if (row === undefined || row === null) throw new Error(`working set lost ${key}`);
        return {
          entity,
          record_id: recordId,
          branch_id: row.branch_id,
          version: Number(row.version),
          deleted: row.deleted,
          data: row.data,
          field_versions: row.field_versions,
        };
      });
      await tx.query(
        `INSERT INTO records (association_id, entity, record_id, branch_id, version, deleted, data, field_versions,
                              created_by, updated_by, created_at, updated_at)
         SELECT $1, t.entity, t.record_id, t.branch_id, t.version, t.deleted,
                CASE WHEN t.deleted THEN NULL ELSE t.data END, t.field_versions, $2, $2, $3, $3
           FROM jsonb_to_recordset($4::jsonb) AS t(entity text, record_id uuid, branch_id uuid, version bigint,
                                                   deleted boolean, data jsonb, field_versions jsonb)
         ON CONFLICT (association_id, entity, record_id) DO UPDATE
           SET branch_id = EXCLUDED.branch_id, version = EXCLUDED.version, deleted = EXCLUDED.deleted,
               data = EXCLUDED.data, field_versions = EXCLUDED.field_versions, updated_by = EXCLUDED.updated_by,
               updated_at = EXCLUDED.updated_at`,
        [aid, userId, at, JSON.stringify(rows)],
      );
    },
  };
}

/**
 * The scope a pull read with, for its audit range, from the very parameters of its SQL conditions
 * (readableBranches: none for every branch; hiddenEntities: the entities, then the caller).
 */
function pullScope(
  scope: { sql: string; params: unknown[] },
  hidden: { params: unknown[] },
): { branches: (string | null)[] | null; hiddenEntities: string[] } {
  const entities = hidden.params[0];
  return {
    branches: scope.sql === '' ? null : scope.params.map((p) => (typeof p === 'string' ? p : null)),
    hiddenEntities: Array.isArray(entities) ? entities.filter((e): e is string => typeof e === 'string') : [],
  };
}

export function createSyncService({ db, now }: SyncDeps) {
  /** The branch a record belongs to, from its own data or its parent's; null for the whole association. */
  async function branchOf(set: WorkingSet, entity: EntityName, data: Data): Promise<string | null> {
    const source = branchSource[entity];
    if (source.kind === 'association') return null;
    if (source.kind === 'own') {
      if (typeof data.branchId !== 'string') return null;
      // One of the association's own branches: a made-up one would hide the record from every branch.
      if (!(await set.branches()).has(data.branchId))
        throw new Rejection('validation_failed', 'No such branch in this association.', [
          { path: 'branchId', code: 'branch_unknown' },
        ]);
      return data.branchId;
    }
    for (const parent of source.parents) {
      const parentId = data[parent.field];
      if (typeof parentId !== 'string') continue;
      const row = await set.get(parent.entity, parentId);
      if (row === undefined || row.deleted) {
        throw new Rejection('parent_not_found', `No ${parent.entity} ${parentId}.`, [
          { path: parent.field, code: 'parent_not_found' },
        ]);
      }
      return row.branch_id;
    }
    return null;
  }

  function assertMayWrite(
    auth: AuthContext,
    entity: EntityName,
    branchId: string | null,
    data: Data,
    currentBranchId: string | null | undefined,
  ) {
    const denial = mayWrite(auth, entity, branchId, data, currentBranchId);
    if (denial !== null)
      throw new Rejection(
        denial.code,
        denial.message,
        denial.field === undefined ? [] : [{ path: denial.field, code: 'forbidden' }],
      );
  }

  /**
   * A stamp a caller writes (who decided, reported, notified, recorded consent) names the caller: a device may
   * not write a record in another user's name. Only a stamp the change sets or alters is judged.
   */
  function assertOwnStamps(auth: AuthContext, entity: EntityName, before: Data, patch: Data) {
    const changed = (field: string) => field in patch && !isDeepStrictEqual(before[field], patch[field]);
    const stampField = stampFields[entity];
    if (stampField !== undefined && changed(stampField) && patch[stampField] !== auth.sub)
      throw new Rejection('stamp_not_caller', 'A record may be signed only in its author’s own name.', [
        { path: stampField, code: 'stamp_not_caller' },
      ]);
    if (entity === 'complaint') assertComplaintStamps(auth, before, patch);
    // A national ID is corrected, never silently changed: the correction says from what, why, and by whom.
    if (entity === 'beneficiary' && typeof before.nationalId === 'string' && changed('nationalId')) {
      const correction = patch.idCorrection as { from?: unknown; by?: unknown; reason?: unknown } | undefined;
      if (
        correction?.from !== before.nationalId ||
        typeof correction.reason !== 'string' ||
        correction.reason.trim() === ''
      )
        throw new Rejection('id_correction_required', 'A national ID is changed only by a correction.', [
          { path: 'nationalId', code: 'id_correction_required' },
        ]);
      if (correction.by !== auth.sub)
        throw new Rejection('stamp_not_caller', 'A correction is recorded in the name of who made it.', [
          { path: 'idCorrection.by', code: 'stamp_not_caller' },
        ]);
    }
    if (entity === 'beneficiary' && changed('consent')) {
      const consent = patch.consent as { recordedBy?: unknown } | null | undefined;
      if (consent != null && consent.recordedBy !== auth.sub)
        throw new Rejection('stamp_not_caller', 'Consent is recorded in the name of who took it.', [
          { path: 'consent.recordedBy', code: 'stamp_not_caller' },
        ]);
    }
  }

  /**
   * A document, a signature or a notification of a request belongs to that request's beneficiary: a record
   * naming a request of another file (even one of the writer's own branch) is refused, so that nothing can be
   * planted on a request from outside it.
   */
  async function assertSameFile(set: WorkingSet, entity: EntityName, data: Data) {
    if ((entity !== 'attachment' && entity !== 'notification') || typeof data.caseId !== 'string') return;
    const request = await set.data('case', data.caseId);
    if (request === null)
      throw new Rejection('parent_not_found', `No case ${data.caseId}.`, [
        { path: 'caseId', code: 'parent_not_found' },
      ]);
    if (data.beneficiaryId != null && request.beneficiaryId !== data.beneficiaryId)
      throw new Rejection('parent_mismatch', 'The request belongs to another beneficiary.', [
        { path: 'caseId', code: 'parent_mismatch' },
      ]);
  }

  /**
   * K-CMPL-a..c: the follow-up unit's handling is a log — earlier entries stay as written, each new one names
   * its writer — and the resolution names who settled or escalated the complaint.
   */
  function assertComplaintStamps(auth: AuthContext, before: Data, patch: Data) {
    const refuse = (path: string) => {
      throw new Rejection('stamp_not_caller', 'A complaint is handled only in the handler’s own name.', [
        { path, code: 'stamp_not_caller' },
      ]);
    };
    const byOf = (entry: unknown) =>
      typeof entry === 'object' && entry !== null && 'by' in entry ? entry.by : undefined;
    if ('handling' in patch && Array.isArray(patch.handling)) {
      const earlier = Array.isArray(before.handling) ? before.handling : [];
      const kept = patch.handling.slice(0, earlier.length);
      if (kept.length < earlier.length || !isDeepStrictEqual(kept, earlier)) refuse('handling');
      patch.handling.slice(earlier.length).forEach((entry: unknown, i) => {
        if (byOf(entry) !== auth.sub) refuse(`handling.${earlier.length + i}.by`);
      });
    }
    if (
      'resolution' in patch &&
      patch.resolution != null &&
      !isDeepStrictEqual(before.resolution, patch.resolution)
    )
      if (byOf(patch.resolution) !== auth.sub) refuse('resolution.by');
  }

  /**
   * K-SAT-b..d: answers a member of staff records with a field survey, a supervisory visit or an interview:
   * an instrument the policy names and their role runs, tied to no request and spending no ballot; a named
   * beneficiary must be one the association holds.
   */
  async function staffAnswer(
    tx: Queryable,
    set: WorkingSet,
    auth: AuthContext,
    profile: PolicyProfile,
    instrument: SurveyInstrument,
    answer: Data,
  ): Promise<Data> {
    const refusal = staffSurveyRefusal(instrument, auth.role, profile);
    if (refusal !== null)
      throw new Rejection(refusal, 'This survey is not recorded by this role here.', [
        { path: 'surveyId', code: refusal },
      ]);
    if (answer.caseId !== null || answer.ballot !== undefined)
      throw new Rejection('validation_failed', 'A staff survey names no request and spends no ballot.', [
        { path: answer.caseId !== null ? 'caseId' : 'ballot', code: 'survey_by_staff' },
      ]);
    if (typeof answer.beneficiaryId === 'string') {
      const person = await set.data('beneficiary', answer.beneficiaryId);
      if (person === null)
        throw new Rejection('parent_not_found', `No beneficiary ${answer.beneficiaryId}.`, [
          { path: 'beneficiaryId', code: 'parent_not_found' },
        ]);
      // Someone of the branch the answer is recorded in: not a way to name another branch's beneficiary.
      if (person.branchId !== answer.branchId)
        throw new Rejection('validation_failed', 'The beneficiary is of another branch.', [
          { path: 'beneficiaryId', code: 'beneficiary_mismatch' },
        ]);
    }
    // The unit concerned (the one visited, for a supervisor) is one of the association's open branches.
    const branch = await tx.query(
      'SELECT 1 FROM branches WHERE association_id = $1 AND id = $2 AND closed_at IS NULL',
      [auth.aid, answer.branchId],
    );
    if (branch.length === 0)
      throw new Rejection('validation_failed', 'No such branch.', [
        { path: 'branchId', code: 'branch_unknown' },
      ]);
    return { ...answer, serviceTypeId: null };
  }

  /**
   * C-OBJ-5, C-OBJ-6, K-SAT-a: an answer is checked against its instrument's questions and scales; the
   * beneficiary's questionnaire belongs to one delivered request and spends that delivery's one-time ballot. A named answer's request must be
   * delivered and its beneficiary's; an anonymous one names neither. The ballot is spent, never stored with the
   * answer; the service rated comes from the ballot, not the device. Returns the answer as stored.
   */
  async function checkAnswer(
    tx: Queryable,
    set: WorkingSet,
    auth: AuthContext,
    profile: PolicyProfile,
    answer: Data,
  ): Promise<Data> {
    let named: Data | null = null;
    const instrument = instrumentById(answer.surveyId);
    if (instrument === undefined)
      throw new Rejection('survey_unknown', 'No such survey.', [
        { path: 'surveyId', code: 'survey_unknown' },
      ]);
    const faults = answerErrors(instrument, (answer.answers ?? {}) as Data);
    if (faults.length > 0)
      throw new Rejection('answers_invalid', 'The answers do not fit the survey.', faults);
    if (instrument.method !== 'questionnaire') return staffAnswer(tx, set, auth, profile, instrument, answer);
    if (typeof answer.caseId === 'string') {
      const request = await set.data('case', answer.caseId);
      if (
        request === null ||
        (request.status !== 'delivered' && request.status !== 'closed') ||
        request.delivery == null
      )
        throw new Rejection('survey_not_delivered', 'Only a delivered request is rated.', [
          { path: 'caseId', code: 'survey_not_delivered' },
        ]);
      if (answer.beneficiaryId !== request.beneficiaryId)
        throw new Rejection('validation_failed', 'The answer names another beneficiary.', [
          { path: 'beneficiaryId', code: 'beneficiary_mismatch' },
        ]);
      if ((await set.children('survey_response', 'caseId', answer.caseId)).length > 0)
        throw new Rejection('survey_already_answered', 'This request has been rated already.', [
          { path: 'caseId', code: 'survey_already_answered' },
        ]);
      named = request;
    } else if (answer.beneficiaryId !== null) {
      throw new Rejection('validation_failed', 'An anonymous answer names nobody.', [
        { path: 'beneficiaryId', code: 'anonymous_names_nobody' },
      ]);
    }
    const spent = await tx.query<{ service_type_id: string | null }>(
      `UPDATE ballots SET spent = true
        WHERE association_id = $1 AND ballot_id = $2 AND NOT spent AND branch_id IS NOT DISTINCT FROM $3
        RETURNING service_type_id`,
      [auth.aid, typeof answer.ballot === 'string' ? answer.ballot : null, answer.branchId ?? null],
    );
    const ballot = spent[0];
    if (ballot === undefined)
      throw new Rejection(
        'ballot_invalid',
        'A rating needs the unspent ballot of a delivery in this branch.',
        [{ path: 'ballot', code: 'ballot_invalid' }],
      );
    const stored = Object.fromEntries(Object.entries(answer).filter(([field]) => field !== 'ballot'));
    // The service rated is the request's for a named answer, the ballot's for an anonymous one.
    return {
      ...stored,
      serviceTypeId: named === null ? ballot.service_type_id : (named.serviceTypeId ?? null),
    };
  }

  /**
   * A named step of a request (docs/named-steps.md): the case machine runs again here, on the request the
   * server holds, in a context the server builds; what it returns is stored, and a refusal names its guard.
   */
  async function applyStep(
    { tx, set, auth, clientId, profile: inForce, profileVersion, nextVersion, at, history }: PushContext,
    m: Mutation,
    current: RecordRow | undefined,
  ): Promise<PushResult> {
    const event = m.event;
    if (m.op !== 'event' || event === undefined)
      throw new Rejection('case_step_required', 'A request changes only by the steps of its procedure.');
    const live = current !== undefined && !current.deleted;
    if (current !== undefined && !live)
      throw new Rejection('case_already_opened', 'This request was removed and cannot change.');
    const stored = live ? caseSchema.safeParse(current.data) : null;
    if (stored?.success === false)
      throw new Rejection('case_unreadable', 'The stored request does not read as a request.');
    const before: Request | null = stored?.data ?? null;
    // A request keeps the rules it was taken under: its own version of the profile, not today's. A new one
    // is opened under the version the device took it under (offline, maybe before a newer one reached it)
    // when the server has that version and it is not newer than the one in force.
    const asked = event.type === 'opened' ? event.profileVersion : undefined;
    const version =
      before !== null
        ? (before.profileVersion ?? 1)
        : asked !== undefined && asked <= profileVersion
          ? asked
          : profileVersion;
    const rules = version === profileVersion ? inForce : await profileAtVersion(tx, auth.aid, version);
    if (rules === undefined)
      throw new Rejection(
        'case_profile_unknown',
        `This association has no profile version ${String(version)}.`,
      );
    const profile = rules;
    const branchId =
      live || event.type !== 'opened'
        ? (current?.branch_id ?? null)
        : await branchOf(set, 'case', { beneficiaryId: event.beneficiaryId });
    assertMayWrite(auth, 'case', branchId, {}, live ? current.branch_id : undefined);
    const result = await runStep(
      set,
      {
        auth,
        profile,
        profileVersion: version,
        noticeVersion: noticeOf(inForce).version,
        now: at.getTime(),
        branchId,
      },
      m.recordId,
      before,
      event,
    );
    if (!result.ok)
      throw new Rejection(result.code, `The step ${event.type} is refused: ${result.code}.`, [
        { path: 'event', code: result.code },
      ]);
    const valid = validateEntity('case', result.case, profile);
    if (!valid.ok) throw new Rejection('validation_failed', 'The request is not valid.', valid.errors);
    const after: Data = valid.value;
    const old: Data = live ? (current.data ?? {}) : {};
    const changed = Object.keys(after).filter((f) => before === null || !isDeepStrictEqual(old[f], after[f]));
    if (live && changed.length === 0)
      return { seq: m.seq, status: 'applied', version: Number(current.version) };
    // C-OBJ-6: the delivery issues its one-time ballot, kept apart from the request (no link is stored).
    if (event.type === 'delivered' && event.ballot !== undefined)
      await tx.query(
        `INSERT INTO ballots (association_id, ballot_id, branch_id, service_type_id, issued_on)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [auth.aid, event.ballot, branchId, after.serviceTypeId ?? null, riyadhDate(at.getTime())],
      );
    const written = nextVersion();
    set.put('case', m.recordId, {
      branch_id: branchId,
      version: written,
      deleted: false,
      data: after,
      field_versions: {
        ...(live ? current.field_versions : {}),
        ...Object.fromEntries(changed.map((f) => [f, { v: written, c: clientId }])),
      },
      purged_at: null,
    });
    history.push({
      entity: 'case',
      record_id: m.recordId,
      version: written,
      op: live ? 'update' : 'create',
      changes: Object.fromEntries(
        changed.map((f) => [f, { before: old[f] ?? null, after: after[f] ?? null }]),
      ),
    });
    return { seq: m.seq, status: 'applied', version: written };
  }

  /** Applies one mutation inside the push transaction; `nextVersion` hands out the association's versions. */
  async function apply(push: PushContext, m: Mutation): Promise<PushResult> {
    const { tx, set, auth, clientId, profile, nextVersion, at, history } = push;
    const current = await set.get(m.entity, m.recordId);
    const currentVersion = current === undefined ? 0 : Number(current.version);
    // Destroyed (rights request or retention): a device's late delete is moot; anything else is refused.
    if (current?.purged_at != null && m.op === 'delete')
      return { seq: m.seq, status: 'applied', version: currentVersion };
    const live = current !== undefined && !current.deleted;

    // Fields changed on the server after the client's base version, which the client also changes differently.
    // A field conflicts when ANOTHER client changed it after the mutation's base version: this client's own
    // earlier mutations are not concurrent with it (they were made before it, on the same device).
    const changedSince = (field: string) => {
      const fv = current?.field_versions[field];
      return fv !== undefined && fv.v > m.baseVersion && fv.c !== clientId;
    };
    let conflicting: string[];
    if (m.op === 'delete') {
      conflicting =
        live && currentVersion > m.baseVersion
          ? Object.keys(current.field_versions).filter(changedSince)
          : [];
    } else if (current?.deleted === true && m.baseVersion < currentVersion) {
      conflicting = ['(deleted)'];
    } else {
      conflicting = Object.keys(m.patch).filter(
        (f) => changedSince(f) && !isDeepStrictEqual(current?.data?.[f], m.patch[f]),
      );
    }

    try {
      if (current?.purged_at != null)
        throw new Rejection('record_destroyed', 'This record was destroyed and cannot be changed.');
      if ('sensitive' in m.patch && !maySeeSensitive(auth, profile))
        throw new Rejection(ErrorCode.forbidden, 'Your role may not record sensitive fields.', [
          { path: 'sensitive', code: 'forbidden' },
        ]);
      if (m.entity === 'case' || m.op === 'event') return await applyStep(push, m, current);
      if (live && finalEntities.has(m.entity))
        throw new Rejection('record_final', `A ${m.entity} once recorded is not changed nor deleted.`);
      const before = live ? (current.data ?? {}) : {};
      if (m.op === 'upsert') assertOwnStamps(auth, m.entity, before, m.patch);
      const merged: Data = m.op === 'delete' ? before : { ...before, ...m.patch };
      if (m.op === 'upsert') await assertSameFile(set, m.entity, merged);
      const branchId = live && m.op === 'delete' ? current.branch_id : await branchOf(set, m.entity, merged);
      assertMayWrite(auth, m.entity, branchId, merged, live ? current.branch_id : undefined);

      if (conflicting.length > 0) {
        await tx.query(
          `INSERT INTO sync_conflicts (association_id, client_id, seq, entity, record_id, base_version, server_version, fields, attempted, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10)`,
          [
            auth.aid,
            clientId,
            m.seq,
            m.entity,
            m.recordId,
            m.baseVersion,
            currentVersion,
            JSON.stringify(conflicting),
            JSON.stringify(m.patch),
            at,
          ],
        );
        return {
          seq: m.seq,
          status: 'conflict',
          conflict: {
            fields: conflicting,
            serverVersion: currentVersion,
            server: redact(auth, profile, current?.data ?? {}),
            attempted: m.patch,
          },
        };
      }

      if (m.op === 'delete') {
        if (!live) return { seq: m.seq, status: 'applied', version: currentVersion };
        const version = nextVersion();
        set.put(m.entity, m.recordId, { ...current, version, deleted: true, data: null });
        history.push({ entity: m.entity, record_id: m.recordId, version, op: 'delete', changes: {} });
        return { seq: m.seq, status: 'applied', version };
      }

      const valid = validateEntity(m.entity, merged, profile);
      if (!valid.ok) throw new Rejection('validation_failed', 'The record is not valid.', valid.errors);
      if (m.entity === 'survey_response') {
        valid.value = (await checkAnswer(tx, set, auth, profile, valid.value)) as typeof valid.value;
      }

      // Only what is stored is a change (a spent ballot travels with an answer but is never kept).
      const stored: Data = valid.value;
      const changed = Object.keys(m.patch).filter(
        (f) => f in stored && (!live || !isDeepStrictEqual(before[f], m.patch[f])),
      );
      if (live && changed.length === 0) return { seq: m.seq, status: 'applied', version: currentVersion };
      const version = nextVersion();
      const fieldVersions: Record<string, FieldVersion> = {
        ...(live ? current.field_versions : {}),
        ...Object.fromEntries(changed.map((f) => [f, { v: version, c: clientId }])),
      };
      set.put(m.entity, m.recordId, {
        branch_id: branchId,
        version,
        deleted: false,
        data: valid.value,
        field_versions: fieldVersions,
        purged_at: null,
      });
      history.push({
        entity: m.entity,
        record_id: m.recordId,
        version,
        op: live ? 'update' : 'create',
        changes: Object.fromEntries(
          changed.map((f) => [f, { before: live ? (before[f] ?? null) : null, after: m.patch[f] ?? null }]),
        ),
      });
      return { seq: m.seq, status: 'applied', version };
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      const rejection = { code: error.code, message: error.message, fields: error.fields };
      await tx.query(
        `INSERT INTO sync_rejections (client_id, seq, association_id, entity, record_id, error, at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
        [clientId, m.seq, auth.aid, m.entity, m.recordId, JSON.stringify(rejection), at],
      );
      if (m.op !== 'event') return { seq: m.seq, status: 'rejected', error: rejection };
      const held = live && current.data !== null ? redact(auth, profile, current.data) : null;
      return {
        seq: m.seq,
        status: 'rejected',
        error: rejection,
        current: { version: currentVersion, data: held },
      };
    }
  }

  /** A mutation seen before: repeat its conflict or rejection, if it had one. */
  async function duplicateOf(
    tx: Queryable,
    set: WorkingSet,
    auth: AuthContext,
    profile: PolicyProfile,
    clientId: string,
    seq: number,
  ): Promise<PushResult> {
    const rejected = await tx.query<{
      error: { code: string; message: string; fields: FieldError[] };
      entity: EntityName;
      record_id: string;
    }>('SELECT error, entity, record_id FROM sync_rejections WHERE client_id = $1 AND seq = $2', [
      clientId,
      seq,
    ]);
    const refusal = rejected[0];
    if (refusal !== undefined && refusal.entity === 'case') {
      // A refused step sent again (its first answer was lost): the request as held, as the first answer had.
      const held = await set.get('case', refusal.record_id);
      // A request the caller may no longer read (moved to another branch since) is not sent back.
      const data =
        held === undefined || held.deleted || held.data === null || !mayReadBranch(auth, held.branch_id)
          ? null
          : redact(auth, profile, held.data);
      return {
        seq,
        status: 'duplicate',
        error: refusal.error,
        current: { version: held === undefined ? 0 : Number(held.version), data },
      };
    }
    if (refusal !== undefined) return { seq, status: 'duplicate', error: refusal.error };
    const conflicted = await tx.query<{
      fields: string[];
      server_version: string | number;
      attempted: Data;
      entity: EntityName;
      record_id: string;
    }>(
      `SELECT fields, server_version, attempted, entity, record_id
         FROM sync_conflicts WHERE client_id = $1 AND seq = $2`,
      [clientId, seq],
    );
    const c = conflicted[0];
    if (c === undefined) return { seq, status: 'duplicate' };
    const current = await set.get(c.entity, c.record_id);
    // A record the caller may no longer read: its conflict is moot, and its values are not sent.
    if (current !== undefined && !mayReadBranch(auth, current.branch_id)) return { seq, status: 'duplicate' };
    return {
      seq,
      status: 'duplicate',
      conflict: {
        fields: c.fields,
        serverVersion: Number(c.server_version),
        server: redact(auth, profile, current?.data ?? {}),
        attempted: c.attempted,
      },
    };
  }

  return {
    async push(auth: AuthContext, request: PushRequest): Promise<PushResponse> {
      const at = new Date(now());
      const { profile, version: profileVersion } = await currentProfile(db, auth.aid);
      return db.transaction(async (tx) => {
        // Taken first and held to commit: versions are handed out in commit order.
        const versions = await takeVersions(tx, auth.aid);

        // The client's row, created on its first push and locked to commit (the upsert takes the lock).
        const client = (
          await tx.query<{ association_id: string; user_id: string; last_seq: string | number }>(
            `INSERT INTO sync_clients (client_id, association_id, user_id, last_seq, updated_at) VALUES ($1, $2, $3, 0, $4)
             ON CONFLICT (client_id) DO UPDATE SET client_id = EXCLUDED.client_id
             RETURNING association_id, user_id, last_seq`,
            [request.clientId, auth.aid, auth.sub, at],
          )
        )[0];
        if (client === undefined) throw new Error('sync client row missing after insert');
        if (client.association_id !== auth.aid || client.user_id !== auth.sub) {
          throw new ServiceError(ErrorCode.forbidden, 'This client id belongs to another user.');
        }
        let last = Number(client.last_seq);

        // New mutations must continue the sequence without a gap, in order.
        const fresh = request.mutations.filter((m) => m.seq > last);
        fresh.forEach((m, i) => {
          if (m.seq !== last + 1 + i) throw new SeqGapError(last + 1);
        });

        const working = createWorkingSet(tx, auth.aid);
        await working.prefetch(fresh);
        const results: PushResult[] = [];
        const written: AuditEntry[] = [];
        const history: HistoryEntry[] = [];
        const push: PushContext = {
          tx,
          set: working.set,
          auth,
          clientId: request.clientId,
          profile,
          profileVersion,
          nextVersion: versions.next,
          at,
          history,
        };
        for (const m of request.mutations) {
          if (m.seq <= last) {
            results.push(await duplicateOf(tx, working.set, auth, profile, request.clientId, m.seq));
            continue;
          }
          const result = await apply(push, m);
          results.push(result);
          if (result.status === 'applied')
            written.push({
              entity: m.entity,
              recordId: m.recordId,
              version: result.version,
              sensitive: m.op === 'upsert' && holdsSensitive(profile, m.entity, m.patch),
            });
          last = m.seq;
        }
        await working.flush(auth.sub, at);
        await appendAudit(tx, auditWho(auth, at), 'write', written);
        await appendHistory(tx, auditWho(auth, at), history);

        await versions.save();
        await tx.query('UPDATE sync_clients SET last_seq = $2, updated_at = $3 WHERE client_id = $1', [
          request.clientId,
          last,
          at,
        ]);
        return { lastAppliedSeq: last, results };
      });
    },

    async pull(auth: AuthContext, cursor: string | undefined, limit: number): Promise<PullResponse> {
      const from = decodeCursor(cursor);
      if (from === null) throw new ServiceError(ErrorCode.invalidRequest, 'Unknown cursor.');
      const after = from.version;
      const take = Math.min(Math.max(1, limit), MAX_PULL_LIMIT);
      const { version: head, epoch, v1Epoch } = await syncHead(db, auth.aid);
      // A cursor of another epoch, or from the future, was made before the data was restored from a backup
      // (its version numbers have been handed out again since, or not yet); one from before the user's role
      // or branch changed was made for another scope.
      const restored =
        (from.epoch === null ? after > 0 && v1Epoch !== epoch : from.epoch !== epoch) || after > head;
      if (restored || (after > 0 && after < (auth.scopeSince ?? 0)))
        throw new ServiceError(
          ErrorCode.resyncRequired,
          'The server has no record of this cursor: sync again from the start.',
          undefined,
          // Restored: the device also asks whether the server still has what it sent (engine.ts).
          { reason: restored ? 'restored' : 'scope' },
        );

      const profile = await profileOfAssociation(db, auth.aid);
      const scope = readableBranches(auth, 4);
      const hidden = hiddenEntities(auth, 4 + scope.params.length);
      const rows = await db.query<{
        entity: EntityName;
        record_id: string;
        version: string | number;
        deleted: boolean;
        data: Data | null;
        purged: boolean;
        snapshot: string | number;
      }>(
        // The head in the same statement, hence the same snapshot, as the records (for the audit's range).
        `SELECT entity, record_id, version, deleted, data, purged_at IS NOT NULL AS purged,
                (SELECT version FROM association_versions WHERE association_id = $1) AS snapshot FROM records
          WHERE association_id = $1 AND version > $2 ${scope.sql} ${hidden.sql}
          ORDER BY version LIMIT $3`,
        [auth.aid, after, take + 1, ...scope.params, ...hidden.params],
      );
      const hasMore = rows.length > take;
      const sensitiveToo = maySeeSensitive(auth, profile);
      const changes: Change[] = [];
      for (const r of rows.slice(0, take)) {
        const change: Change = {
          entity: r.entity,
          recordId: r.record_id,
          version: Number(r.version),
          deleted: r.deleted,
          data: r.deleted ? null : r.data,
        };
        if (r.purged) change.purged = true;
        // A sensitive document (a medical report) is not sent at all to a role that may not see it.
        if (!sensitiveToo && isSensitiveDocument(profile, r.entity, r.data)) continue;
        if (change.data !== null) change.data = redact(auth, profile, change.data);
        changes.push(change);
      }
      // What this device now holds, on the record (L-BREACH): the page as one range, with its scope.
      await appendPullRange(db, auditWho(auth, new Date(now())), {
        firstVersion: changes[0]?.version ?? 0,
        lastVersion: changes.at(-1)?.version ?? 0,
        snapshotVersion: Number(rows[0]?.snapshot ?? 0),
        count: changes.length,
        ...pullScope(scope, hidden),
        sensitiveToo,
        sensitiveIds: profile.sensitive.fields,
      });
      const lastReturned = Number(rows.slice(0, take).at(-1)?.version ?? after);
      // Nothing more to see: the cursor moves to the head, past changes of other branches too.
      const lastVersion = hasMore ? lastReturned : Math.max(after, head, lastReturned);
      return { changes, cursor: encodeCursor(lastVersion, epoch), hasMore };
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
