// Local writes: the record and its outbox mutation are written in ONE read-write transaction, so a
// change is either saved and queued for sync, or not saved at all — never one without the other.
// Everything personal is sealed (vault.ts). Web Crypto is not IndexedDB, and an IndexedDB transaction
// closes while a script awaits anything else, so each write is prepared (read, decrypt, merge, encrypt)
// first and then committed in a transaction that checks the record has not moved in between — if it
// has, the write is prepared again. The repository's reads of the blind index (search, agenda, reindex) are
// in record-index.ts, what is kept for review in reviews.ts, and the sealing itself in sealing.ts.
import Dexie from 'dexie';
import type { CaseEvent } from '../domain/case-machine';
import type { EntityName } from '../protocol/entities';
import type { Mutation } from '../protocol/sync';
import type { FieldError } from '../protocol/validate';
import { recordKey, type FileEntry, type LocalRecord, type StoredRecord, type WaselDb } from './database';
import { createRecordIndex } from './record-index';
import { createReviews } from './reviews';
import { openLive, openRecord, sameBytes, sealMutation, sealRecord } from './sealing';
import type { Cipher, Sealed } from './vault';

const NEXT_SEQ = 'sync.nextSeq';

export interface RepositoryDeps {
  newId: () => string;
  now: () => number;
  /**
   * The server's own check of a record as it would stand after the write (`validateEntity`, with the
   * association's profile): a write it refuses is never saved, so nothing is accepted here and refused at sync.
   */
  validate?: (entity: EntityName, data: Record<string, unknown>) => readonly FieldError[];
}

/** A write refused by the record's rules before anything was saved; `errors` name the fields. */
export class InvalidRecord extends Error {
  constructor(
    readonly entity: EntityName,
    readonly errors: readonly FieldError[],
  ) {
    super(`${entity}: ${errors.map((e) => `${e.path} ${e.code}`).join(', ')}`);
    this.name = 'InvalidRecord';
  }
}

/** What a prepared write was based on: the stored record must still be exactly this when it commits. */
interface Basis {
  iv: Uint8Array | null;
  version: number;
  exists: boolean;
}

const basisOf = (stored: StoredRecord | undefined): Basis => ({
  iv: stored?.sealed?.iv ?? null,
  version: stored?.version ?? 0,
  exists: stored !== undefined,
});

const unchanged = (basis: Basis, stored: StoredRecord | undefined) => {
  const now = basisOf(stored);
  return now.exists === basis.exists && now.version === basis.version && sameBytes(now.iv, basis.iv);
};

/** A write ready to commit: sealed outside the transaction. */
export interface PreparedWrite {
  key: string;
  basis: Basis;
  record: StoredRecord;
  /** Prepared on top of an earlier write of the same group, not on the record as stored. */
  chained: boolean;
  mutation: Omit<Mutation, 'seq'>;
  sealedMutation: Sealed;
}

/** One write of a group saved together (writeAll). */
export interface Write {
  entity: EntityName;
  recordId: string;
  op: Mutation['op'];
  patch: Record<string, unknown>;
  event?: CaseEvent;
}

class MovedMeanwhile extends Error {}

