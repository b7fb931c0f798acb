// The public complaint channel (complaint-service, K-CMPL-a): the association a form names, the complaint
// written as its record, and a complaint found by its reference. SQL only: the rules are the service's.
import type { Complaint } from '../../src/protocol/entities';
import type { FieldVersion } from './records-store';
import { firstRow, type Queryable } from './db';

/** The association with this code, with its names. */
export function associationByCode(
  db: Queryable,
  code: string,
): Promise<{ id: string; code: string; name_ar: string; name_en: string } | undefined> {
  return firstRow<{ id: string; code: string; name_ar: string; name_en: string }>(
    db,
    'SELECT id, code, name_ar, name_en FROM associations WHERE code = $1',
    [code],
  );
}

/** Writes a complaint from the public form: association-wide, by no user. */
export async function insertPublicComplaint(
  tx: Queryable,
  c: {
    associationId: string;
    recordId: string;
    version: number;
    data: Complaint;
    fieldVersions: Record<string, FieldVersion>;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO records (association_id, entity, record_id, branch_id, version, deleted, data, field_versions,
                                created_by, updated_by, created_at, updated_at)
           VALUES ($1, 'complaint', $2, NULL, $3, false, $4::jsonb, $5::jsonb, NULL, NULL, $6, $6)`,
    [c.associationId, c.recordId, c.version, JSON.stringify(c.data), JSON.stringify(c.fieldVersions), c.at],
  );
}

/** The first live complaint of the association with this code that bears this reference. */
export async function complaintByReference(
  db: Queryable,
  code: string,
  reference: string,
): Promise<Complaint | undefined> {
  return (
    await firstRow<{ data: Complaint }>(
      db,
      `SELECT r.data FROM records r JOIN associations a ON a.id = r.association_id
          WHERE a.code = $1 AND r.entity = 'complaint' AND r.data->>'reference' = $2 AND NOT r.deleted
          ORDER BY r.created_at LIMIT 1`,
      [code, reference],
    )
  )?.data;
}
