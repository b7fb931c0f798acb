// Builds every store of the app from its dependencies; main.tsx passes the real browser ones, tests
// pass their own. The UI receives the result through a context, never through module globals.
import { createStore } from 'zustand/vanilla';
import { peekLastUser } from '../db/device-peek';
import { DEVICE_DB_NAME, userDbName } from '../db/names';
import type { ApiClient } from '../sync/api-client';
import { browserLocks } from '../sync/locks';
import { createAppUpdate } from './app-update';
import { createConnectivityStore } from './connectivity';
import { lazyApiClient, lazyDeviceRepository, loadOnce } from './lazy-deps';
import { createPreferencesStore } from './preferences';
import { createRouterStore } from './router';
import { createServerInfo } from './server-info';
import { createSessionStore } from './session';
import type { Workspace } from './workspace';

export type { Workspace };

export interface AppStateDeps {
  win: Window;
  api: ApiClient;
  /** The device's database (DeviceDb's default unless a test gives its own). */
  deviceDbName?: string;
  /** Where each user's database lives (database.ts's userDbName unless a test gives its own). */
  userDbName?: (userId: string) => string;
  /** PBKDF2 work factor for new keys: vault.ts's default unless a test lowers it. */
  kdfIterations?: number;
}

export function createAppState({ win, api, ...options }: AppStateDeps) {
  const newId = () => win.crypto.randomUUID();
  const deviceDbName = options.deviceDbName ?? DEVICE_DB_NAME;
  // The databases' code (Dexie, the validators) is not part of the first screen: it loads at the first use
  // of the device's records. Of those the first screen reads only the last user (the lock screen, else the
  // sign-in form), with IndexedDB alone.
  const databases = () => import('../db/database');
  const deviceCode = loadOnce(async () => {
    const [{ DeviceDb }, { createDeviceRepository }] = await Promise.all([
      databases(),
      import('../db/meta-repository'),
    ]);
    const db = new DeviceDb(deviceDbName);
    return { db, repository: createDeviceRepository(db, newId) };
  });
  const device = lazyDeviceRepository(
    async () => (await deviceCode()).repository,
    () => peekLastUser(win.indexedDB, deviceDbName),
  );
  const locks = browserLocks('locks' in win.navigator ? win.navigator.locks : undefined);
  const now = () => Date.now();
  const dbName = options.userDbName ?? userDbName;

  const session = createSessionStore({
    device,
    api,
    locks,
    now,
    deviceName: describeDevice(win.navigator.userAgent),
    openDb: async (userId) => new (await databases()).WaselDb(dbName(userId)),
    eraseUser: async (userId) => {
      await (await import('dexie')).Dexie.delete(dbName(userId));
    },
    // Loaded when needed: neither is part of the first screen.
    wipeDevice: async () => {
      const { db } = await deviceCode();
      await (
        await import('./wipe')
      ).wipeDevice(win, () => {
        db.close({ disableAutoOpen: false });
      });
    },
    onLock: async () => {
      await (await import('./wipe')).lockWorker(win);
    },
    persistStorage: () =>
      'storage' in win.navigator ? win.navigator.storage.persist() : Promise.resolve(false),
    ...(options.kdfIterations === undefined ? {} : { kdfIterations: options.kdfIterations }),
  });

  // The workspace follows the lock: opened at unlock, gone (with its keys) at lock, sign-out or wipe.
  const workspace = createStore<{ current: Workspace | null }>(() => ({ current: null }));
  // Loaded on demand: the first screen (sign-in or lock) needs none of it.
  const loadWorkspace = () => import('./workspace');
  session.store.subscribe((s, previous) => {
    if (s.unlocked === previous.unlocked) return;
    workspace.getState().current?.sync.dispose();
    workspace.setState({ current: null });
    const unlocked = s.unlocked;
    if (unlocked === null) return;
    void loadWorkspace().then(({ openWorkspace }) => {
      // Still the same unlock (not locked again while loading).
      if (session.store.getState().unlocked !== unlocked) return;
      workspace.setState({
        current: openWorkspace(
          {
            win,
            device,
            locks,
            newId,
            now,
            onRevoked: () => void session.wipe(),
            onSessionEnded: (code) => void session.sessionEnded(code),
            api,
          },
          unlocked,
        ),
      });
    });
  });

  return {
    session,
    workspace,
    /** The device's own records: the users' wrapped keys (a passkey is set up beside the password). */
    device,
    /** For the few calls made directly, online only (a beneficiary's rights requests). */
    api,
    connectivity: createConnectivityStore(win, win.navigator.onLine),
    preferences: createPreferencesStore(win.localStorage),
    router: createRouterStore(win),
    serverInfo: createServerInfo(device, api),
    update: createAppUpdate({ win, swUrl: '/sw.js', checkEverySeconds: 60 * 60 }),
  };
}

export type AppState = ReturnType<typeof createAppState>;

/** The real browser dependencies; the API client's code loads with its first call. */
export function browserAppState(win: Window): AppState {
  return createAppState({
    win,
    api: lazyApiClient(async () => (await import('../sync/api-client')).createApiClient()),
  });
}

/** The first builds kept everything in one plain-text database; it holds nothing a user can need now. */
export async function deleteFirstBuildsDatabase(): Promise<void> {
  await (await import('dexie')).Dexie.delete('wasel');
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
