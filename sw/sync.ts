// Sync in the worker: a page that is unlocked asks for a sync (start, online, focus, a save, a timer)
// and lends the worker the user's keys for it. Background Sync's `sync` event runs what the worker still
// holds keys for; after the browser stops the worker, or once the page locks, it holds none, and the
// outbox waits, sealed, for the next unlock — a locked or stolen device cannot reach the server.
import { DeviceDb, WaselDb, userDbName } from '../src/db/database';
import { createDeviceRepository } from '../src/db/meta-repository';
import { createCipher } from '../src/db/vault';
import { browserLocks } from '../src/sync/locks';
import { SYNC_CHANNEL, SYNC_TAG, isLock, isSyncNow, type SyncMessage } from '../src/sync/status';
import { createSyncStack } from '../src/sync/sync-stack';

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

export function installSync(scope: ServiceWorkerGlobalScope) {
  const channel = new BroadcastChannel(SYNC_CHANNEL);
  const newId = () => scope.crypto.randomUUID();
  const device = createDeviceRepository(new DeviceDb(), newId);
  const lock = browserLocks('locks' in scope.navigator ? scope.navigator.locks : undefined);
  // One stack per unlocked user; dropped, with its keys and database connection, on LOCK.
  const stacks = new Map<string, { db: WaselDb; stack: ReturnType<typeof createSyncStack> }>();

  function stackFor(userId: string, keys: { data: CryptoKey; index: CryptoKey }) {
    let entry = stacks.get(userId);
    if (entry === undefined) {
      const db = new WaselDb(userDbName(userId));
      const stack = createSyncStack({
        db,
        cipher: createCipher(keys),
        device,
        lock,
        newId,
        now: () => Date.now(),
        post: (message: SyncMessage) => {
          channel.postMessage(message);
        },
      });
      entry = { db, stack };
      stacks.set(userId, entry);
    }
    return entry.stack;
  }

  scope.addEventListener('sync', (event) => {
    const e = event as SyncEvent;
    if (e.tag === SYNC_TAG)
      e.waitUntil(Promise.all([...stacks.values()].map(({ stack }) => stack.runner.run())));
  });
  scope.addEventListener('message', (event) => {
    if (isSyncNow(event.data)) event.waitUntil(stackFor(event.data.userId, event.data.keys).runner.run());
    else if (isLock(event.data)) {
      for (const { db, stack } of stacks.values()) {
        stack.runner.stop();
        db.close();
      }
      stacks.clear();
      event.ports[0]?.postMessage('locked');
    }
  });
}
