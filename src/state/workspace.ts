// What the signed-in part of the app works on: the unlocked user's records, files and sync. Built at each
// unlock, in its own chunk (the sign-in and lock screens need none of it), and dropped at lock.
import { entityErrors } from '../protocol/validate';
import type { PolicyProfile } from '../domain/profiles/profile';
import { reportError, reportFailure } from './error-report';
import { createBallots, type Ballots } from './ballots';
import type { FileEntry, WaselDb } from '../db/database';
import type { AttachInput, FilesRepository, OpenedFile, StagedFile } from '../db/files-repository';
import type { DeviceRepository } from '../db/meta-repository';
import { createRecordsRepository, type RecordsRepository } from '../db/records-repository';
import type { AttachmentMimeType } from '../protocol/attachments';
import { ErrorCode } from '../protocol/errors';
import type { LockRunner } from '../sync/locks';
import type { Uploader } from '../sync/uploader';
import type { Unlocked } from './session';
import { createSyncStatus, type SyncStatusController } from './sync-status';
import { createPolicy, keepProfile, type PolicyController } from './policy';
import type { ApiClient } from '../sync/api-client';
import { versionedProfileSchema } from '../protocol/profile';
import { directoryResponseSchema } from '../protocol/directory';
import { createDirectory, type DirectoryController } from './directory';

/** What the signed-in part of the app works on: the unlocked user's data, and its sync. */
export interface Workspace {
  userId: string;
  db: WaselDb;
  sync: SyncStatusController;
  /** The association's policy profile: the version in force, and those this device's requests follow. */
  policy: PolicyController;
  records: RecordsRepository;
  /** Deliveries' ballots waiting for the beneficiary's answer in the kiosk. */
  ballots: Ballots;
  /** The branches, and the researchers a request may be referred to by name (C-PROC-3), kept offline. */
  directory: DirectoryController;
  files: {
    attach: (input: AttachInput) => Promise<{ sha256: string; recordId: string }>;
    /** A file hashed and sealed, to keep with the step it belongs to (`writeAll(writes, [entry])`). */
    stage: (input: AttachInput) => Promise<StagedFile>;
    /** The file's entry on this device (read directly, so that live queries can watch it). */
    get: (sha256: string) => Promise<FileEntry | undefined>;
    /** Loads the code that keeps and sends files, ahead of the first photo. */
    prepare: () => Promise<void>;
    /** The file and its bytes, opened. */
    read: (sha256: string) => Promise<OpenedFile | undefined>;
    /** A file from this device, or else from the server (kept for offline use); null if unavailable. */
    fetch: (sha256: string, mimeType: AttachmentMimeType) => Promise<FileEntry | null>;
    /**
     * Sends a file no record names (a library document) to the server now; resolves with its hash once the
     * server holds it, and rejects if it could not be sent (it stays queued for the next sync).
     */
    upload: (mimeType: AttachmentMimeType, data: ArrayBuffer) => Promise<string>;
  };
}

export interface WorkspaceDeps {
  win: Window;
  device: DeviceRepository;
  locks: LockRunner;
  newId: () => string;
  now: () => number;
  /** The server said this device is revoked. */
  onRevoked: () => void;
  /** The server said the session is over for good (the account disabled, the session revoked). */
  onSessionEnded: (code: string) => void;
  /** For the association's profile, read from the server. */
  api: Pick<ApiClient, 'read'>;
}

