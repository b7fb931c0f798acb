// A lost or stolen device as a personal-data breach (L-BREACH): its incident, opened by an administrator (and
// the device revoked in the same step, so that it erases itself at its next contact), what it held, derived
// from the audit (auth.recordsOfDevice) and the records, the 72-hour clock of the regulator's notification, and
// the affected beneficiaries as a CSV file for the regulator.
import Papa from 'papaparse';
import * as z from 'zod/mini';
import { breachDeadline, checkIncidentTimes } from '../../src/domain/breach';
import { entityNames } from '../../src/domain/entity-names';
import type {
  AffectedBeneficiary,
  Incident,
  IncidentDetail,
  IncidentExport,
  NewIncidentRequest,
  RegulatorNotifiedRequest,
} from '../../src/protocol/admin';
import { ErrorCode } from '../../src/protocol/errors';
import { appendAudit, auditWho } from '../store/audit-store';
import type { Queryable } from '../store/db';
import {
  findIncident,
  incidentIdOfDevice,
  insertIncident,
  linksOf,
  listIncidents,
  markRegulatorNotified,
  personsOf,
  type IncidentRow,
  type RecordLinks,
} from '../store/incident-store';
import type { AuthContext, AuthService } from './auth-service';
import { refuseIf, ServiceError } from './errors';
import { mayAdministerDevices } from './policy';

export interface IncidentDeps {
  db: Queryable;
  /** Revokes the device and tells what it held (recordsOfDevice), under its own authorization. */
  auth: Pick<AuthService, 'revokeDevice' | 'recordsOfDevice'>;
  /** Milliseconds since the epoch: "now" for awareness and notification, and the check that neither is later. */
  now: () => number;
}

const uuid = z.uuid();
const isUuid = (value: string | null): value is string => value !== null && uuid.safeParse(value).success;

/** The CSV's columns, in both languages: the regulator reads Arabic, a tool reads the English. */
export const AFFECTED_CSV_HEADER = [
  'رقم سجل المستفيد / Beneficiary record ID',
  'الاسم الكامل / Full name',
  'رقم الهوية / National ID',
  'الجوال / Mobile',
  'ما حمله الجهاز عنه / Data held (record types)',
  'بيانات حساسة / Sensitive data',
  'آخر استلام أو تعديل على الجهاز (UTC) / Last received or changed on the device (UTC)',
] as const;

/** A table as CSV (papaparse's quoting; formulas kept as text), UTF-8 with a byte-order mark for Excel. */
function toCsv(header: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  const body = Papa.unparse(
    { fields: [...header], data: rows.map((r) => [...r]) },
    { newline: '\r\n', escapeFormulae: true },
  );
  return `\uFEFF${body}\r\n`;
}

function toIncident(row: IncidentRow): Incident {
  const awareAt = row.aware_at.toISOString();
  return {
    id: row.id,
    deviceId: row.device_id,
    deviceName: row.device_name,
    awareAt,
    deadline: breachDeadline(awareAt),
    reportedAt: row.created_at.toISOString(),
    reportedBy: row.reported_by,
    notes: row.notes,
    regulator:
      row.regulator_notified_at === null ||
      row.regulator_recorded_at === null ||
      row.regulator_recorded_by === null
        ? null
        : {
            notifiedAt: row.regulator_notified_at.toISOString(),
            recordedAt: row.regulator_recorded_at.toISOString(),
            recordedBy: row.regulator_recorded_by,
            reference: row.regulator_reference,
          },
  };
}

const entityOrder = (entity: string) => {
  const i = (entityNames as readonly string[]).indexOf(entity);
  return i === -1 ? entityNames.length : i;
};
const byName = new Intl.Collator('ar');

/** What a device held, counted, and the beneficiaries it was about, with the versions of their records. */
interface Held {
  held: IncidentDetail['held'];
  beneficiaries: AffectedBeneficiary[];
  /** The version of each beneficiary's record as it stands (absent: the association holds none). */
  versions: ReadonlyMap<string, number>;
}

