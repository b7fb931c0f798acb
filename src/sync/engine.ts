// The client sync engine: pushes the outbox in seq order, applies each result (applied → dropped,
// conflict → conflicts table, rejected → rejected table; nothing is dropped silently), then pulls
// changes page by page, each page in one transaction, re-applying still-pending local changes on top.
// One flush at a time across tabs and the service worker (the lock is passed in: Web Locks in browsers).
import type { EntityTable } from 'dexie';
import {
  recordKey,
  type AcknowledgedEntry,
  type ConflictResult,
  type OutboxEntry,
  type StoredRecord,
  type StoredReview,
  type WaselDb,
} from '../db/database';
import { sealReview, type ReviewContent } from '../db/reviews';
import { openMutations, openRecord, sealRecord } from '../db/sealing';
import type { Cipher } from '../db/vault';
import type { Change, Mutation, PullResponse, PushRequest, PushResponse, PushResult } from '../protocol/sync';
import { ApiError } from './api-client';
import { commitPurge, preparePurge } from './purge';

export interface SyncTransport {
  push(request: PushRequest): Promise<PushResponse>;
  pull(cursor: string, limit: number): Promise<PullResponse>;
}

export interface SyncEngineDeps {
  db: WaselDb;
  /** The signed-in user's keys: the engine opens the outbox and seals what it pulls. */
  cipher: Cipher;
  transport: SyncTransport;
  /** Runs `fn` holding the named lock (Web Locks in the browser, an in-process queue elsewhere). */
  lock: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
  newId: () => string;
  now: () => number;
  batchSize?: number;
  pageSize?: number;
  /** Told after each committed batch or page, so progress survives a flush that fails half-way. */
  onProgress?: (delta: FlushReport) => void;
}

export interface FlushReport {
  pushed: number;
  applied: number;
  conflicts: number;
  rejected: number;
  pulled: number;
}

/** The server and this device disagree on the mutation sequence in a way a retry cannot fix. */
export class SequenceError extends Error {
  override readonly name = 'SequenceError';
}

const emptyReport = (): FlushReport => ({ pushed: 0, applied: 0, conflicts: 0, rejected: 0, pulled: 0 });

function addTo(total: FlushReport, delta: FlushReport) {
  for (const key of Object.keys(total) as (keyof FlushReport)[]) total[key] += delta[key];
}

/** A base record with pending mutations (in seq order) applied on top. */
export function rebuild(base: Record<string, unknown> | null, pending: readonly Mutation[]) {
  let data = base;
  let deleted = base === null;
  for (const m of pending) {
    if (m.op === 'delete') {
      data = null;
      deleted = true;
    } else {
      data = { ...(data ?? {}), ...m.patch };
      deleted = false;
    }
  }
  return { data, deleted, pending: pending.length };
}

/** How long answered mutations are kept to be resent after a server restore. */
export const ACKNOWLEDGED_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

function expectedSeqOf(error: ApiError): number | null {
  const details = error.details as { expectedSeq?: unknown } | undefined;
  return typeof details?.expectedSeq === 'number' ? details.expectedSeq : null;
}

/** A resync because the server's data was restored from a backup (not because the user's scope changed). */
function restoredServer(error: ApiError): boolean {
  const details = error.details as { reason?: unknown } | undefined;
  return details?.reason === 'restored';
}

const CLIENT_ID = 'sync.clientId';
const CURSOR = 'sync.cursor';
const LAST_SYNC = 'sync.lastSuccessAt';

