// The incidents of lost devices (migration 016), and what links the records a device held to the beneficiaries
// they are about. SQL only: the rules are the incident service's.
import type { Queryable } from './db';

export interface IncidentRow {
  id: string;
  device_id: string;
  device_name: string;
  aware_at: Date;
  created_at: Date;
  reported_by: string;
  notes: string;
  regulator_notified_at: Date | null;
  regulator_recorded_at: Date | null;
  regulator_recorded_by: string | null;
  regulator_reference: string | null;
}

/** The columns of an IncidentRow, with the device's name and the usernames of who reported and recorded. */
const selectIncident = `
  SELECT i.id, i.device_id, d.name AS device_name, i.aware_at, i.created_at, r.username AS reported_by, i.notes,
         i.regulator_notified_at, i.regulator_recorded_at, n.username AS regulator_recorded_by,
         i.regulator_reference
    FROM incidents i
    JOIN devices d ON d.association_id = i.association_id AND d.id = i.device_id
    JOIN users r ON r.id = i.reported_by
    LEFT JOIN users n ON n.id = i.regulator_recorded_by`;

/** The association's incidents, the latest first. */
export function listIncidents(db: Queryable, associationId: string): Promise<IncidentRow[]> {
  return db.query<IncidentRow>(
    `${selectIncident} WHERE i.association_id = $1 ORDER BY i.created_at DESC, i.id`,
    [associationId],
  );
}

export async function findIncident(
  db: Queryable,
  associationId: string,
  id: string,
): Promise<IncidentRow | undefined> {
  return (
    await db.query<IncidentRow>(`${selectIncident} WHERE i.association_id = $1 AND i.id = $2`, [
      associationId,
      id,
    ])
  )[0];
}

/** The incident of a device, if it has one (a device has at most one). */
export async function incidentIdOfDevice(
  db: Queryable,
  associationId: string,
  deviceId: string,
): Promise<string | undefined> {
  const rows = await db.query<{ id: string }>(
    'SELECT id FROM incidents WHERE association_id = $1 AND device_id = $2',
    [associationId, deviceId],
  );
  return rows[0]?.id;
}

/** Opens an incident; undefined when the device has one already (a concurrent report won). */
export async function insertIncident(
  db: Queryable,
  incident: {
    associationId: string;
    deviceId: string;
    reportedBy: string;
    awareAt: Date;
    createdAt: Date;
    notes: string;
  },
): Promise<string | undefined> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO incidents (association_id, device_id, reported_by, aware_at, created_at, notes)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (association_id, device_id) DO NOTHING RETURNING id`,
    [
      incident.associationId,
      incident.deviceId,
      incident.reportedBy,
      incident.awareAt,
      incident.createdAt,
      incident.notes,
    ],
  );
  return rows[0]?.id;
}

/** Records the regulator's notification once; false when it was recorded already. */
export async function markRegulatorNotified(
  db: Queryable,
  associationId: string,
  id: string,
  notice: { notifiedAt: Date; recordedAt: Date; recordedBy: string; reference: string | null },
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE incidents
        SET regulator_notified_at = $3, regulator_recorded_at = $4, regulator_recorded_by = $5,
            regulator_reference = $6
      WHERE association_id = $1 AND id = $2 AND regulator_notified_at IS NULL
      RETURNING id`,
    [associationId, id, notice.notifiedAt, notice.recordedAt, notice.recordedBy, notice.reference],
  );
  return rows.length > 0;
}

/** What a record names: its beneficiary, its case, its complaint (each null when it names none). */
export interface RecordLinks {
  entity: string;
  record_id: string;
  beneficiary_id: string | null;
  case_id: string | null;
  complaint_id: string | null;
}

/**
 * Fields of the records joined as `r`, as each record holds them or, once it holds no data (deleted), as its
 * correction history last said; a record destroyed on request keeps neither, and gives nulls. `fields` are
 * [JSON field, column] pairs of this module's own, never input; `entity` and `recordId` name the join's keys.
 */
function lastKnown(fields: readonly (readonly [string, string])[], entity: string, recordId: string) {
  const latest = ([field, column]: readonly [string, string]) =>
    `(array_agg(x.changes->'${field}'->>'after' ORDER BY x.version DESC) FILTER (WHERE x.changes ? '${field}'))[1] AS ${column}`;
  return {
    columns: fields
      .map(
        ([field, column]) =>
          `CASE WHEN r.data IS NOT NULL THEN r.data->>'${field}' ELSE h.${column} END AS ${column}`,
      )
      .join(', '),
    history: `LEFT JOIN LATERAL (
         SELECT ${fields.map(latest).join(', ')}
           FROM record_history x
          WHERE x.association_id = $1 AND x.entity = ${entity} AND x.record_id = ${recordId}
       ) h ON r.data IS NULL`,
  };
}

const links = lastKnown(
  [
    ['beneficiaryId', 'beneficiary_id'],
    ['caseId', 'case_id'],
    ['complaintId', 'complaint_id'],
  ],
  't.entity',
  't.record_id',
);
const person = lastKnown(
  [
    ['fullName', 'full_name'],
    ['nationalId', 'national_id'],
    ['mobile', 'mobile'],
  ],
  "'beneficiary'",
  't.id',
);

/**
 * What each record names, as it stands, or — when it holds no data any more (deleted) — as its correction
 * history last said. A record destroyed on request keeps neither, and names nothing.
 */
export function linksOf(
  db: Queryable,
  associationId: string,
  refs: readonly { entity: string; recordId: string }[],
): Promise<RecordLinks[]> {
  if (refs.length === 0) return Promise.resolve([]);
  return db.query<RecordLinks>(
    `SELECT t.entity, t.record_id::text AS record_id, ${links.columns}
       FROM unnest($2::text[], $3::uuid[]) AS t(entity, record_id)
       LEFT JOIN records r ON r.association_id = $1 AND r.entity = t.entity AND r.record_id = t.record_id
       ${links.history}`,
    [associationId, refs.map((r) => r.entity), refs.map((r) => r.recordId)],
  );
}

export interface PersonRow {
  id: string;
  /** The record's version (0: the association holds no record of that id). */
  version: string | number;
  full_name: string | null;
  national_id: string | null;
  mobile: string | null;
}

/**
 * Who these beneficiaries are: their name, national ID and mobile as the record holds them, or, for a record
 * deleted since, as its history last said; null once the file was destroyed.
 */
export function personsOf(
  db: Queryable,
  associationId: string,
  ids: readonly string[],
): Promise<PersonRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.query<PersonRow>(
    `SELECT t.id::text AS id, COALESCE(r.version, 0) AS version, ${person.columns}
       FROM unnest($2::uuid[]) AS t(id)
       LEFT JOIN records r ON r.association_id = $1 AND r.entity = 'beneficiary' AND r.record_id = t.id
       ${person.history}`,
    [associationId, ids],
  );
}
