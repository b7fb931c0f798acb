// Sync triggers in the worker: Background Sync's `sync` event where the browser has it, and messages from
// pages (start, online, focus, a save, a timer) everywhere else — Safari and Firefox have no Background Sync.
import { WaselDb } from '../src/db/database';
import { browserLocks } from '../src/sync/locks';
import { SYNC_CHANNEL, SYNC_TAG, isSyncNow, type SyncMessage } from '../src/sync/status';
import { createSyncStack } from '../src/sync/sync-stack';

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

export function installSync(scope: ServiceWorkerGlobalScope) {
  const channel = new BroadcastChannel(SYNC_CHANNEL);
  const { runner } = createSyncStack({
    db: new WaselDb(),
    lock: browserLocks('locks' in scope.navigator ? scope.navigator.locks : undefined),
    newId: () => scope.crypto.randomUUID(),
    now: () => Date.now(),
    post: (message: SyncMessage) => {
      channel.postMessage(message);
    },
  });

  scope.addEventListener('sync', (event) => {
    const e = event as SyncEvent;
    if (e.tag === SYNC_TAG) e.waitUntil(runner.run());
  });
  scope.addEventListener('message', (event) => {
    if (isSyncNow(event.data)) event.waitUntil(runner.run());
  });
}