export function createSyncEngine(deps: SyncEngineDeps) {
  const { db, transport } = deps;
  const batchSize = deps.batchSize ?? 200;
  const pageSize = deps.pageSize ?? 5000;
  const firstPageSize = Math.min(pageSize, 500);

  async function clientId(): Promise<string> {
    return db.transaction('rw', db.meta, async () => {
      const existing = await db.meta.get(CLIENT_ID);
      if (typeof existing?.value === 'string') return existing.value;
      const id = deps.newId();
      await db.meta.put({ key: CLIENT_ID, value: id });
      return id;
    });
  }

  /** Adds an entry to review, unless this very mutation has one already (it was sent again after a restore). */
  async function addOnce(table: EntityTable<StoredReview, 'id'>, entry: StoredReview) {
    const known = await table
      .where('[entity+recordId]')
      .equals([entry.entity, entry.recordId])
      .filter((e) => e.mutationId === entry.mutationId)
      .count();
    if (known === 0) await table.add(entry);
  }

  const sameSeqs = (a: readonly number[], b: readonly number[]) =>
    a.length === b.length && a.every((seq, i) => seq === b[i]);

  /** The seqs still in the outbox for one record, in order. */
  const pendingSeqsOf = async (entity: string, recordId: string) =>
    (await db.outbox.where('recordId').equals(recordId).sortBy('seq'))
      .filter((e) => e.entity === entity)
      .map((e) => e.seq);

  interface Answer {
    entry: OutboxEntry;
    mutation: Mutation;
    result: PushResult;
  }

  /**
   * What the answers to one batch change on the device, sealed before the transaction that writes it:
   * entries to review, and for a conflict the record rebuilt from the server's values with this device's
   * later changes on top.
   */
  async function prepareAnswers(answers: readonly Answer[], at: string) {
    const reviews = new Map<number, { table: 'conflicts' | 'rejected'; review: StoredReview }>();
    const refused = new Set<number>();
    const rebuilt = new Map<string, { record: StoredRecord; seqs: number[]; serverVersion: number }>();
    // Answers that carry the server's record: a conflict, or a refused step (the device had shown it taken).
    const conflicts: {
      entry: OutboxEntry;
      conflict: { server: ConflictResult['server'] | null; serverVersion: number };
    }[] = [];
    for (const { entry, mutation, result } of answers) {
      const conflict =
        result.status === 'conflict' || result.status === 'duplicate' ? result.conflict : undefined;
      const error = result.status === 'rejected' || result.status === 'duplicate' ? result.error : undefined;
      const content: ReviewContent | null =
        conflict !== undefined ? { mutation, conflict } : error !== undefined ? { mutation, error } : null;
      if (content === null) continue;
      refused.add(entry.seq);
      if (conflict !== undefined) conflicts.push({ entry, conflict });
      else if (
        (result.status === 'rejected' || result.status === 'duplicate') &&
        result.current !== undefined
      )
        conflicts.push({
          entry,
          conflict: { server: result.current.data, serverVersion: result.current.version },
        });
      reviews.set(entry.seq, {
        table: conflict !== undefined ? 'conflicts' : 'rejected',
        review: {
          entity: entry.entity,
          recordId: entry.recordId,
          mutationId: entry.mutationId,
          at,
          sealed: await sealReview(deps.cipher, entry.mutationId, content),
        },
      });
    }
    // Conflicts in order: the last one of a record decides what it shows. They need every refusal of the
    // batch known, hence a second pass.
    for (const { entry, conflict } of conflicts) {
      const key = recordKey(entry.entity, entry.recordId);
      const stored = await db.records.get(key);
      if (stored === undefined) continue;
      // The server kept its values: show them, with this device's later changes that it took on top.
      const seqs = await pendingSeqsOf(entry.entity, entry.recordId);
      const later = (
        await db.outbox.bulkGet(seqs.filter((seq) => seq > entry.seq && !refused.has(seq)))
      ).filter((e) => e !== undefined);
      const data = rebuild(conflict.server, await openMutations(deps.cipher, later));
      const current = await openRecord(deps.cipher, stored);
      rebuilt.set(key, {
        record: await sealRecord(deps.cipher, { ...current, ...data }),
        seqs,
        serverVersion: conflict.serverVersion,
      });
    }
    return { reviews, rebuilt };
  }
  /** Applies the answers of one batch; false, with nothing written, if a record moved meanwhile. */
  async function applyAnswers(
    answers: readonly Answer[],
    prepared: Awaited<ReturnType<typeof prepareAnswers>>,
    at: string,
    delta: FlushReport,
  ): Promise<boolean> {
    return db.transaction(
      'rw',
      [db.outbox, db.acknowledged, db.records, db.conflicts, db.rejected],
      async () => {
        // A save since the answers were prepared changes what a conflicted record shows: prepare again.
        for (const { record, seqs } of prepared.rebuilt.values()) {
          if (!sameSeqs(await pendingSeqsOf(record.entity, record.recordId), seqs)) return false;
        }
        const touched = new Map<string, StoredRecord>();
        for (const { entry, result } of answers) {
          const key = recordKey(entry.entity, entry.recordId);
          await db.outbox.delete(entry.seq);
          await db.acknowledged.put({ ...entry, at });
          const review = prepared.reviews.get(entry.seq);
          if (review !== undefined) await addOnce(db[review.table], review.review);
          const record = touched.get(key) ?? (await db.records.get(key));
          if (record !== undefined) {
            const version =
              result.status === 'applied' ? Math.max(record.version, result.version) : record.version;
            touched.set(key, { ...record, version, pending: Math.max(0, record.pending - 1) });
          }
          delta.pushed += 1;
          const outcome = review === undefined ? 'applied' : review.table;
          delta[outcome] += 1;
        }
        for (const [key, record] of touched) {
          const rebuilt = prepared.rebuilt.get(key);
          await db.records.put(
            rebuilt === undefined
              ? record
              : {
                  ...rebuilt.record,
                  version: Math.max(record.version, rebuilt.serverVersion),
                  pending: record.pending,
                  updatedAt: record.updatedAt,
                },
          );
        }
        return true;
      },
    );
  }

  /**
   * The server asks for `expected` while the outbox starts at `first`: it lost answered mutations (it was
   * restored from an older backup). If this device still has every one of them, they go back into the
   * outbox, in their order, to be sent again; returns whether it could.
   */
  async function resend(expected: number | null, first: number): Promise<boolean> {
    if (expected === null || expected >= first) return false;
    return db.transaction('rw', db.acknowledged, db.outbox, db.records, async () => {
      const lost = await db.acknowledged.where('seq').between(expected, first, true, false).toArray();
      if (lost.length !== first - expected) return false;
      await sendAgain(lost);
      return true;
    });
  }

  /**
   * The last answered mutation goes back to the outbox, when the outbox is empty: sent again, it is a
   * duplicate to a server that has it, and to one restored from an older backup the question that makes it
   * ask for what it lost (seq_gap). Returns whether there was one.
   */
  async function sendLastAgain(): Promise<boolean> {
    const last = await db.transaction('rw', db.acknowledged, db.outbox, db.records, async () => {
      const entry = await db.acknowledged.orderBy('seq').last();
      if (entry === undefined || (await db.outbox.count()) > 0) return undefined;
      await sendAgain([entry]);
      return entry;
    });
    if (last !== undefined) probes.add(last.seq);
    return last !== undefined;
  }

  /** The seqs sent again by sendLastAgain, as a question, until answered. */
  const probes = new Set<number>();

  /** Moves answered mutations back to the outbox (inside the caller's transaction). */
  async function sendAgain(entries: readonly AcknowledgedEntry[]) {
    await db.outbox.bulkAdd(
      entries.map(({ seq, mutationId, entity, recordId, sealed }) => ({
        seq,
        mutationId,
        entity,
        recordId,
        sealed,
      })),
    );
    await db.acknowledged.bulkDelete(entries.map((e) => e.seq));
    // Each is pending again for its record, until answered.
    for (const entry of entries) {
      const key = recordKey(entry.entity, entry.recordId);
      const record = await db.records.get(key);
      if (record !== undefined) await db.records.put({ ...record, pending: record.pending + 1 });
    }
  }

  /** Answered mutations older than the retention are forgotten. */
  async function pruneAcknowledged() {
    const before = new Date(deps.now() - ACKNOWLEDGED_RETENTION_MS).toISOString();
    await db.acknowledged.where('at').below(before).delete();
  }

  async function pushAll(report: FlushReport, progress: (delta: FlushReport) => void) {
    const id = await clientId();
    for (;;) {
      const batch = await db.outbox.orderBy('seq').limit(batchSize).toArray();
      if (batch.length === 0) return;
      const mutations = await openMutations(deps.cipher, batch);
      // A step travels without the fields the device expected of it: the server derives its own.
      const sent = mutations.map((m) => (m.op === 'event' ? { ...m, patch: {} } : m));
      let response: PushResponse;
      try {
        response = await transport.push({ clientId: id, mutations: sent });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'seq_gap') {
          if (await resend(expectedSeqOf(error), batch[0]?.seq ?? 0)) continue;
          throw new SequenceError(
            `The server expects another seq than ${batch[0]?.seq ?? '?'}: ${error.message}`,
          );
        }
        throw error;
      }
      const bySeq = new Map(response.results.map((r) => [r.seq, r]));
      const at = new Date(deps.now()).toISOString();
      // A mutation the server did not answer stays in the outbox for the next push.
      const answers: Answer[] = [];
      batch.forEach((entry, i) => {
        const result = bySeq.get(entry.seq);
        const mutation = mutations[i];
        if (result === undefined || mutation === undefined) return;
        // A question (sendLastAgain) answered "I have it": only that. Its conflict or refusal was reviewed
        // the first time; shown again, it would bring back what the user had dismissed.
        const asked = probes.delete(entry.seq) && result.status === 'duplicate';
        answers.push({ entry, mutation, result: asked ? { seq: result.seq, status: 'duplicate' } : result });
      });
      let delta = emptyReport();
      for (;;) {
        const prepared = await prepareAnswers(answers, at);
        delta = emptyReport();
        if (await applyAnswers(answers, prepared, at, delta)) break;
      }
      addTo(report, delta);
      progress(delta);
      if (answers.length === 0) throw new SequenceError('The server answered none of the pushed mutations.');
    }
  }

  /** This device's unsent mutations, opened, by record: what a pulled page is rebuilt with. */
  interface Pending {
    /** The outbox's seqs when it was read: checked again when a page rebuilt with it is written. */
    seqs: number[];
    byRecord: Map<string, Mutation[]>;
  }

  /** `opened` keeps the outbox's mutations opened across the pages of one pull, so each is decrypted once. */
  async function readPending(opened: Map<number, Mutation>): Promise<Pending> {
    const outbox = await db.outbox.orderBy('seq').toArray();
    const unopened = outbox.filter((e) => !opened.has(e.seq));
    for (const mutation of await openMutations(deps.cipher, unopened)) opened.set(mutation.seq, mutation);
    // Pending mutations by record: the outbox is small next to a page, so one read serves the page.
    const byRecord = new Map<string, Mutation[]>();
    for (const { seq } of outbox) {
      const mutation = opened.get(seq);
      if (mutation === undefined) continue;
      const k = recordKey(mutation.entity, mutation.recordId);
      byRecord.set(k, [...(byRecord.get(k) ?? []), mutation]);
    }
    return { seqs: outbox.map((e) => e.seq), byRecord };
  }

  /** One page of changes sealed for storage, rebuilt with `pending` on top, outside the transaction. */
  async function preparePage(changes: readonly Change[], pending: Pending) {
    const purged = new Set(
      changes.filter((c) => c.purged === true).map((c) => recordKey(c.entity, c.recordId)),
    );
    const rows = await Promise.all(
      changes.map((change) => {
        const key = recordKey(change.entity, change.recordId);
        // A destroyed record stays destroyed: this device's unsent changes to it are void (purge.ts).
        const rebuilt = purged.has(key)
          ? rebuild(null, [])
          : rebuild(change.deleted ? null : change.data, pending.byRecord.get(key) ?? []);
        return sealRecord(deps.cipher, {
          key,
          entity: change.entity,
          recordId: change.recordId,
          version: change.version,
          ...rebuilt,
          updatedAt: '',
          parentId: '',
        });
      }),
    );
    const purge = purged.size === 0 ? null : await preparePurge(db, deps.cipher, purged, deps.now);
    return { rows, pending, purge };
  }

  async function pullAll(report: FlushReport, progress: (delta: FlushReport) => void) {
    const cursorRecord = await db.meta.get(CURSOR);
    // The first page is small, and each one after it up to five times the one before: the device starts
    // storing a page while the server reads the next, bigger one, instead of waiting for a full page first.
    let limit = firstPageSize;
    const fetchPage = (cursor: string, first = false) => {
      limit = first ? firstPageSize : Math.min(pageSize, limit * 5);
      const request = transport.pull(cursor, limit);
      // Awaited below; until then a failure must not count as unhandled.
      request.catch(() => undefined);
      return request;
    };
    let next = fetchPage(typeof cursorRecord?.value === 'string' ? cursorRecord.value : '', true);
    const opened = new Map<number, Mutation>();
    // A device with no records yet (its first sign-in) keeps no list order to carry over: until something
    // else is saved on it, every row it holds came from this pull, and is not read back before it is written.
    let fresh = await db.transaction('r', [db.records, db.outbox], async () =>
      (await db.records.count()) === 0 ? db.outbox.orderBy('seq').primaryKeys() : null,
    );
    const prepareAfresh = async (changes: readonly Change[]) =>
      preparePage(changes, await readPending(opened));
    /** The next page, sealed while the one before it was written; undefined if it could not be. */
    let ahead: Promise<Awaited<ReturnType<typeof preparePage>> | undefined> | undefined;
    for (;;) {
      let page: PullResponse;
      try {
        page = await next;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'resync_required') {
          // The server was restored from an older state (or this user's scope changed): start over from the
          // beginning. A restored server may also have lost what this device sent; with nothing waiting to
          // be sent, it would never hear of it: the last answered mutation is sent again first.
          await db.meta.delete(CURSOR);
          if (restoredServer(error) && (await sendLastAgain())) await pushAll(report, progress);
          next = fetchPage('', true);
          ahead = undefined;
          // What was sent again has left the outbox: its seqs no longer tell that nothing was saved.
          fresh = null;
          continue;
        }
        throw error;
      }
      // The next page is asked for while this one is written, so the server's time hides behind the
      // device's. Should this write fail, the page fetched ahead is simply never used.
      if (page.hasMore) next = fetchPage(page.cursor);
      let prepared = (await ahead) ?? (await prepareAfresh(page.changes));
      ahead = undefined;
      for (;;) {
        const { rows, pending, purge } = prepared;
        // The next page is sealed while this one is written, rebuilt with the same outbox: its write checks
        // that the outbox is still that one. A purge reads and changes more than the outbox: a page that
        // purges, or follows one that does, is prepared after the write before it.
        const following =
          page.hasMore && purge === null
            ? next
                .then((p) =>
                  p.changes.some((c) => c.purged === true) ? undefined : preparePage(p.changes, pending),
                )
                // Not lost: a failed fetch is thrown where the page is awaited, a failed seal met again when
                // the page is prepared afresh.
                .catch(() => undefined)
            : undefined;
        const now = new Date(deps.now()).toISOString();
        const tables =
          purge === null
            ? [db.records, db.outbox, db.meta]
            : [db.records, db.outbox, db.meta, db.acknowledged, db.conflicts, db.rejected, db.files];
        // This transaction is crucial: the page and its cursor are saved together or not at all.
        const written = await db.transaction('rw', tables, async () => {
          // A local save since the page was prepared is not in it: prepare the page again.
          if (!sameSeqs(await db.outbox.orderBy('seq').primaryKeys(), pending.seqs)) return false;
          const existing =
            fresh !== null && sameSeqs(pending.seqs, fresh)
              ? []
              : await db.records.bulkGet(rows.map((r) => r.key));
          await db.records.bulkPut(
            rows.map((row, i) => ({ ...row, updatedAt: existing[i]?.updatedAt ?? now })),
          );
          if (purge !== null) await commitPurge(db, purge);
          await db.meta.put({ key: CURSOR, value: page.cursor });
          return true;
        });
        // The emptied mutations were opened with their old content: forget it.
        if (written && purge !== null) for (const e of purge.outbox) opened.delete(e.seq);
        if (written) {
          ahead = following;
          break;
        }
        prepared = await prepareAfresh(page.changes);
      }
      report.pulled += page.changes.length;
      progress({ ...emptyReport(), pulled: page.changes.length });
      if (!page.hasMore) return;
    }
  }

  return {
    clientId,

    /** Pushes everything pending, then pulls everything new. Throws on network and server errors. */
    flush(options: { onProgress?: (delta: FlushReport) => void } = {}): Promise<FlushReport> {
      return deps.lock('wasel-sync', async () => {
        const report = emptyReport();
        const listeners = [deps.onProgress, options.onProgress].filter((f) => f !== undefined);
        const progress = (delta: FlushReport) => {
          for (const listener of listeners) listener(delta);
        };
        await pushAll(report, progress);
        await pruneAcknowledged();
        await pullAll(report, progress);
        await db.meta.put({ key: LAST_SYNC, value: new Date(deps.now()).toISOString() });
        return report;
      });
    },
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
