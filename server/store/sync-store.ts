// The sync protocol's own bookkeeping (sync-service): each client's last applied seq, the conflicts and
// rejections a push answered (kept so that a mutation sent again is answered the same), and the one-time
// satisfaction ballots a delivery issues. SQL only, over a Queryable: a push runs them in its transaction.
import type { EntityName } from '../../src/protocol/entities';
import type { FieldError } from '../../src/protocol/validate';
import { firstRow, type Queryable } from './db';

type Data = Record<string, unknown>;

export interface SyncClientRow {
  association_id: string;
  user_id: string;
  last_seq: string | number;
}

/** The client's row, created on its first push and locked to the end of `tx` (the upsert takes the lock). */
export function lockClient(
  tx: Queryable,
  client: { clientId: string; associationId: string; userId: string; at: Date },
): Promise<SyncClientRow | undefined> {
  return firstRow<SyncClientRow>(
    tx,
    `INSERT INTO sync_clients (client_id, association_id, user_id, last_seq, updated_at) VALUES ($1, $2, $3, 0, $4)
             ON CONFLICT (client_id) DO UPDATE SET client_id = EXCLUDED.client_id
             RETURNING association_id, user_id, last_seq`,
    [client.clientId, client.associationId, client.userId, client.at],
  );
}

/** Moves the client's last applied seq. */
export async function saveLastSeq(tx: Queryable, clientId: string, lastSeq: number, at: Date): Promise<void> {
  await tx.query('UPDATE sync_clients SET last_seq = $2, updated_at = $3 WHERE client_id = $1', [
    clientId,
    lastSeq,
    at,
  ]);
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