export function createIncidentService({ db, auth, now }: IncidentDeps) {
  /** The caller's association's incident, or not_found (an id that is no UUID names none). */
  async function incidentOf(caller: AuthContext, id: string): Promise<IncidentRow> {
    refuseIf(mayAdministerDevices(caller));
    const row = uuid.safeParse(id).success ? await findIncident(db, caller.aid, id) : undefined;
    if (row === undefined) throw new ServiceError(ErrorCode.notFound, 'No such incident.');
    return row;
  }

  /**
   * Every record the device received or changed, and the beneficiary each is about: its own record, the
   * beneficiary it names, or the one its case or complaint names.
   */
  async function heldBy(caller: AuthContext, deviceId: string): Promise<Held> {
    const records = await auth.recordsOfDevice(caller, deviceId);
    const key = (entity: string, id: string) => `${entity}:${id}`;
    const index = (links: readonly RecordLinks[]) =>
      new Map(links.map((l) => [key(l.entity, l.record_id), l]));
    const linked = index(
      await linksOf(
        db,
        caller.aid,
        records.filter((r) => r.entity !== 'beneficiary' && isUuid(r.recordId)),
      ),
    );
    const parents = [...linked.values()].flatMap((l) =>
      isUuid(l.beneficiary_id)
        ? []
        : [
            ...(isUuid(l.case_id) ? [{ entity: 'case', recordId: l.case_id }] : []),
            ...(isUuid(l.complaint_id) ? [{ entity: 'complaint', recordId: l.complaint_id }] : []),
          ],
    );
    const parentLinks = index(await linksOf(db, caller.aid, parents));
    const beneficiaryOf = (entity: string, recordId: string): string | null => {
      if (entity === 'beneficiary') return isUuid(recordId) ? recordId : null;
      const link = linked.get(key(entity, recordId));
      if (link === undefined) return null;
      if (isUuid(link.beneficiary_id)) return link.beneficiary_id;
      const parent =
        (link.case_id === null ? undefined : parentLinks.get(key('case', link.case_id))) ??
        (link.complaint_id === null ? undefined : parentLinks.get(key('complaint', link.complaint_id)));
      return isUuid(parent?.beneficiary_id ?? null) ? (parent?.beneficiary_id ?? null) : null;
    };

    const counts = new Map<string, { records: number; sensitive: number }>();
    const about = new Map<string, { entities: Set<string>; sensitive: boolean; lastAt: string }>();
    let aboutNoOne = 0;
    for (const r of records) {
      const count = counts.get(r.entity) ?? { records: 0, sensitive: 0 };
      count.records += 1;
      if (r.sensitive) count.sensitive += 1;
      counts.set(r.entity, count);
      const beneficiaryId = beneficiaryOf(r.entity, r.recordId);
      if (beneficiaryId === null) {
        aboutNoOne += 1;
        continue;
      }
      const person = about.get(beneficiaryId) ?? { entities: new Set(), sensitive: false, lastAt: r.lastAt };
      person.entities.add(r.entity);
      person.sensitive ||= r.sensitive;
      if (r.lastAt > person.lastAt) person.lastAt = r.lastAt;
      about.set(beneficiaryId, person);
    }
    const persons = new Map((await personsOf(db, caller.aid, [...about.keys()])).map((p) => [p.id, p]));
    const beneficiaries = [...about].map(([id, held]): AffectedBeneficiary => {
      const person = persons.get(id);
      return {
        id,
        fullName: person?.full_name ?? null,
        nationalId: person?.national_id ?? null,
        mobile: person?.mobile ?? null,
        entities: [...held.entities].sort((a, b) => entityOrder(a) - entityOrder(b)),
        sensitive: held.sensitive,
        lastAt: held.lastAt,
      };
    });
    // By name, as a list of people is read; those whose file is gone last; ties by id, so the order is stable.
    beneficiaries.sort(
      (a, b) =>
        (a.fullName === null ? 1 : 0) - (b.fullName === null ? 1 : 0) ||
        byName.compare(a.fullName ?? '', b.fullName ?? '') ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    return {
      held: {
        records: records.length,
        sensitive: records.filter((r) => r.sensitive).length,
        aboutNoOne,
        byEntity: [...counts]
          .sort(([a], [b]) => entityOrder(a) - entityOrder(b) || (a < b ? -1 : 1))
          .map(([entity, c]) => ({ entity, ...c })),
      },
      beneficiaries,
      versions: new Map(
        [...persons.values()].filter((p) => Number(p.version) > 0).map((p) => [p.id, Number(p.version)]),
      ),
    };
  }

  /** The beneficiaries named to the caller, audited as `action` on their records as they stand. */
  async function audited(
    caller: AuthContext,
    action: 'lookup' | 'export',
    { beneficiaries, versions }: Held,
  ) {
    await appendAudit(
      db,
      auditWho(caller, new Date(now())),
      action,
      beneficiaries.flatMap((b) => {
        const version = versions.get(b.id);
        return version === undefined ? [] : [{ entity: 'beneficiary', recordId: b.id, version }];
      }),
    );
  }

  const timesRefused = (problems: readonly { path: string; message: string }[]) =>
    new ServiceError(ErrorCode.invalidRequest, 'The times of the incident are not possible.', undefined, {
      fields: problems,
    });

  return {
    /** The association's incidents, the latest first. */
    async list(caller: AuthContext): Promise<Incident[]> {
      refuseIf(mayAdministerDevices(caller));
      return (await listIncidents(db, caller.aid)).map(toIncident);
    },

    /**
     * Opens the incident of a lost device. The device is revoked first (if it is not already, with the notes as
     * the reason): an incident never names a device that can still sync. A device has one incident; reporting
     * it again is refused with the existing incident's id.
     */
    async open(caller: AuthContext, request: NewIncidentRequest): Promise<Incident> {
      refuseIf(mayAdministerDevices(caller));
      const at = now();
      const problems = checkIncidentTimes({ awareAt: request.awareAt }, at);
      if (problems.length > 0) throw timesRefused(problems);
      const existing = await incidentIdOfDevice(db, caller.aid, request.deviceId);
      const already = (incidentId: string) =>
        new ServiceError(ErrorCode.alreadyExists, 'This device has an incident already.', undefined, {
          incidentId,
        });
      if (existing !== undefined) throw already(existing);
      // Refuses a device of another association, or none, as not_found.
      await auth.revokeDevice(caller, request.deviceId, request.notes);
      const id = await insertIncident(db, {
        associationId: caller.aid,
        deviceId: request.deviceId,
        reportedBy: caller.sub,
        // "Now" to the minute, as the console's forms give times: a notification recorded within the same
        // minute is not earlier than the awareness.
        awareAt: new Date(request.awareAt ?? at - (at % 60_000)),
        createdAt: new Date(at),
        notes: request.notes,
      });
      if (id === undefined) {
        const winner = await incidentIdOfDevice(db, caller.aid, request.deviceId);
        throw already(winner ?? '');
      }
      return toIncident(await incidentOf(caller, id));
    },

    /** The incident, what the device held and whom it was about (their being named is audited as a lookup). */
    async read(caller: AuthContext, id: string): Promise<IncidentDetail> {
      const row = await incidentOf(caller, id);
      const held = await heldBy(caller, row.device_id);
      await audited(caller, 'lookup', held);
      return { incident: toIncident(row), held: held.held, beneficiaries: held.beneficiaries };
    },

    /** Records, once, that the regulator was notified: when (default now), by the caller, with its reference. */
    async markNotified(
      caller: AuthContext,
      id: string,
      request: RegulatorNotifiedRequest,
    ): Promise<Incident> {
      const row = await incidentOf(caller, id);
      const at = now();
      const problems = checkIncidentTimes({ notifiedAt: request.notifiedAt }, at, row.aware_at.toISOString());
      if (problems.length > 0) throw timesRefused(problems);
      const reference =
        request.reference === undefined || request.reference === '' ? null : request.reference;
      const marked = await markRegulatorNotified(db, caller.aid, row.id, {
        notifiedAt: new Date(request.notifiedAt ?? at),
        recordedAt: new Date(at),
        recordedBy: caller.sub,
        reference,
      });
      if (!marked)
        throw new ServiceError(ErrorCode.alreadyExists, 'The notification is recorded already.', undefined, {
          regulatorNotifiedAt: row.regulator_notified_at?.toISOString() ?? null,
        });
      return toIncident(await incidentOf(caller, id));
    },

    /** The affected beneficiaries as a CSV file for the regulator; audited as an export of their records. */
    async exportAffected(caller: AuthContext, id: string): Promise<IncidentExport> {
      const row = await incidentOf(caller, id);
      const held = await heldBy(caller, row.device_id);
      await audited(caller, 'export', held);
      const csv = toCsv(
        AFFECTED_CSV_HEADER,
        held.beneficiaries.map((b) => [
          b.id,
          b.fullName,
          b.nationalId,
          b.mobile,
          b.entities.join('; '),
          b.sensitive ? 'yes' : 'no',
          b.lastAt,
        ]),
      );
      return { fileName: `incident-${row.id}-affected.csv`, csv };
    },
  };
}

export type IncidentService = ReturnType<typeof createIncidentService>;
