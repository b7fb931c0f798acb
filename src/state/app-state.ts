// Builds every store of the app from its dependencies; main.tsx passes the real browser ones, tests
// pass their own. The UI receives the result through a context, never through module globals.
import { createStore } from 'zustand/vanilla';
import { Dexie } from 'dexie';
import { DeviceDb, WaselDb, userDbName, type FileEntry } from '../db/database';
import type { AttachInput, FilesRepository, OpenedFile } from '../db/files-repository';
import { createDeviceRepository } from '../db/meta-repository';
import { createRecordsRepository, type RecordsRepository } from '../db/records-repository';
import type { AttachmentMimeType } from '../protocol/attachments';
import { ErrorCode } from '../protocol/errors';
import { createApiClient, type ApiClient } from '../sync/api-client';
import { browserLocks } from '../sync/locks';
import { createTokenSource } from '../sync/tokens';
import type { Uploader } from '../sync/uploader';
import { createAppUpdate } from './app-update';
import { createConnectivityStore } from './connectivity';
import { createPreferencesStore } from './preferences';
import { createRouterStore } from './router';
import { createServerInfo } from './server-info';
import { createSessionStore, type Unlocked } from './session';
import { createSyncStatus, type SyncStatusController } from './sync-status';
import { lockWorker, wipeDevice } from './wipe';

export interface AppStateDeps {
  win: Window;
  device: DeviceDb;
  api: ApiClient;
  /** Where each user's database lives; tests give each test its own names. */
  userDbName?: (userId: string) => string;
  /** PBKDF2 work factor for new keys: vault.ts's default unless a test lowers it. */
  kdfIterations?: number;
}

/** What the signed-in part of the app works on: the unlocked user's data, and its sync. */
export interface Workspace {
  userId: string;
  db: WaselDb;
  sync: SyncStatusController;
  records: RecordsRepository;
  files: {
    attach: (input: AttachInput) => Promise<{ sha256: string; recordId: string; newFile: boolean }>;
    /** The file's entry on this device (read directly, so that live queries can watch it). */
    get: (sha256: string) => Promise<FileEntry | undefined>;
    /** The file and its bytes, opened. */
    read: (sha256: string) => Promise<OpenedFile | undefined>;
    /** A file from this device, or else from the server (kept for offline use); null if unavailable. */
    fetch: (sha256: string, mimeType: AttachmentMimeType) => Promise<FileEntry | null>;
  };
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
    wipeDevice: () =>
      wipeDevice(win, () => {
        deviceDb.close({ disableAutoOpen: false });
      }),
    onLock: () => lockWorker(win),
    persistStorage: () =>
      'storage' in win.navigator ? win.navigator.storage.persist() : Promise.resolve(false),
    ...(options.kdfIterations === undefined ? {} : { kdfIterations: options.kdfIterations }),
  });

  function openWorkspace({ userId, db, cipher, sessions }: Unlocked): Workspace {
    const repository = createRecordsRepository(db, cipher, { newId, now });
    // Files, the uploader and tus-js-client load only when a file is attached, sent or fetched.
    let fileStack: Promise<{ files: FilesRepository; uploader: Uploader }> | null = null;
    const loadFiles = () =>
      (fileStack ??= Promise.all([import('../db/files-repository'), import('../sync/uploader')]).then(
        ([{ createFilesRepository }, { createUploader }]) => {
          const files = createFilesRepository(db, cipher, repository, now);
          const uploader = createUploader({
            files,
            accessToken: createTokenSource({ meta: sessions, api, lock: locks, now }),
            origin: win.location.origin,
            lock: locks,
            onChange: () => void sync.refreshCounts(),
          });
          return { files, uploader };
        },
      ));
    const sync = createSyncStatus({
      win,
      userId,
      db,
      cipher,
      device,
      lock: locks,
      newId,
      uploadFiles: async () => (await loadFiles()).uploader.uploadPending(),
    });
    // The server said this device is revoked: erase everything on it.
    sync.store.subscribe((s) => {
      if (s.lastError === ErrorCode.deviceRevoked) void session.wipe();
    });
    /** Every local write asks for a sync, which simply waits while offline. */
    const thenSync =
      <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        const result = await write(...args);
        void sync.requestSync().catch(() => undefined);
        return result;
      };
    return {
      userId,
      db,
      sync,
      records: { ...repository, save: thenSync(repository.save), remove: thenSync(repository.remove) },
      files: {
        attach: thenSync(async (input: AttachInput) => (await loadFiles()).files.attach(input)),
        get: (sha256) => db.files.get(sha256),
        read: async (sha256) => (await loadFiles()).files.read(sha256),
        fetch: async (sha256, mimeType) => (await loadFiles()).uploader.fetchFile(sha256, mimeType),
      },
    };
  }

  // The workspace follows the lock: opened at unlock, gone (with its keys) at lock, sign-out or wipe.
  const workspace = createStore<{ current: Workspace | null }>(() => ({ current: null }));
  session.store.subscribe((s, previous) => {
    if (s.unlocked === previous.unlocked) return;
    workspace.getState().current?.sync.dispose();
    workspace.setState({ current: s.unlocked === null ? null : openWorkspace(s.unlocked) });
  });

  return {
    session,
    workspace,
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
