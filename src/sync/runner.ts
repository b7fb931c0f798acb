// Runs the sync engine when something asks (the worker's `sync` event, a message from a page, a timer),
// one flush at a time, retrying with backoff (honouring Retry-After), and tells every page how it stands
// over a BroadcastChannel.
import { countSyncState, type WaselDb } from '../db/database';
import { ApiError, NetworkError } from './api-client';
import type { FlushReport, SyncEngine } from './engine';
import { initialSyncStatus, type SyncMessage, type SyncPhase, type SyncStatus } from './status';

export interface RunnerDeps {
  db: WaselDb;
  engine: SyncEngine;
  post: (message: SyncMessage) => void;
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

const MAX_BACKOFF_MS = 5 * 60_000;

export function createSyncRunner(deps: RunnerDeps) {
  const { db, engine } = deps;
  let running: Promise<void> | null = null;
  // Set when a run is asked for during a flush; an object, because the flush changes it behind an await.
  const requested = { again: false };
  const askedAgain = () => requested.again;
  let failures = 0;
  let timer: unknown = null;
  let status: SyncStatus = initialSyncStatus;

  async function publish(change: Partial<SyncStatus>) {
    const [counts, last] = await Promise.all([countSyncState(db), db.meta.get('sync.lastSuccessAt')]);
    status = {
      ...status,
      ...change,
      ...counts,
      lastSuccessAt: typeof last?.value === 'string' ? last.value : status.lastSuccessAt,
    };
    deps.post({ type: 'status', status });
  }

  function retryLater(ms: number) {
    if (timer !== null) deps.clearTimer(timer);
    const at = deps.now() + ms;
    timer = deps.setTimer(() => {
      timer = null;
      void run();
    }, ms);
    return at;
  }

  async function once() {
    const total = await db.outbox.count();
    let done = 0;
    await publish({ phase: 'syncing', progress: { done, total }, retryAt: null });
    try {
      await engine.flush({
        onProgress: (delta: FlushReport) => {
          done += delta.pushed;
          void publish({ progress: { done, total: Math.max(total, done) } });
        },
      });
      failures = 0;
      await publish({ phase: 'idle', progress: null, lastError: null, retryAt: null });
    } catch (error) {
      failures += 1;
      const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 8));
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        // The code tells the page why (device_revoked: the page wipes the device).
        await publish({ phase: 'signedOut', progress: null, lastError: error.code });
        return;
      }
      const wait =
        error instanceof ApiError && error.retryAfterSeconds !== undefined
          ? error.retryAfterSeconds * 1000
          : backoff;
      const retryAt = retryLater(wait);
      const phase: SyncPhase = error instanceof NetworkError ? 'offline' : 'error';
      await publish({
        phase,
        progress: null,
        lastError: error instanceof Error ? error.message : String(error),
        retryAt,
      });
    }
  }

  /** Starts a flush, or, if one is running, makes sure another follows it. Resolves when done. */
  function run(): Promise<void> {
    if (running !== null) {
      requested.again = true;
      return running;
    }
    running = (async () => {
      do {
        requested.again = false;
        await once();
      } while (askedAgain());
    })().finally(() => {
      running = null;
    });
    return running;
  }

  /** Cancels a scheduled retry (the keys are being taken away). */
  function stop() {
    if (timer !== null) deps.clearTimer(timer);
    timer = null;
  }

  return { run, stop, status: () => status, publish: () => publish({}) };
}

export type SyncRunner = ReturnType<typeof createSyncRunner>;
