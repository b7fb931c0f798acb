// The audit log (migration 006): appended in the same transaction as what it records, never changed. A pull
// is recorded as ranges (migration 015), read back record by record through the audit_trail view.
import { Params, type Queryable } from './db';

export interface AuditEntry {
  entity: string;
  recordId: string;
  version: number;
  /** The record as read or written held sensitive fields (L-SENSITIVE). */
  sensitive?: boolean;
}

export type AuditAction = 'pull' | 'write' | 'export' | 'destroy' | 'purge' | 'lookup';

export interface AuditWho {
  at: Date;
  associationId: string;
  /** Null for the retention job, which acts for no user from no device. */
  userId: string | null;
  deviceId: string | null;
}

/** Who acts: a signed-in user on their device, from their verified token's claims. */
export const auditWho = (caller: { aid: string; sub: string; did: string }, at: Date): AuditWho => ({
  at,
  associationId: caller.aid,
  userId: caller.sub,
  deviceId: caller.did,
});

/** Appends one row per entry, in one statement. */
export async function appendAudit(
  db: Queryable,
  who: AuditWho,
  action: AuditAction,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const p = new Params();
  await db.query(auditSql(p, who, action, entries), p.values);
}

/** The statement appending one row per entry (appendAudit, or one part of a push's: sync-store.ts). */
export function auditSql(
  p: Params,
  who: AuditWho,
  action: AuditAction,
  entries: readonly AuditEntry[],
): string {
  return `INSERT INTO audit_log (at, association_id, user_id, device_id, action, entity, record_id, version, sensitive)
     SELECT ${p.add(who.at)}::timestamptz, ${p.add(who.associationId)}::uuid, ${p.add(who.userId)}::uuid,
            ${p.add(who.deviceId)}::uuid, ${p.add(action)}, e, r, v, s
       FROM unnest(${p.add(entries.map((e) => e.entity))}::text[], ${p.add(entries.map((e) => e.recordId))}::text[],
                   ${p.add(entries.map((e) => e.version))}::bigint[],
                   ${p.add(entries.map((e) => e.sensitive === true))}::boolean[]) AS t(e, r, v, s)`;
}

/**
 * One page of a pull (migration 015): the versions it sent lie in [firstVersion, lastVersion], and it was read
 * in a snapshot holding every version up to snapshotVersion; the scope says which of them it sent.
 */
export interface PullRange {
  firstVersion: number;
  lastVersion: number;
  snapshotVersion: number;
  /** How many records the page sent. */
  count: number;
  /** The branches read besides the association-wide records; null: every branch. */
  branches: readonly (string | null)[] | null;
  /** Entities kept from the caller but for the records they wrote themselves. */
  hiddenEntities: readonly string[];
  /** Whether the caller received sensitive fields and documents. */
  sensitiveToo: boolean;
  /** The profile's sensitive field and document ids when the page was read. */
  sensitiveIds: readonly string[];
}

/** Records a page of a pull as one row (the audit_trail view gives it back record by record). */
export async function appendPullRange(db: Queryable, who: AuditWho, range: PullRange): Promise<void> {
  if (range.count === 0) return;
  await db.query(
    `INSERT INTO pull_ranges (at, association_id, user_id, device_id, first_version, last_version, snapshot_version,
                              count, branches, hidden_entities, sensitive_too, sensitive_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[], $10::text[], $11, $12::text[])`,
    [
      who.at,
      who.associationId,
      who.userId,
      who.deviceId,
      range.firstVersion,
      range.lastVersion,
      range.snapshotVersion,
      range.count,
      range.branches,
      range.hiddenEntities,
      range.sensitiveToo,
      range.sensitiveIds,
    ],
  );
}

/**
 * Every record a device received or changed, with when it last did and whether any of it was sensitive (for a
 * lost device: what it held). Read from audit_trail: the audit log's rows and the records its pull ranges sent.
 */
export function recordsOfDevice(db: Queryable, associationId: string, deviceId: string) {
  return db.query<{
    entity: string;
    record_id: string;
    last_at: Date;
    actions: string[];
    sensitive: boolean;
  }>(
    `SELECT entity, record_id, max(at) AS last_at, array_agg(DISTINCT action ORDER BY action) AS actions,
            bool_or(sensitive) AS sensitive
       FROM audit_trail WHERE association_id = $1 AND device_id = $2
      GROUP BY entity, record_id ORDER BY entity, record_id`,
    [associationId, deviceId],
  );
}
