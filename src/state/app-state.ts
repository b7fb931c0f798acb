// Builds every store of the app from its dependencies; main.tsx passes the real browser ones, tests
// pass their own. The UI receives the result through a context, never through module globals.
import { createStore } from 'zustand/vanilla';
import { Dexie } from 'dexie';
import { DeviceDb, WaselDb, userDbName } from '../db/database';
import { createDeviceRepository } from '../db/meta-repository';
import { createApiClient, type ApiClient } from '../sync/api-client';
import { browserLocks } from '../sync/locks';
import { createAppUpdate } from './app-update';
import { createConnectivityStore } from './connectivity';
import { createPreferencesStore } from './preferences';
import { createRouterStore } from './router';
import { createServerInfo } from './server-info';
import { createSessionStore } from './session';
import type { Workspace } from './workspace';

export type { Workspace };

export interface AppStateDeps {
  win: Window;
  device: DeviceDb;
  api: ApiClient;
  /** Where each user's database lives; tests give each test its own names. */
  userDbName?: (userId: string) => string;
  /** PBKDF2 work factor for new keys: vault.ts's default unless a test lowers it. */
  kdfIterations?: number;
}

export function createAppState({ win, device: deviceDb, api, ...options }: AppStateDeps) {
  const newId = () => win.crypto.randomUUID();
  const device = createDeviceRepository(deviceDb, newId);
  const locks = browserLocks('locks' in win.navigator ? win.navigator.locks : undefined);
  const now = () => Date.now();
  const dbName = options.userDbName ?? userDbName;

  const session = createSessionStore({
    device,
    api,
    locks,
    now,
    deviceName: describeDevice(win.navigator.userAgent),
    openDb: (userId) => new WaselDb(dbName(userId)),
    eraseUser: async (userId) => {
      await Dexie.delete(dbName(userId));
    },
    // Loaded when needed: neither is part of the first screen.
    wipeDevice: async () => {
      await (
        await import('./wipe')
      ).wipeDevice(win, () => {
        deviceDb.close({ disableAutoOpen: false });
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

/** The real browser dependencies. */
export function browserAppState(win: Window): AppState {
  // The first builds kept everything in one plain-text database; it holds nothing a user can need now.
  // Not deleted now (blocked by another tab): tried again at the next start.
  void Dexie.delete('wasel').catch(() => undefined);
  return createAppState({ win, device: new DeviceDb(), api: createApiClient() });
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
