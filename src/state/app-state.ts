// Builds every store of the app from its dependencies; main.tsx passes the real browser ones, tests
// pass their own. The UI receives the result through a context, never through module globals.
import { WaselDb } from '../db/database';
import { createMetaRepository } from '../db/meta-repository';
import type { AttachInput, FilesRepository } from '../db/files-repository';
import { createRecordsRepository } from '../db/records-repository';
import type { AttachmentMimeType } from '../protocol/attachments';
import { createTokenSource } from '../sync/tokens';
import type { Uploader } from '../sync/uploader';
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
  const now = () => Date.now();
  const repository = createRecordsRepository(db, { newId, now });
  // Files, the uploader and tus-js-client load only when a file is attached, sent or fetched.
  let fileStack: Promise<{ files: FilesRepository; uploader: Uploader }> | null = null;
  const loadFiles = () =>
    (fileStack ??= Promise.all([import('../db/files-repository'), import('../sync/uploader')]).then(
      ([{ createFilesRepository }, { createUploader }]) => {
        const files = createFilesRepository(db, repository, now);
        const uploader = createUploader({
          files,
          accessToken: createTokenSource({ meta, api, lock: locks, now }),
          origin: win.location.origin,
          lock: locks,
          onChange: () => void sync.refreshCounts(),
        });
        return { files, uploader };
      },
    ));
  const sync = createSyncStatus({
    win,
    db,
    lock: locks,
    newId,
    uploadFiles: async () => (await loadFiles()).uploader.uploadPending(),
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
    db,
    sync,
    records: { ...repository, save: thenSync(repository.save), remove: thenSync(repository.remove) },
    files: {
      attach: thenSync(async (input: AttachInput) => (await loadFiles()).files.attach(input)),
      /** The file on this device (read directly, so that live queries can watch it). */
      get: (sha256: string) => db.files.get(sha256),
      /** A file from this device, or else from the server (kept for offline use); null if unavailable. */
      fetch: async (sha256: string, mimeType: AttachmentMimeType) =>
        (await loadFiles()).uploader.fetchFile(sha256, mimeType),
    },
    session: createSessionStore({
      meta,
      api,
      locks,
      now,
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
