// The client sync engine: pushes the outbox in seq order, applies each result (applied → dropped,
// conflict → conflicts table, rejected → rejected table; nothing is dropped silently), then pulls
// changes page by page, each page in one transaction, re-applying still-pending local changes on top.
// One flush at a time across tabs and the service worker (the lock is passed in: Web Locks in browsers).
import type { EntityTable } from 'dexie';
import { recordKey, type LocalRecord, type WaselDb } from '../db/database';
import type { EntityName } from '../protocol/entities';
import { indexFieldsOf } from '../db/records-repository';
import type { Change, Mutation, PullResponse, PushRequest, PushResponse, PushResult } from '../protocol/sync';
import { ApiError } from './api-client';

export interface SyncTransport {
  push(request: PushRequest): Promise<PushResponse>;
  pull(cursor: string, limit: number): Promise<PullResponse>;
}

export interface SyncEngineDeps {
  db: WaselDb;
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

const CLIENT_ID = 'sync.clientId';
const CURSOR = 'sync.cursor';
const LAST_SYNC = 'sync.lastSuccessAt';

export function createSyncEngine(deps: SyncEngineDeps) {
  const { db, transport } = deps;
  const batchSize = deps.batchSize ?? 200;
  const pageSize = deps.pageSize ?? 5000;

  async function clientId(): Promise<string> {
    return db.transaction('rw', db.meta, async () => {
      const existing = await db.meta.get(CLIENT_ID);
      if (typeof existing?.value === 'string') return existing.value;
      const id = deps.newId();
      await db.meta.put({ key: CLIENT_ID, value: id });
      return id;
    });
  }

  /** The record's data rebuilt from a base with the still-pending patches of this record on top. */
  async function withPending(
    base: Record<string, unknown> | null,
    record: LocalRecord | undefined,
    recordId: string,
  ) {
    const pending = (await db.outbox.where('mutation.recordId').equals(recordId).sortBy('seq')).map(
      (e) => e.mutation,
    );
    return rebuild(base, record === undefined ? pending : pending.filter((m) => m.entity === record.entity));
  }

  /** Adds an entry to review, unless this very mutation has one already (it was sent again after a restore). */
  async function addOnce<T extends { id?: number; entity: EntityName; recordId: string; mutation: Mutation }>(
    table: EntityTable<T, 'id'>,
    entry: T,
  ) {
    const known = await table
      .where('[entity+recordId]')
      .equals([entry.entity, entry.recordId])
      .filter((e) => e.mutation.id === entry.mutation.id)
      .count();
    if (known === 0) await table.add(entry);
  }

  async function applyResult(
    m: Mutation,
    result: PushResult,
    at: string,
  ): Promise<'applied' | 'conflict' | 'rejected'> {
    const key = recordKey(m.entity, m.recordId);
    await db.outbox.delete(m.seq);
    await db.acknowledged.put({ seq: m.seq, mutation: m, at });
    const record = await db.records.get(key);
    const conflict =
      result.status === 'conflict' || result.status === 'duplicate' ? result.conflict : undefined;
    const error = result.status === 'rejected' || result.status === 'duplicate' ? result.error : undefined;

    if (conflict !== undefined) {
      await addOnce(db.conflicts, { entity: m.entity, recordId: m.recordId, mutation: m, conflict, at });
      // The server kept its values: show them, with this device's other pending changes on top.
      const rebuilt = await withPending(conflict.server, record, m.recordId);
      if (record !== undefined) {
        await db.records.put({
          ...record,
          version: Math.max(record.version, conflict.serverVersion),
          ...rebuilt,
          ...indexFieldsOf(m.entity, rebuilt.data),
        });
      }
      return 'conflict';
    }
    if (error !== undefined) {
      // The user's entry stays on the device, marked by the rejected entry, to be corrected and resent.
      await addOnce(db.rejected, { entity: m.entity, recordId: m.recordId, mutation: m, error, at });
      if (record !== undefined) await db.records.put({ ...record, pending: Math.max(0, record.pending - 1) });
      return 'rejected';
    }
    if (record !== undefined) {
      const version = result.status === 'applied' ? Math.max(record.version, result.version) : record.version;
      await db.records.put({ ...record, version, pending: Math.max(0, record.pending - 1) });
    }
    return 'applied';
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
      await db.outbox.bulkAdd(lost.map(({ seq, mutation }) => ({ seq, mutation })));
      await db.acknowledged.bulkDelete(lost.map((e) => e.seq));
      // Each is pending again for its record, until answered.
      for (const { mutation } of lost) {
        const key = recordKey(mutation.entity, mutation.recordId);
        const record = await db.records.get(key);
        if (record !== undefined) await db.records.update(key, { pending: record.pending + 1 });
      }
      return true;
    });
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
      let response: PushResponse;
      try {
        response = await transport.push({ clientId: id, mutations: batch.map((e) => e.mutation) });
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
      const delta = emptyReport();
      await db.transaction(
        'rw',
        [db.outbox, db.acknowledged, db.records, db.conflicts, db.rejected],
        async () => {
          for (const entry of batch) {
            const result = bySeq.get(entry.seq);
            // A mutation the server did not answer stays in the outbox for the next push.
            if (result === undefined) continue;
            const outcome = await applyResult(entry.mutation, result, at);
            delta.pushed += 1;
            delta[outcome === 'applied' ? 'applied' : outcome === 'conflict' ? 'conflicts' : 'rejected'] += 1;
          }
        },
      );
      addTo(report, delta);
      progress(delta);
      if (batch.every((e) => !bySeq.has(e.seq)))
        throw new SequenceError('The server answered none of the pushed mutations.');
    }
  }

  /** Applies one page of changes: read in bulk, rebuild in memory, write in bulk. */
  async function applyPage(changes: readonly Change[]) {
    const keys = changes.map((c) => recordKey(c.entity, c.recordId));
    const existing = await db.records.bulkGet(keys);
    // Pending mutations by record: the outbox is small next to a page, so one read serves the page.
    const pendingByRecord = new Map<string, Mutation[]>();
    for (const entry of await db.outbox.orderBy('seq').toArray()) {
      const k = recordKey(entry.mutation.entity, entry.mutation.recordId);
      pendingByRecord.set(k, [...(pendingByRecord.get(k) ?? []), entry.mutation]);
    }
    const now = new Date(deps.now()).toISOString();
    const rows: LocalRecord[] = changes.map((change, i) => {
      const key = keys[i] ?? recordKey(change.entity, change.recordId);
      const rebuilt = rebuild(change.deleted ? null : change.data, pendingByRecord.get(key) ?? []);
      return {
        key,
        entity: change.entity,
        recordId: change.recordId,
        version: change.version,
        ...rebuilt,
        updatedAt: existing[i]?.updatedAt ?? now,
        ...indexFieldsOf(change.entity, rebuilt.data),
      };
    });
    await db.records.bulkPut(rows);
  }

  async function pullAll(report: FlushReport, progress: (delta: FlushReport) => void) {
    const cursorRecord = await db.meta.get(CURSOR);
    const fetchPage = (cursor: string) => {
      const request = transport.pull(cursor, pageSize);
      // Awaited below; until then a failure must not count as unhandled.
      request.catch(() => undefined);
      return request;
    };
    let next = fetchPage(typeof cursorRecord?.value === 'string' ? cursorRecord.value : '');
    for (;;) {
      let page: PullResponse;
      try {
        page = await next;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'resync_required') {
          // The server was restored from an older state: start over from the beginning.
          await db.meta.delete(CURSOR);
          next = fetchPage('');
          continue;
        }
        throw error;
      }
      // The next page is asked for while this one is written, so the server's time hides behind the
      // device's. Should this write fail, the page fetched ahead is simply never used.
      if (page.hasMore) next = fetchPage(page.cursor);
      // This transaction is crucial: the page and its cursor are saved together or not at all.
      await db.transaction('rw', db.records, db.outbox, db.meta, async () => {
        await applyPage(page.changes);
        await db.meta.put({ key: CURSOR, value: page.cursor });
      });
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
