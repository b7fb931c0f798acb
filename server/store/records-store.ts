// The records a push reads and writes and a pull sends (sync-service): SQL only, over a Queryable, so that a
// push runs every statement in its own transaction. The rules are the sync service's.
import type { EntityName } from '../../src/protocol/entities';
import { firstRow, type Params, type Queryable } from './db';
import { latestVersionSql } from './profile-store';

type Data = Record<string, unknown>;

export interface FieldVersion {
  v: number;
  c: string;
}

export interface RecordRow {
  branch_id: string | null;
  version: string | number;
  deleted: boolean;
  data: Data | null;
  /** For each top-level field: the version that last changed it and the client that did. */
  field_versions: Record<string, FieldVersion>;
  /** Set when the record was destroyed (rights request or retention): it can never come back. */
  purged_at: Date | null;
}

export interface RecordKey {
  entity: string;
  id: string;
}

const selectRecord = `SELECT entity, record_id, branch_id, version, deleted, data, field_versions, purged_at FROM records`;

/**
 * Those of these records the association's table holds, each with its entity and id, in one query.
 *
 * Each key is looked up by the primary key, whatever the statistics say. As a semi-join, a plan made while
 * the table was small or not yet analyzed (and kept by the prepared statement) read every record of the
 * association and hashed the keys against them: 600 to 800 pages per push at 2,000 records per association
 * in the load benchmark, then the largest cost of PostgreSQL's at 2,000 mutations/s.
 */
export function readRecords(
  db: Queryable,
  associationId: string,
  wanted: readonly RecordKey[],
): Promise<(RecordRow & { entity: string; record_id: string })[]> {
  return db.query<RecordRow & { entity: string; record_id: string }>(
    `SELECT r.* FROM (SELECT DISTINCT * FROM unnest($2::text[], $3::uuid[])) AS t(entity, record_id)
       CROSS JOIN LATERAL (${selectRecord} WHERE association_id = $1 AND entity = t.entity
                                            AND record_id = t.record_id LIMIT 1) r`,
    [associationId, wanted.map((w) => w.entity), wanted.map((w) => w.id)],
  );
}

/** One record as the table holds it, if it does. */
export function readRecord(
  db: Queryable,
  associationId: string,
  entity: string,
  id: string,
): Promise<RecordRow | undefined> {
  return firstRow<RecordRow>(
    db,
    `${selectRecord} WHERE association_id = $1 AND entity = $2 AND record_id = $3`,
    [associationId, entity, id],
  );
}

/** The live records of `entity` that name `parentId` in `field`. */
export function liveChildren(
  db: Queryable,
  associationId: string,
  child: { entity: string; field: 'caseId' | 'beneficiaryId'; parentId: string },
): Promise<{ record_id: string; data: Data }[]> {
  // `field` is one of two literal names (the type says which), never a caller's text.
  return db.query<{ record_id: string; data: Data }>(
    `SELECT record_id, data FROM records
            WHERE association_id = $1 AND entity = $2 AND data ? '${child.field}' AND data->>'${child.field}' = $3 AND NOT deleted`,
    [associationId, child.entity, child.parentId],
  );
}

/** The dates of the association's live holiday records. */
export async function holidayDates(db: Queryable, associationId: string): Promise<string[]> {
  const rows = await db.query<{ date: string | null }>(
    `SELECT data->>'date' AS date FROM records WHERE association_id = $1 AND entity = 'holiday' AND NOT deleted`,
    [associationId],
  );
  return rows.flatMap((r) => (r.date === null ? [] : [r.date]));
}

/** The ids of the association's branches, open or closed, as an array expression (`aid`: a placeholder). */
export function branchIdsSql(aid: string): string {
  return `(SELECT coalesce(array_agg(id::text), '{}'::text[]) FROM branches WHERE association_id = ${aid}::uuid)`;
}

/** Is this one of the association's open branches? */
export async function isOpenBranch(
  db: Queryable,
  associationId: string,
  branchId: string | null,
): Promise<boolean> {
  const rows = await db.query(
    'SELECT 1 FROM branches WHERE association_id = $1 AND id = $2 AND closed_at IS NULL',
    [associationId, branchId],
  );
  return rows.length > 0;
}

