// Erasing what Wasel keeps on a device: one user's database (too many wrong passwords), or everything —
// every database, every cache, the service worker and local storage — when the association revoked the
// device (a lost or stolen tablet).
import { Dexie } from 'dexie';
import type { PageMessage } from '../sync/status';

/** Asks the service worker to drop the keys it was lent and close its databases; waits for its answer. */
export async function lockWorker(win: Window): Promise<void> {
  const controller = 'serviceWorker' in win.navigator ? win.navigator.serviceWorker.controller : null;
  if (controller === null) return;
  const channel = new MessageChannel();
  const answered = new Promise<void>((resolve) => {
    channel.port1.onmessage = () => {
      resolve();
    };
    // A worker that does not answer (being replaced, stopped) holds nothing to wait for.
    win.setTimeout(resolve, 1000);
  });
  const message: PageMessage = { type: 'LOCK' };
  controller.postMessage(message, [channel.port2]);
  await answered;
}

export async function wipeDevice(win: Window, closeDevice: () => void): Promise<void> {
  await lockWorker(win);
  closeDevice();
  const names = (await Dexie.getDatabaseNames()).filter((name) => name.startsWith('wasel'));
  await Promise.all(names.map((name) => Dexie.delete(name)));
  if ('caches' in win) for (const key of await win.caches.keys()) await win.caches.delete(key);
  win.localStorage.clear();
  if ('serviceWorker' in win.navigator) {
    for (const registration of await win.navigator.serviceWorker.getRegistrations())
      await registration.unregister();
  }
}
