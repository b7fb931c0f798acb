// The page's view of sync: status from the worker's broadcasts, and the triggers the page owns (start,
// online, focus, visibility, every local save). Where no worker controls the page, the page syncs itself.
import { createStore } from 'zustand/vanilla';
import { countSyncState, type WaselDb } from '../db/database';
import type { DeviceRepository } from '../db/meta-repository';
import type { Cipher } from '../db/vault';
import type { LockRunner } from '../sync/locks';
import {
  initialSyncStatus,
  SYNC_CHANNEL,
  SYNC_TAG,
  type PageMessage,
  type SyncMessage,
  type SyncStatus,
} from '../sync/status';
import type { createSyncStack } from '../sync/sync-stack';

export interface SyncStatusDeps {
  win: Window;
  /** The unlocked user: their database, and the keys lent to the worker for each sync. */
  userId: string;
  db: WaselDb;
  cipher: Cipher;
  device: Pick<DeviceRepository, 'deviceId'>;
  lock: LockRunner;
  newId: () => string;
  /** Sends pending files; runs in the page (see sync/uploader.ts for why). */
  uploadFiles: () => Promise<void>;
}

interface SyncRegistration extends ServiceWorkerRegistration {
  sync?: { register(tag: string): Promise<void> };
}

/** How long after the last local write the sync starts (see requestSyncSoon). */
export const WRITE_SYNC_DELAY_MS = 1500;

export function createSyncStatus({
  win,
  userId,
  db,
  cipher,
  device,
  lock,
  newId,
  uploadFiles,
}: SyncStatusDeps) {
  const store = createStore<SyncStatus>(() => initialSyncStatus);
  const onMessage = (message: SyncMessage) => {
    store.setState(message.status);
  };
  const channel = 'BroadcastChannel' in win ? new BroadcastChannel(SYNC_CHANNEL) : null;
  const listener = (event: MessageEvent<SyncMessage>) => {
    onMessage(event.data);
  };
  channel?.addEventListener('message', listener);
  // Built only if this page ever has to sync by itself.
  let local: ReturnType<typeof createSyncStack> | null = null;

  /** Reads the counts straight from the database (they change with every local save). */
  async function refreshCounts() {
    try {
      store.setState(await countSyncState(db));
    } catch (error) {
      // Closed under it: the user locked, or the server ended the session. Nothing left to count.
      if (!(error instanceof Error && error.name === 'DatabaseClosedError')) throw error;
    }
  }

  /** Asks for a sync now: the controlling worker does it; without one, this page does. Files go too. */
  async function requestSync() {
    await refreshCounts();
    if (store.getState().files > 0)
      void uploadFiles()
        // Files not sent stay counted in the indicator ("files waiting"), and go at the next sync.
        .catch(() => undefined)
        .then(refreshCounts);
    const sw = 'serviceWorker' in win.navigator ? win.navigator.serviceWorker : undefined;
    const controller = sw?.controller ?? null;
    if (sw !== undefined && controller !== null) {
      const message: PageMessage = { type: 'SYNC_NOW', userId, keys: cipher.keys };
      controller.postMessage(message);
      // Where Background Sync exists, it also retries after the page is gone.
      const registration = (await sw.ready) as SyncRegistration;
      // No Background Sync here (or refused): the page syncs while it is open, as it just did.
      await registration.sync?.register(SYNC_TAG).catch(() => undefined);
      return;
    }
    // Loaded on demand: the engine and the record schemas are too heavy for the first screen.
    local ??= (await import('../sync/sync-stack')).createSyncStack({
      db,
      cipher,
      device,
      lock,
      newId,
      now: () => Date.now(),
      post: onMessage,
    });
    await local.runner.run();
  }

  let soon: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  /** The sync a pause was waiting for, now. */
  function flush() {
    if (soon === undefined) return;
    clearTimeout(soon);
    soon = undefined;
    // A sync that fails is shown by the sync indicator, and the writes stay in the outbox for the next one.
    void controller.requestSync().catch(() => undefined);
  }
  /**
   * After a local write: the counts now, the sync once the user pauses. A request's steps come in bursts
   * (a tap each, a photo, a signature); syncing after each one would send each alone and take the device's
   * time while the user waits for the next step. Saved is saved: the outbox holds it meanwhile, and the
   * sync goes at once when the page is hidden or closed, or the user locks.
   */
  function requestSyncSoon() {
    if (disposed) return;
    void refreshCounts();
    clearTimeout(soon);
    soon = setTimeout(flush, WRITE_SYNC_DELAY_MS);
  }
  // The app sent to the background, the tab closed: what waited for a pause goes now.
  const onHidden = () => {
    if (win.document.visibilityState === 'hidden') flush();
  };
  win.addEventListener('pagehide', flush);
  win.document.addEventListener('visibilitychange', onHidden);

  /**
   * The user locked or signed out: what was written just before still goes (as if the lock had come a
   * moment later), then no more status for this page and no retry with their keys.
   */
  function dispose() {
    flush();
    disposed = true;
    win.removeEventListener('pagehide', flush);
    win.document.removeEventListener('visibilitychange', onHidden);
    channel?.removeEventListener('message', listener);
    channel?.close();
    local?.runner.stop();
  }

  const controller = { store, requestSync, requestSyncSoon, refreshCounts, dispose };
  return controller;
}

export type SyncStatusController = ReturnType<typeof createSyncStatus>;
