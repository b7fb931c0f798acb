// The audit log (migration 006): appended in the same transaction as what it records, never changed.
import type { Queryable } from './db';

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
  await db.query(
    `INSERT INTO audit_log (at, association_id, user_id, device_id, action, entity, record_id, version, sensitive)
     SELECT $1, $2, $3, $4, $5, e, r, v, s
       FROM unnest($6::text[], $7::text[], $8::bigint[], $9::boolean[]) AS t(e, r, v, s)`,
    [
      who.at,
      who.associationId,
      who.userId,
      who.deviceId,
      action,
      entries.map((e) => e.entity),
      entries.map((e) => e.recordId),
      entries.map((e) => e.version),
      entries.map((e) => e.sensitive === true),
    ],
  );
}

/** Every record a device received or changed, with when it last did (for a lost device: what it held). */
export function recordsOfDevice(db: Queryable, associationId: string, deviceId: string) {
  return db.query<{ entity: string; record_id: string; last_at: Date; actions: string[] }>(
    `SELECT entity, record_id, max(at) AS last_at, array_agg(DISTINCT action ORDER BY action) AS actions
       FROM audit_log WHERE association_id = $1 AND device_id = $2
      GROUP BY entity, record_id ORDER BY entity, record_id LIMIT 100000`,
    [associationId, deviceId],
  );
}
