// Local writes: the record and its outbox mutation are written in ONE read-write transaction, so a
// change is either saved and queued for sync, or not saved at all — never one without the other.
import { searchTokens } from '../domain/arabic-search';
import type { EntityName } from '../protocol/entities';
import type { Mutation } from '../protocol/sync';
import { parentIdOf, recordKey, type LocalRecord, type WaselDb } from './database';

const NEXT_SEQ = 'sync.nextSeq';

export interface RepositoryDeps {
  newId: () => string;
  now: () => number;
}

/** The index tokens of a record: beneficiaries are searchable by name, ID and phone. */
function tokensOf(entity: EntityName, data: Record<string, unknown> | null): string[] {
  if (entity !== 'beneficiary' || data === null) return [];
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return searchTokens({
    names: [text(data.fullName) ?? ''],
    nationalId: text(data.nationalId),
    mobile: text(data.mobile),
  });
}

/** The indexed fields derived from a record's data: search tokens and the record it belongs to. */
export function indexFieldsOf(entity: EntityName, data: Record<string, unknown> | null) {
  return { tokens: tokensOf(entity, data), parentId: parentIdOf(data) };
}

export function createRecordsRepository(db: WaselDb, deps: RepositoryDeps) {
  async function write(
    entity: EntityName,
    recordId: string,
    op: Mutation['op'],
    patch: Record<string, unknown>,
  ): Promise<Mutation> {
    return db.transaction('rw', db.records, db.outbox, db.meta, async () => {
      const key = recordKey(entity, recordId);
      const current = await db.records.get(key);
      const seqRecord = await db.meta.get(NEXT_SEQ);
      const seq = typeof seqRecord?.value === 'number' ? seqRecord.value : 1;
      const at = new Date(deps.now()).toISOString();
      const mutation: Mutation = {
        id: deps.newId(),
        seq,
        entity,
        op,
        recordId,
        baseVersion: current?.version ?? 0,
        patch: op === 'delete' ? {} : patch,
        at,
      };
      const data = op === 'delete' ? null : { ...(current?.data ?? {}), ...patch };
      const record: LocalRecord = {
        key,
        entity,
        recordId,
        version: current?.version ?? 0,
        deleted: op === 'delete',
        data,
        pending: (current?.pending ?? 0) + 1,
        updatedAt: at,
        ...indexFieldsOf(entity, data),
      };
      await db.records.put(record);
      await db.outbox.add({ seq, mutation });
      await db.meta.put({ key: NEXT_SEQ, value: seq + 1 });
      return mutation;
    });
  }

  return {
    /** Creates or changes a record with the fields given; queues the change for sync. */
    save: (entity: EntityName, recordId: string, patch: Record<string, unknown>) =>
      write(entity, recordId, 'upsert', patch),
    remove: (entity: EntityName, recordId: string) => write(entity, recordId, 'delete', {}),
    get: (entity: EntityName, recordId: string) => db.records.get(recordKey(entity, recordId)),
    /** Live records of an entity, newest change first. */
    async list(entity: EntityName): Promise<LocalRecord[]> {
      const rows = await db.records
        .where('[entity+updatedAt]')
        .between([entity, ''], [entity, '\uffff'])
        .reverse()
        .toArray();
      return rows.filter((r) => !r.deleted);
    },
    /** Live records of an entity that belong to one beneficiary or case, newest change first. */
    async listOf(entity: EntityName, parentId: string): Promise<LocalRecord[]> {
      const rows = await db.records.where('[entity+parentId]').equals([entity, parentId]).toArray();
      return rows.filter((r) => !r.deleted).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    },
    pendingCount: () => db.outbox.count(),
  };
}

export type RecordsRepository = ReturnType<typeof createRecordsRepository>;
