// The records one push reads and writes, held in memory for the length of its transaction: read in one
// query up front (those the mutations name, and their parents), changed in memory as each mutation applies
// in order, and written back with the rest of the push in one statement before commit. A push of N mutations
// thus costs a fixed number of round trips to the database instead of about three per mutation, which is what
// bounded the server under many devices (issue 8: each statement is a system call and a wake-up of a database
// backend).
import type { EntityName } from '../../../src/protocol/entities';
import type { Mutation } from '../../../src/protocol/sync';
import type { Queryable } from '../../store/db';
import {
  activeResearchers,
  holidayDates as readHolidayDates,
  liveChildren,
  readRecord,
  readRecords,
  type RecordRow,
  type WrittenRecord,
} from '../../store/records-store';
import type { RecordReader } from '../case-steps';
import { branchSource } from '../policy';

type Data = Record<string, unknown>;

export interface WorkingSet extends RecordReader {
  get(entity: EntityName, id: string): Promise<RecordRow | undefined>;
  put(entity: EntityName, id: string, row: RecordRow): void;
  /** The ids of the association's branches (read as the push opened). */
  branches(): Promise<ReadonlySet<string>>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The working set of a push of association `aid`, reading and writing in `tx`; its branches as read. */
export function createWorkingSet(tx: Queryable, aid: string, branchIds: ReadonlySet<string>) {
  /** What the database holds (null: no such record), then what this push made of it. */
  const known = new Map<string, RecordRow | null>();
  const dirty = new Set<string>();
  let holidayDates: Promise<string[]> | undefined;
  /** Records by parent, as the table holds them (read once per push). */
  const stored = new Map<string, Promise<{ record_id: string; data: Data }[]>>();
  const keyOf = (entity: string, id: string) => `${entity}\u0000${id}`;

  async function load(wanted: readonly { entity: EntityName; id: string }[]) {
    // Ids that are not UUIDs cannot be in the table (get answers "none" for them without asking).
    const missing = wanted.filter((w) => UUID.test(w.id) && !known.has(keyOf(w.entity, w.id)));
    if (missing.length === 0) return;
    const rows = await readRecords(tx, aid, missing);
    for (const w of missing) known.set(keyOf(w.entity, w.id), null);
    for (const { entity, record_id, ...row } of rows) known.set(keyOf(entity, record_id), row);
  }

  const set: WorkingSet = {
    async get(entity, id) {
      // Not a UUID: no such record (a parent id typed wrong is refused as parent_not_found, not a 500).
      if (!UUID.test(id)) return undefined;
      const key = keyOf(entity, id);
      if (!known.has(key)) known.set(key, (await readRecord(tx, aid, entity, id)) ?? null);
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
      // The table does not change until the push is flushed: each list is read once per push (a request's
      // steps ask for the same ones again and again).
      const listKey = `${entity}\u0000${field}\u0000${parentId}`;
      let read = stored.get(listKey);
      if (read === undefined) {
        read = liveChildren(tx, aid, { entity, field, parentId });
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
      return Promise.resolve(branchIds);
    },
    researchers(branchId) {
      return activeResearchers(tx, aid, branchId);
    },
    async holidays() {
      holidayDates ??= readHolidayDates(tx, aid);
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
    /** Every record this push changed, each at its last state, to be written back (sync-store's commitPush). */
    written(): WrittenRecord[] {
      return [...dirty].map((key) => {
        const [entity = '', recordId = ''] = key.split('\u0000');
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
    },
  };
}
