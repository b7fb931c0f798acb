// The sync protocol's own bookkeeping (sync-service): each client's last applied seq, the conflicts and
// rejections a push answered (kept so that a mutation sent again is answered the same), and the one-time
// satisfaction ballots a delivery issues. SQL only, over a Queryable: a push runs them in its transaction.
import type { EntityName } from '../../src/protocol/entities';
import type { FieldError } from '../../src/protocol/validate';
import { auditSql, type AuditEntry, type AuditWho } from './audit-store';
import { firstRow, Params, type Queryable } from './db';
import { historySql, type HistoryEntry } from './history-store';
import { latestVersionSql } from './profile-store';
import { branchIdsSql, upsertRecordsSql, type WrittenRecord } from './records-store';
import { lockCounterSql, saveVersionSql } from './versions';

type Data = Record<string, unknown>;

/** What a push reads as it opens (openPush). */
export interface OpenedPush {
  /** The association's version counter, locked. */
  version: number;
  /** The client's row, locked: whose it is and the last seq applied. */
  associationId: string;
  userId: string;
  lastSeq: number;
  /** The latest version of the association's policy profile (null: none yet). */
  profileVersion: number | null;
  /** The ids of the association's branches, open or closed. */
  branchIds: string[];
}

/**
 * Opens a push in one statement: locks the association's version counter, then the client's row (created on
 * its first push), both to the end of `tx`, and reads the profile version and the branch ids with them (in the
 * statement's snapshot, taken before it waited for the lock: a branch created meanwhile is not among them). The
 * client's part reads the counter's, so the two locks are always taken in that order.
 */
export async function openPush(
  tx: Queryable,
  client: { clientId: string; associationId: string; userId: string; at: Date },
): Promise<OpenedPush> {
  const p = new Params();
  const aid = p.add(client.associationId);
  const [row] = await tx.query<{
    version: string | number;
    association_id: string;
    user_id: string;
    last_seq: string | number;
    profile_version: number | null;
    branch_ids: string[];
  }>(
    `WITH v AS (${lockCounterSql(aid)}),
          c AS (INSERT INTO sync_clients (client_id, association_id, user_id, last_seq, updated_at)
                  SELECT ${p.add(client.clientId)}::uuid, ${aid}::uuid, ${p.add(client.userId)}::uuid, 0,
                         ${p.add(client.at)}::timestamptz FROM v
                ON CONFLICT (client_id) DO UPDATE SET client_id = EXCLUDED.client_id
                RETURNING association_id, user_id, last_seq)
     SELECT v.version, c.association_id, c.user_id, c.last_seq, ${latestVersionSql(aid)} AS profile_version,
            ${branchIdsSql(aid)} AS branch_ids
       FROM v, c`,
    p.values,
  );
  if (row === undefined) throw new Error('sync client row missing after insert');
  return {
    version: Number(row.version),
    associationId: row.association_id,
    userId: row.user_id,
    lastSeq: Number(row.last_seq),
    profileVersion: row.profile_version,
    branchIds: row.branch_ids,
  };
}

/** What a push leaves behind, written when its mutations have been applied (commitPush). */
export interface PushWrites {
  who: AuditWho & { userId: string };
  records: readonly WrittenRecord[];
  audit: readonly AuditEntry[];
  history: readonly HistoryEntry[];
  /** The association's version counter as the push leaves it. */
  version: number;
  /** The client and the last seq the push applied. */
  clientId: string;
  lastSeq: number;
}

/**
 * Writes everything a push leaves behind in one statement, each table's part a data-modifying WITH: the
 * records, their audit and history rows, the version counter and the client's last seq. One round trip
 * instead of five while the push holds the association's lock.
 */