/** The ids of the active researchers of a branch. */
export async function activeResearchers(
  db: Queryable,
  associationId: string,
  branchId: string | null,
): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM users WHERE association_id = $1 AND role = 'researcher' AND disabled_at IS NULL
            AND branch_id = $2`,
    [associationId, branchId],
  );
  return rows.map((r) => r.id);
}

/** A record as a push leaves it. */
export interface WrittenRecord {
  entity: string;
  record_id: string;
  branch_id: string | null;
  version: number;
  deleted: boolean;
  data: Data | null;
  field_versions: Record<string, FieldVersion>;
}

/** The statement writing these records (inserted or replaced), by `userId` at `at`, all at once. */
export function upsertRecordsSql(
  p: Params,
  who: { associationId: string; userId: string; at: Date },
  rows: readonly WrittenRecord[],
): string {
  const [aid, user, at] = [p.add(who.associationId), p.add(who.userId), p.add(who.at)];
  return `INSERT INTO records (association_id, entity, record_id, branch_id, version, deleted, data, field_versions,
                              created_by, updated_by, created_at, updated_at)
         SELECT ${aid}::uuid, t.entity, t.record_id, t.branch_id, t.version, t.deleted,
                CASE WHEN t.deleted THEN NULL ELSE t.data END, t.field_versions, ${user}::uuid, ${user}::uuid,
                ${at}::timestamptz, ${at}::timestamptz
           FROM jsonb_to_recordset(${p.add(JSON.stringify(rows))}::jsonb)
             AS t(entity text, record_id uuid, branch_id uuid, version bigint, deleted boolean, data jsonb,
                  field_versions jsonb)
         ON CONFLICT (association_id, entity, record_id) DO UPDATE
           SET branch_id = EXCLUDED.branch_id, version = EXCLUDED.version, deleted = EXCLUDED.deleted,
               data = EXCLUDED.data, field_versions = EXCLUDED.field_versions, updated_by = EXCLUDED.updated_by,
               updated_at = EXCLUDED.updated_at`;
}

/** A record as a pull reads it: its data as PostgreSQL's JSON text, to be passed on to the device as it is. */
export interface PulledRow {
  entity: EntityName;
  record_id: string;
  version: string | number;
  deleted: boolean;
  /** JSON text; null for a deletion. */
  data: string | null;
  purged: boolean;
}

/** Where the association's sync stands (migration 017), read in the same snapshot as a pull's page. */
export interface SyncHead {
  /** The head version: every record up to it is in the snapshot the page was read in. */
  version: number;
  /** The sync epoch, part of every cursor; and that of cursors made before epochs (null: there can be none). */
  epoch: string;
  v1Epoch: string | null;
  /** The latest version of the association's policy profile (null: none yet). */
  profileVersion: number | null;
}

/**
 * One page of a pull, with the association's head read in the same statement (hence the same snapshot): the
 * records after version `after`, at most `limit`, oldest first, within the caller's scope. `branches` are
 * those the caller reads besides the association-wide records (null: every branch; policy.ts,
 * readableBranchIds); `hidden` is the policy's condition on entities, its parameters numbered from $4. No
 * head (undefined) before the association's counter exists (versions.ts: ensureCounter).
 */
export async function pullPage(
  db: Queryable,
  page: {
    associationId: string;
    after: number;
    limit: number;
    branches: readonly (string | null)[] | null;
    hidden: { sql: string; params: unknown[] };
  },
): Promise<{ head: SyncHead | undefined; rows: PulledRow[] }> {
  const { hidden } = page;
  // A branch's records are read apart from the association-wide ones, each in version order on an index of its
  // own (the branch index; the association-wide records' partial index, migration 019), and the two merged:
  // read together, a branch's pull walked every branch's records after its cursor and left the others' out one
  // by one (nineteen in twenty with twenty branches).
  const named = (page.branches ?? []).filter((b) => b !== null);
  const firstBranch = 4 + hidden.params.length;
  const arms =
    page.branches === null
      ? ['']
      : ['AND branch_id IS NULL', ...named.map((_, i) => `AND branch_id = $${String(firstBranch + i)}`)];
  const arm = (branch: string) =>
    `SELECT entity, record_id, version, deleted, data, purged_at IS NOT NULL AS purged FROM records
      WHERE association_id = $1 AND version > $2 ${branch} ${hidden.sql}
      ORDER BY version LIMIT $3`;
  const selected = arms.map(arm);
  const records =
    selected.length === 1
      ? selected.join('')
      : `SELECT * FROM (${selected.map((s) => `(${s})`).join(' UNION ALL ')}) b ORDER BY version LIMIT $3`;
  const rows = await db.query<
    Omit<PulledRow, 'entity'> & {
      entity: EntityName | null;
      head: string | number;
      epoch: string;
      v1_epoch: string | null;
      profile_version: number | null;
    }
  >(
    `SELECT h.version AS head, h.epoch, h.v1_epoch, ${latestVersionSql('$1')} AS profile_version,
            r.entity, r.record_id, r.version, r.deleted, r.data::text AS data, r.purged
       FROM association_versions h
       LEFT JOIN LATERAL (${records}) r ON true
      WHERE h.association_id = $1
      ORDER BY r.version`,
    [page.associationId, page.after, page.limit, ...hidden.params, ...named],
  );
  const [first] = rows;
  if (first === undefined) return { head: undefined, rows: [] };
  return {
    head: {
      version: Number(first.head),
      epoch: first.epoch,
      v1Epoch: first.v1_epoch,
      profileVersion: first.profile_version,
    },
    // No record after the cursor: the one row holds the head alone.
    rows: rows.flatMap(({ entity, record_id, version, deleted, data, purged }) =>
      entity === null ? [] : [{ entity, record_id, version, deleted, data, purged }],
    ),
  };
}
