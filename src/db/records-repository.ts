// Local writes: the record and its outbox mutation are written in ONE read-write transaction, so a
// change is either saved and queued for sync, or not saved at all — never one without the other.
// Everything personal is sealed (vault.ts). Web Crypto is not IndexedDB, and an IndexedDB transaction
// closes while a script awaits anything else, so each write is prepared (read, decrypt, merge, encrypt)
// first and then committed in a transaction that checks the record has not moved in between — if it
// has, the write is prepared again.
import Dexie from 'dexie';
import {
  matchesQuery,
  queryBuckets,
  queryTokens,
  searchBuckets,
  searchTokens,
} from '../domain/arabic-search';
import type { CaseEvent } from '../domain/case-machine';
import type { EntityName } from '../protocol/entities';
import { agendaOf } from './agenda';
import { filterTagsOf, tagsOfFilter, type BeneficiaryFilter } from '../domain/beneficiary-filters';
import type { Mutation } from '../protocol/sync';
import type { FieldError } from '../protocol/validate';
import {
  parentIdOf,
  recordKey,
  type ConflictEntry,
  type FileEntry,
  type LocalRecord,
  type OutboxEntry,
  type RejectedEntry,
  type StoredRecord,
  type StoredReview,
  type WaselDb,
} from './database';
import type { Cipher, Sealed } from './vault';

const NEXT_SEQ = 'sync.nextSeq';
/**
 * What the clear entries beside a sealed row hold, by version: 1 the search buckets, 2 and the agenda,
 * 3 and the list's filter tags, 4 and the research and decision queues' agenda entries. A row sealed by this build carries this number; older rows are brought up
 * to it by the reindex after unlock, and the device remembers when none is left.
 */
export const INDEX_VERSION = 4;
const INDEXED = 'index.version';
/** Rows opened at a time by the reindex. */
const REINDEX_SLICE = 256;
/** Search candidates read and opened at a time, until a page is full. */
const SEARCH_SLICE = 64;
/** Keys of the smallest bucket read first; four times more each time the page is not full yet. */
const SEARCH_FIRST_KEYS = 256;

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

/** The plain search tokens of a record: beneficiaries are searchable by name, ID and phone. */
function tokensOf(entity: EntityName, data: Record<string, unknown> | null): string[] {
  if (entity !== 'beneficiary' || data === null) return [];
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return searchTokens({
    names: [text(data.fullName) ?? ''],
    nationalId: text(data.nationalId),
    mobile: text(data.mobile),
  });
}

/** The blind index entries of a record: its search buckets and, for a beneficiary, its filter tags. */
function blindEntries(cipher: Cipher, entity: EntityName, data: Record<string, unknown> | null) {
  const filters = entity === 'beneficiary' && data !== null ? filterTagsOf(data) : [];
  return Promise.all([...searchBuckets(tokensOf(entity, data)), ...filters].map((b) => cipher.blind(b)));
}

/** Seals a record for storage: its data bound to its key, its index entries beside it. */
export async function sealRecord(cipher: Cipher, record: LocalRecord): Promise<StoredRecord> {
  const { data, ...clear } = record;
  const [sealed, tokens] = await Promise.all([
    data === null ? null : cipher.seal(data, record.key),
    blindEntries(cipher, record.entity, data),
  ]);
  return {
    ...clear,
    sealed,
    tokens,
    parentId: parentIdOf(data),
    agenda: agendaOf(record.entity, data),
    indexed: INDEX_VERSION,
  };
}

export async function openRecord(cipher: Cipher, stored: StoredRecord): Promise<LocalRecord> {
  const { key, entity, recordId, version, deleted, sealed, pending, updatedAt, parentId } = stored;
  const data = sealed === null ? null : await cipher.open<Record<string, unknown>>(sealed, key);
  return { key, entity, recordId, version, deleted, data, pending, updatedAt, parentId };
}

const mutationAad = (mutationId: string) => `mutation:${mutationId}`;

export async function openMutation(cipher: Cipher, entry: OutboxEntry): Promise<Mutation> {
  const rest = await cipher.open<Omit<Mutation, 'seq'>>(entry.sealed, mutationAad(entry.mutationId));
  return { ...rest, seq: entry.seq };
}