export async function commitPush(tx: Queryable, w: PushWrites): Promise<void> {
  const p = new Params();
  const parts = [
    w.records.length > 0 ? upsertRecordsSql(p, w.who, w.records) : null,
    w.audit.length > 0 ? auditSql(p, w.who, 'write', w.audit) : null,
    w.history.length > 0 ? historySql(p, w.who, w.history) : null,
    saveVersionSql(p, w.who.associationId, w.version),
  ].filter((part) => part !== null);
  const lastSeq = `UPDATE sync_clients SET last_seq = ${p.add(w.lastSeq)}, updated_at = ${p.add(w.who.at)}
                    WHERE client_id = ${p.add(w.clientId)}`;
  await tx.query(
    `WITH ${parts.map((part, i) => `w${String(i)} AS (${part})`).join(',\n')}\n${lastSeq}`,
    p.values,
  );
}

export interface ConflictEntry {
  associationId: string;
  clientId: string;
  seq: number;
  entity: EntityName;
  recordId: string;
  baseVersion: number;
  serverVersion: number;
  fields: readonly string[];
  attempted: Data;
  at: Date;
}

/** Stores a conflicted mutation for review. */
export async function recordConflict(tx: Queryable, c: ConflictEntry): Promise<void> {
  await tx.query(
    `INSERT INTO sync_conflicts (association_id, client_id, seq, entity, record_id, base_version, server_version, fields, attempted, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10)`,
    [
      c.associationId,
      c.clientId,
      c.seq,
      c.entity,
      c.recordId,
      c.baseVersion,
      c.serverVersion,
      JSON.stringify(c.fields),
      JSON.stringify(c.attempted),
      c.at,
    ],
  );
}

export interface RejectionError {
  code: string;
  message: string;
  fields: FieldError[];
}

/** Stores a rejected mutation, with the error it was answered with. */
export async function recordRejection(
  tx: Queryable,
  r: {
    clientId: string;
    seq: number;
    associationId: string;
    entity: EntityName;
    recordId: string;
    error: RejectionError;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO sync_rejections (client_id, seq, association_id, entity, record_id, error, at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
    [r.clientId, r.seq, r.associationId, r.entity, r.recordId, JSON.stringify(r.error), r.at],
  );
}

/** The rejection a client's mutation was answered with, if it was rejected. */
export function findRejection(
  tx: Queryable,
  clientId: string,
  seq: number,
): Promise<{ error: RejectionError; entity: EntityName; record_id: string } | undefined> {
  return firstRow<{ error: RejectionError; entity: EntityName; record_id: string }>(
    tx,
    'SELECT error, entity, record_id FROM sync_rejections WHERE client_id = $1 AND seq = $2',
    [clientId, seq],
  );
}

export interface ConflictRow {
  fields: string[];
  server_version: string | number;
  attempted: Data;
  entity: EntityName;
  record_id: string;
}

/** The conflict a client's mutation was answered with, if it conflicted. */
export function findConflict(tx: Queryable, clientId: string, seq: number): Promise<ConflictRow | undefined> {
  return firstRow<ConflictRow>(
    tx,
    `SELECT fields, server_version, attempted, entity, record_id
         FROM sync_conflicts WHERE client_id = $1 AND seq = $2`,
    [clientId, seq],
  );
}

/** Issues a delivery's one-time ballot (C-OBJ-6), kept apart from the request: no link is stored. */
export async function issueBallot(
  tx: Queryable,
  b: {
    associationId: string;
    ballotId: string;
    branchId: string | null;
    serviceTypeId: string | null;
    issuedOn: string;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO ballots (association_id, ballot_id, branch_id, service_type_id, issued_on)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [b.associationId, b.ballotId, b.branchId, b.serviceTypeId, b.issuedOn],
  );
}

/** Spends an unspent ballot of this branch; returns the service it rates, or undefined when there is none. */
export function spendBallot(
  tx: Queryable,
  b: { associationId: string; ballotId: string | null; branchId: string | null },
): Promise<{ service_type_id: string | null } | undefined> {
  return firstRow<{ service_type_id: string | null }>(
    tx,
    `UPDATE ballots SET spent = true
        WHERE association_id = $1 AND ballot_id = $2 AND NOT spent AND branch_id IS NOT DISTINCT FROM $3
        RETURNING service_type_id`,
    [b.associationId, b.ballotId, b.branchId],
  );
}
