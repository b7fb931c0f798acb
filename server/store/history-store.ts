// The correction history (migration 007): every applied change with the values it replaced, so that a
// beneficiary's file can show what was corrected, by whom and when (L-RIGHTS). Personal data: destroyed
// with the record it belongs to.
import type { AuditWho } from './audit-store';
import { Params, type Queryable } from './db';

export interface HistoryEntry {
  entity: string;
  record_id: string;
  version: number;
  op: 'create' | 'update' | 'delete';
  /** The fields the change touched, with their values before and after. */
  changes: Record<string, { before: unknown; after: unknown }>;
}

export interface HistoryRow extends HistoryEntry {
  at: Date;
  user_id: string;
}

/** Appends the changes of one push or import, in one statement. */
export async function appendHistory(
  db: Queryable,
  who: AuditWho,
  entries: readonly HistoryEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const p = new Params();
  await db.query(historySql(p, who, entries), p.values);
}

/** The statement appending these changes (appendHistory, or one part of a push's: sync-store.ts). */
export function historySql(p: Params, who: AuditWho, entries: readonly HistoryEntry[]): string {
  return `INSERT INTO record_history (association_id, at, user_id, device_id, entity, record_id, version, op, changes)
     SELECT ${p.add(who.associationId)}::uuid, ${p.add(who.at)}::timestamptz, ${p.add(who.userId)}::uuid,
            ${p.add(who.deviceId)}::uuid, t.entity, t.record_id, t.version, t.op, t.changes
       FROM jsonb_to_recordset(${p.add(JSON.stringify(entries))}::jsonb)
         AS t(entity text, record_id uuid, version bigint, op text, changes jsonb)`;
}

/** The history of some records of one association, oldest change first. */
export async function historyOf(
  db: Queryable,
  associationId: string,
  records: readonly { entity: string; recordId: string }[],
): Promise<HistoryRow[]> {
  if (records.length === 0) return [];
  const rows = await db.query<Omit<HistoryRow, 'version'> & { version: string | number }>(
    `SELECT h.entity, h.record_id, h.version, h.op, h.changes, h.at, h.user_id
       FROM record_history h
       JOIN unnest($2::text[], $3::uuid[]) AS r(entity, record_id)
         ON h.entity = r.entity AND h.record_id = r.record_id
      WHERE h.association_id = $1
      ORDER BY h.at, h.version`,
    [associationId, records.map((r) => r.entity), records.map((r) => r.recordId)],
  );
  return rows.map((r) => ({ ...r, version: Number(r.version) }));
}