/** Seals a mutation for the outbox, bound to its id. */
export const sealMutation = (cipher: Cipher, mutation: Omit<Mutation, 'seq'>) =>
  cipher.seal(mutation, mutationAad(mutation.id));

export const openMutations = (cipher: Cipher, entries: readonly OutboxEntry[]) =>
  Promise.all(entries.map((e) => openMutation(cipher, e)));

export type ReviewContent =
  Pick<ConflictEntry, 'mutation' | 'conflict'> | Pick<RejectedEntry, 'mutation' | 'error'>;

const reviewAad = (mutationId: string) => `review:${mutationId}`;

/** Seals what a conflict or a rejection keeps for review: the mutation and the server's answer. */
export const sealReview = (cipher: Cipher, mutationId: string, content: ReviewContent) =>
  cipher.seal(content, reviewAad(mutationId));

async function openReviews<T>(cipher: Cipher, rows: readonly StoredReview[]): Promise<T[]> {
  return Promise.all(
    rows.map(async ({ sealed, mutationId, ...clear }) => ({
      ...clear,
      ...(await cipher.open<Omit<T, keyof typeof clear>>(sealed, reviewAad(mutationId))),
    })),
  ) as Promise<T[]>;
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

function sameBytes(a: Uint8Array | null, b: Uint8Array | null) {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

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

/** An agenda entry and the key of the record it belongs to. */
export interface AgendaEntry {
  entry: string;
  key: string;
}

export type SearchResult = { kind: 'results'; records: LocalRecord[] } | { kind: 'tooShort' };

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

  const openAll = (rows: readonly StoredRecord[]) =>
    Promise.all(rows.filter((r) => !r.deleted).map((r) => openRecord(cipher, r)));

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
    /** Live records of an entity that belong to one beneficiary or case, newest change first. */
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
    async listOf(entity: EntityName, parentId: string): Promise<LocalRecord[]> {
      const rows = await db.records.where('[entity+parentId]').equals([entity, parentId]).toArray();
      return (await openAll(rows)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    },
    /**
     * Records of an entity whose name, ID or phone starts with the words typed, up to `limit`, newest
     * change first within the page. A match is in every word's bucket of the blind index: the smallest
     * bucket is walked in the index's order, a growing slice of keys at a time; a row not in the other
     * buckets (its clear index entries say so) is not even opened, and the rest are opened and checked
     * word by word until the page is full. Reading every key of a large bucket costs more than the few
     * rows a page needs, so no bucket is read whole unless the matches are that rare.
     */
    async search(
      entity: EntityName,
      query: string,
      limit = Infinity,
      filter: BeneficiaryFilter = {},
    ): Promise<SearchResult> {
      const buckets = queryBuckets(query);
      // Words typed but none long enough to look up: say so, even when a filter alone could list.
      if (buckets.length === 0 && queryTokens(query).length > 0) return { kind: 'tooShort' };
      const tags = await Promise.all([...buckets, ...tagsOfFilter(filter)].map((b) => cipher.blind(b)));
      if (tags.length === 0) return { kind: 'tooShort' };
      const sizes = await Promise.all(tags.map((tag) => db.records.where('tokens').equals(tag).count()));
      const [walk = '', ...others] = tags
        .map((tag, i) => ({ tag, size: sizes[i] ?? 0 }))
        .sort((a, b) => a.size - b.size)
        .map((b) => b.tag);
      const prefix = `${entity}:`;
      const records: LocalRecord[] = [];
      const seen = new Set<string>();
      for (let size = SEARCH_FIRST_KEYS; records.length < limit; size *= 4) {
        const read = await db.records.where('tokens').equals(walk).limit(size).primaryKeys();
        const keys = read.filter((key) => !seen.has(key));
        for (const key of keys) seen.add(key);
        const mine = keys.filter((key) => key.startsWith(prefix));
        for (let at = 0; at < mine.length && records.length < limit; at += SEARCH_SLICE) {
          const rows = (await db.records.bulkGet(mine.slice(at, at + SEARCH_SLICE))).filter(
            (r): r is StoredRecord =>
              r !== undefined && !r.deleted && others.every((tag) => r.tokens.includes(tag)),
          );
          const opened = await openAll(rows);
          records.push(...opened.filter((r) => matchesQuery(tokensOf(entity, r.data), query)));
        }
        // Fewer keys than asked for: the whole bucket has been read.
        if (read.length < size) break;
      }
      const page = records.slice(0, limit).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      return { kind: 'results', records: page };
    },
    /** How many agenda entries lie between `lower` and `upper` (both included): the index alone counts. */
    agendaCount: (lower: string, upper: string) =>
      db.records.where('agenda').between(lower, upper, true, true).count(),
    /** Agenda entries between `lower` and `upper` (both included), in order, read from the index alone. */
    async agenda(
      lower: string,
      upper: string,
      options: { limit?: number; reverse?: boolean } = {},
    ): Promise<AgendaEntry[]> {
      let range = db.records.where('agenda').between(lower, upper, true, true);
      if (options.reverse === true) range = range.reverse();
      if (options.limit !== undefined) range = range.limit(options.limit);
      const entries: AgendaEntry[] = [];
      await range.eachKey((entry, cursor) => {
        if (typeof entry === 'string') entries.push({ entry, key: cursor.primaryKey });
      });
      return entries;
    },
    /** The live records of these keys, opened, by key; deleted and missing ones are left out. */
    async openMany(keys: readonly string[]): Promise<Map<string, LocalRecord>> {
      const rows = (await db.records.bulkGet([...new Set(keys)])).filter((r) => r !== undefined);
      return new Map((await openAll(rows)).map((r) => [r.key, r]));
    },
    /**
     * Brings rows sealed by an older build up to this build's index entries (INDEX_VERSION), once per
     * device, after unlock: a slice of rows at a time in key order, so that a large device is never read
     * into memory whole. A row written meanwhile has been sealed afresh and is left alone. Returns the
     * number of rows reindexed.
     */
    async reindex(): Promise<number> {
      if ((await db.meta.get(INDEXED))?.value === INDEX_VERSION) return 0;
      let done = 0;
      for (let after: string | null = null; ;) {
        const range = after === null ? db.records.orderBy('key') : db.records.where('key').above(after);
        const rows: StoredRecord[] = await range.limit(REINDEX_SLICE).toArray();
        const last = rows.at(-1);
        if (last === undefined) break;
        after = last.key;
        const stale = rows.filter((r) => r.indexed !== INDEX_VERSION);
        if (stale.length === 0) continue;
        const fresh = await Promise.all(
          stale.map(async (row) => {
            const { data } = await openRecord(cipher, row);
            return {
              tokens: await blindEntries(cipher, row.entity, data),
              agenda: agendaOf(row.entity, data),
            };
          }),
        );
        await db.transaction('rw', db.records, async () => {
          const current = await db.records.bulkGet(stale.map((r) => r.key));
          const put = current.flatMap((row, i): StoredRecord[] => {
            const was = stale[i];
            const entries = fresh[i];
            if (row === undefined || was === undefined || entries === undefined) return [];
            if (row.indexed === INDEX_VERSION || row.version !== was.version) return [];
            if (!sameBytes(row.sealed?.iv ?? null, was.sealed?.iv ?? null)) return [];
            return [{ ...row, ...entries, indexed: INDEX_VERSION }];
          });
          await db.records.bulkPut(put);
          done += put.length;
        });
      }
      await db.meta.put({ key: INDEXED, value: INDEX_VERSION });
      return done;
    },
    pendingCount: () => db.outbox.count(),
    /** Changes the server kept its own values over, to review. */
    conflicts: async () => openReviews<ConflictEntry>(cipher, await db.conflicts.toArray()),
    /** Changes the server refused, with its reasons, to correct and send again. */
    rejected: async () => openReviews<RejectedEntry>(cipher, await db.rejected.toArray()),
    dismissConflict: (id: number) => db.conflicts.delete(id),
    dismissRejected: (id: number) => db.rejected.delete(id),
  };
}

export type RecordsRepository = ReturnType<typeof createRecordsRepository>;
