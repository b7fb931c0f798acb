// Builds every store of the app from its dependencies; main.tsx passes the real browser ones, tests
// pass their own. The UI receives the result through a context, never through module globals.
import { WaselDb } from '../db/database';
import { createMetaRepository } from '../db/meta-repository';
import { createRecordsRepository } from '../db/records-repository';
import { createApiClient, type ApiClient } from '../sync/api-client';
import { createAppUpdate } from './app-update';
import { createConnectivityStore } from './connectivity';
import { browserLocks } from '../sync/locks';
import { createPreferencesStore } from './preferences';
import { createRouterStore } from './router';
import { createServerInfo } from './server-info';
import { createSessionStore } from './session';
import { createSyncStatus } from './sync-status';

export interface AppStateDeps {
  win: Window;
  db: WaselDb;
  api: ApiClient;
}

export function createAppState({ win, db, api }: AppStateDeps) {
  const newId = () => win.crypto.randomUUID();
  const meta = createMetaRepository(db, newId);
  const locks = browserLocks('locks' in win.navigator ? win.navigator.locks : undefined);
  const sync = createSyncStatus({ win, db, lock: locks, newId });
  const repository = createRecordsRepository(db, { newId, now: () => Date.now() });
  /** Every local write asks for a sync, which simply waits while offline. */
  const thenSync =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await write(...args);
      void sync.requestSync().catch(() => undefined);
      return result;
    };
  return {
    db,
    sync,
    records: { ...repository, save: thenSync(repository.save), remove: thenSync(repository.remove) },
    session: createSessionStore({
      meta,
      api,
      locks,
      now: () => Date.now(),
      deviceName: describeDevice(win.navigator.userAgent),
      persistStorage: () =>
        'storage' in win.navigator ? win.navigator.storage.persist() : Promise.resolve(false),
    }),
    connectivity: createConnectivityStore(win, win.navigator.onLine),
    preferences: createPreferencesStore(win.localStorage),
    router: createRouterStore(win),
    serverInfo: createServerInfo(meta, api),
    update: createAppUpdate({ win, swUrl: '/sw.js', checkEverySeconds: 60 * 60 }),
  };
}

export type AppState = ReturnType<typeof createAppState>;

/** The real browser dependencies. */
export function browserAppState(win: Window): AppState {
  return createAppState({ win, db: new WaselDb(), api: createApiClient() });
}

/** A short, human name for this device, shown to admins in the device list. */
export function describeDevice(userAgent: string): string {
  const os = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : 'Unknown OS';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\/|Chromium\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  return `${browser} on ${os}`;
}