export function openWorkspace(
  deps: WorkspaceDeps,
  { userId, db, cipher, accessToken, signInProfile }: Unlocked,
): Workspace {
  const { win, device, locks, newId, now } = deps;
  // Declared below; read only when a record is written, by then it is set.
  let profileFor: (version: number | undefined) => PolicyProfile | undefined = () => undefined;
  const repository = createRecordsRepository(db, cipher, {
    newId,
    now,
    // A request is judged under the profile version it was opened under, as on the server.
    validate: (entity, data) =>
      entityErrors(
        entity,
        data,
        profileFor(
          entity !== 'case' ? undefined : typeof data.profileVersion === 'number' ? data.profileVersion : 1,
        ),
      ),
  });
  // Rows sealed by an older build get this build's index entries (once; the worklist and filters read them).
  reportFailure(repository.reindex(), 'reindex');
  // Files, the uploader and tus-js-client load only when a file is attached, sent or fetched.
  let fileStack: Promise<{ files: FilesRepository; uploader: Uploader }> | null = null;
  const loadFiles = () =>
    (fileStack ??= Promise.all([import('../db/files-repository'), import('../sync/uploader')]).then(
      ([{ createFilesRepository }, { createUploader }]) => {
        const files = createFilesRepository(db, cipher, repository, now);
        const uploader = createUploader({
          files,
          accessToken,
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
  const policy = createPolicy({
    db,
    cipher,
    fetch: async (version) =>
      deps.api.read(
        await accessToken(),
        version === undefined ? '/profile' : `/profile?version=${String(version)}`,
        versionedProfileSchema,
      ),
  });
  profileFor = (version) => {
    const { current, earlier } = policy.store.getState();
    if (current === null) return undefined;
    if (version === undefined || version === current.version) return current.profile;
    return earlier[String(version)];
  };
  // The profile that came with this sign-in is kept first; then what the device kept, or the server's.
  void (async () => {
    if (signInProfile !== undefined) await keepProfile(db, cipher, signInProfile);
    await policy.load();
  })().catch((error: unknown) => {
    reportError(error, 'profile');
  });
  const directory = createDirectory({
    db,
    cipher,
    fetch: async () => deps.api.read(await accessToken(), '/directory', directoryResponseSchema),
  });
  reportFailure(directory.load(), 'directory');
  sync.store.subscribe((s, previous) => {
    // The server said this device is revoked: erase everything on it.
    if (s.lastError === ErrorCode.deviceRevoked) deps.onRevoked();
    else if (s.phase === 'signedOut' && s.lastError !== null && s.lastError !== previous.lastError)
      deps.onSessionEnded(s.lastError);
    // After each sync, the profile in force: the administrator may have changed it.
    if (s.lastSuccessAt !== previous.lastSuccessAt) {
      void policy.refresh();
      reportFailure(directory.refresh(), 'directory');
    }
  });
  /** Every local write asks for a sync (once the user pauses), which simply waits while offline. */
  const thenSync =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await write(...args);
      sync.requestSyncSoon();
      return result;
    };
  // The library's documents are kept on the device as soon as the profile names them: they open offline.
  policy.store.subscribe((s) => {
    for (const tool of s.current?.profile.tools ?? []) {
      const file = tool.document;
      if (file === undefined) continue;
      void loadFiles()
        .then(({ uploader }) => uploader.fetchFile(file.sha256, file.mimeType))
        // Offline: fetched at the next refresh; the library says which documents are not here yet.
        .catch(() => undefined);
    }
  });
  return {
    userId,
    db,
    sync,
    policy,
    ballots: createBallots(db, cipher, now),
    directory,
    // Every write asks for a sync: a record, a removal, a request's step and the records beside it.
    records: {
      ...repository,
      save: thenSync(repository.save),
      remove: thenSync(repository.remove),
      step: thenSync(repository.step),
      writeAll: thenSync(repository.writeAll),
    },
    files: {
      attach: thenSync(async (input: AttachInput) => (await loadFiles()).files.attach(input)),
      stage: async (input) => (await loadFiles()).files.stage(input),
      get: (sha256) => db.files.get(sha256),
      prepare: async () => {
        await loadFiles();
      },
      read: async (sha256) => (await loadFiles()).files.read(sha256),
      fetch: async (sha256, mimeType) => (await loadFiles()).uploader.fetchFile(sha256, mimeType),
      upload: async (mimeType, data) => {
        const { files, uploader } = await loadFiles();
        const sha256 = await files.keepForUpload(mimeType, data);
        await uploader.uploadPending();
        // Sent now, or before (uploaded), or fetched from the server: either way the server holds it.
        const state = (await files.get(sha256))?.state;
        if (state !== 'uploaded' && state !== 'fetched') throw new Error('The file was not sent.');
        return sha256;
      },
    },
  };
}