export function createRecordsRepository(db: WaselDb, cipher: Cipher, deps: RepositoryDeps) {
  /** A write worked out (read, merged, validated), before its sealing. */
  interface Planned {
    key: string;
    basis: Basis;
    record: LocalRecord;
    chained: boolean;
    mutation: Omit<Mutation, 'seq'>;
  }

  async function plan(
    entity: EntityName,
    recordId: string,
    op: Mutation['op'],
    patch: Record<string, unknown>,
    event?: CaseEvent,
    /** An earlier write of the same record in the same group, that this one follows. */
    after?: Planned,
  ): Promise<Planned> {
    const key = recordKey(entity, recordId);
    const stored = after === undefined ? await db.records.get(key) : undefined;
    const current =
      after !== undefined
        ? after.record
        : stored === undefined
          ? undefined
          : await openRecord(cipher, stored);
    const at = new Date(deps.now()).toISOString();
    const mutation: Omit<Mutation, 'seq'> = {
      id: deps.newId(),
      entity,
      op,
      recordId,
      baseVersion: current?.version ?? 0,
      patch: op === 'delete' ? {} : patch,
      ...(op === 'event' && event !== undefined ? { event } : {}),
      at,
    };
    const data = op === 'delete' ? null : { ...(current?.data ?? {}), ...patch };
    const errors = data === null ? [] : (deps.validate?.(entity, data) ?? []);
    if (errors.length > 0) throw new InvalidRecord(entity, errors);
    return {
      key,
      basis: after?.basis ?? basisOf(stored),
      record: {
        key,
        entity,
        recordId,
        version: current?.version ?? 0,
        deleted: op === 'delete',
        data,
        pending: 0,
        updatedAt: at,
        parentId: '',
      },
      chained: after !== undefined,
      mutation,
    };
  }

  async function seal({ key, basis, record, chained, mutation }: Planned): Promise<PreparedWrite> {
    const [sealed, sealedMutation] = await Promise.all([
      sealRecord(cipher, record),
      sealMutation(cipher, mutation),
    ]);
    return { key, basis, record: sealed, chained, mutation, sealedMutation };
  }

  async function prepare(
    entity: EntityName,
    recordId: string,
    op: Mutation['op'],
    patch: Record<string, unknown>,
    event?: CaseEvent,
  ): Promise<PreparedWrite> {
    return seal(await plan(entity, recordId, op, patch, event));
  }

  /**
   * Commits a prepared write; call it inside a read-write transaction over records, outbox and meta.
   * Returns null, having written nothing, when the record changed since it was prepared. A chained write
   * follows the earlier write of its group, committed just before it in the same transaction.
   */
  async function commit(prepared: PreparedWrite): Promise<Mutation | null> {
    const stored = await db.records.get(prepared.key);
    if (!prepared.chained && !unchanged(prepared.basis, stored)) return null;
    const seqRecord = await db.meta.get(NEXT_SEQ);
    const seq = typeof seqRecord?.value === 'number' ? seqRecord.value : 1;
    const { mutation } = prepared;
    await db.records.put({ ...prepared.record, pending: (stored?.pending ?? 0) + 1 });
    await db.outbox.add({
      seq,
      mutationId: mutation.id,
      entity: mutation.entity,
      recordId: mutation.recordId,
      sealed: prepared.sealedMutation,
    });
    await db.meta.put({ key: NEXT_SEQ, value: seq + 1 });
    return { ...mutation, seq };
  }

  async function write(
    entity: EntityName,
    recordId: string,
    op: Mutation['op'],
    patch: Record<string, unknown>,
  ): Promise<Mutation> {
    for (;;) {
      const prepared = await prepare(entity, recordId, op, patch);
      const mutation = await db.transaction('rw', db.records, db.outbox, db.meta, () => commit(prepared));
      if (mutation !== null) return mutation;
    }
  }

  /**
   * Writes several records, each with its outbox entry, in ONE transaction: a step and the record it rests on
   * (a decision and its request, a notification and the "told" step, a photo's attachment and the item it
   * provides, the items a chosen service finds on record) are saved together or not at all, in order. The
   * files given (sealed, named by their hash) are kept in the same transaction, once: a record never names
   * bytes the device does not hold.
   */
  async function writeAll(writes: readonly Write[], files: readonly FileEntry[] = []): Promise<Mutation[]> {
    const tables =
      files.length === 0 ? [db.records, db.outbox, db.meta] : [db.records, db.outbox, db.meta, db.files];
    for (;;) {
      // A record written twice in the group (a request's steps in a row) takes its second write on its first.
      const plans: Planned[] = [];
      for (const w of writes) {
        const key = recordKey(w.entity, w.recordId);
        const after = [...plans].reverse().find((p) => p.key === key);
        plans.push(await plan(w.entity, w.recordId, w.op, w.patch, w.event, after));
      }
      // Sealed side by side: the cipher's calls overlap.
      const prepared = await Promise.all(plans.map(seal));
      const committed = await db
        .transaction('rw', tables, async () => {
          const mutations: Mutation[] = [];
          for (const p of prepared) {
            const mutation = await commit(p);
            // A record moved since it was prepared: undo the whole group, and prepare it again.
            if (mutation === null) throw new MovedMeanwhile();
            mutations.push(mutation);
          }
          for (const file of files)
            if ((await db.files.get(file.sha256)) === undefined) await db.files.add(file);
          return mutations;
        })
        .catch((error: unknown) => {
          if (error instanceof MovedMeanwhile) return null;
          throw error;
        });
      if (committed !== null) return committed;
    }
  }

  const openAll = (rows: readonly StoredRecord[]) => openLive(cipher, rows);

  return {
    /** Creates or changes a record with the fields given; queues the change for sync. */
    save: (entity: EntityName, recordId: string, patch: Record<string, unknown>) =>
      write(entity, recordId, 'upsert', patch),
    remove: (entity: EntityName, recordId: string) => write(entity, recordId, 'delete', {}),
    /** Records a named step of a request, with the fields the device expects it to change (shown at once). */
    step: async (recordId: string, event: CaseEvent, expected: Record<string, unknown>) =>
      (await writeAll([{ entity: 'case', recordId, op: 'event', patch: expected, event }]))[0],
    writeAll,
    async get(entity: EntityName, recordId: string): Promise<LocalRecord | undefined> {
      const stored = await db.records.get(recordKey(entity, recordId));
      return stored === undefined ? undefined : openRecord(cipher, stored);
    },
    /** Live records of an entity, newest change first. */
    async list(entity: EntityName): Promise<LocalRecord[]> {
      const rows = await db.records
        .where('[entity+updatedAt]')
        .between([entity, ''], [entity, '\uffff'])
        .reverse()
        .toArray();
      return openAll(rows);
    },
    /** The `limit` most recently changed records of an entity, read through the index: a page opens little. */
    async page(entity: EntityName, limit: number): Promise<{ records: LocalRecord[]; more: boolean }> {
      const rows = await db.records
        .where('[entity+updatedAt]')
        .between([entity, Dexie.minKey], [entity, Dexie.maxKey])
        .reverse()
        .filter((r) => !r.deleted)
        .limit(limit + 1)
        .toArray();
      return { records: await openAll(rows.slice(0, limit)), more: rows.length > limit };
    },
    /** Live records of an entity that belong to one beneficiary or case, newest change first. */
    async listOf(entity: EntityName, parentId: string): Promise<LocalRecord[]> {
      const rows = await db.records.where('[entity+parentId]').equals([entity, parentId]).toArray();
      return (await openAll(rows)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    },
    /** The live records of these keys, opened, by key; deleted and missing ones are left out. */
    async openMany(keys: readonly string[]): Promise<Map<string, LocalRecord>> {
      const rows = (await db.records.bulkGet([...new Set(keys)])).filter((r) => r !== undefined);
      return new Map((await openAll(rows)).map((r) => [r.key, r]));
    },
    pendingCount: () => db.outbox.count(),
    ...createRecordIndex(db, cipher),
    ...createReviews(db, cipher),
  };
}

export type RecordsRepository = ReturnType<typeof createRecordsRepository>;
