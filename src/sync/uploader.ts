// Sends the device's pending files to the server, each at most once, and fetches files others uploaded.
//
// Runs in the page, not the service worker: tus-js-client sends with XMLHttpRequest and reads `window`
// when loaded, and a worker has neither (tus/tus-js-client#158, #899). Records still sync in the
// background; photos go while the app is open, which is when they are taken.
//
// For each pending file: ask the server whether it already has those bytes (another device, or an
// upload whose answer was lost) — if so nothing is sent; otherwise continue the tus upload this device
// started (its URL is kept in IndexedDB, so an app restart resumes from the last byte the server has),
// or start one. Done only when the server says it holds the file.
import { DetailedError, Upload } from 'tus-js-client';
import type { FileEntry } from '../db/database';
import type { FilesRepository } from '../db/files-repository';
import { FILES_PATH, UPLOADS_PATH, type AttachmentMimeType } from '../protocol/attachments';
import { ApiError, NetworkError } from './api-client';
import type { LockRunner } from './locks';

/** Each PATCH carries at most this much; each is a point an interrupted upload resumes from. */
export const UPLOAD_CHUNK_BYTES = 256 * 1024;

/** Moves one file's bytes; resolves when the last byte is accepted. */
export type Transfer = (
  file: FileEntry,
  data: ArrayBuffer,
  onUrl: (url: string) => Promise<void>,
) => Promise<void>;

export interface UploaderDeps {
  files: FilesRepository;
  accessToken: () => Promise<string>;
  /** The app's origin, for absolute upload URLs. */
  origin: string;
  lock: LockRunner;
  fetch?: typeof fetch;
  /** Replaced in tests; tus-js-client by default. */
  transfer?: Transfer;
  chunkSize?: number;
  /** Called after each file changes state, to refresh counts on screen. */
  onChange?: () => void;
}

/**
 * A refusal of this upload by the server (not a network failure, nor an expired sign-in): retrying the
 * same upload would fail again.
 */
function isPermanent(error: unknown): boolean {
  if (!(error instanceof DetailedError)) return false;
  const status = error.originalResponse?.getStatus() ?? 0;
  return status >= 400 && status < 500 && ![401, 408, 409, 423, 429].includes(status);
}

export function tusTransfer(deps: Pick<UploaderDeps, 'accessToken' | 'origin' | 'chunkSize'>): Transfer {
  return (file, data, onUrl) =>
    new Promise<void>((resolve, reject) => {
      const upload = new Upload(new Blob([data], { type: file.mimeType }), {
        endpoint: new URL(UPLOADS_PATH, deps.origin).href,
        uploadUrl: file.uploadUrl,
        chunkSize: deps.chunkSize ?? UPLOAD_CHUNK_BYTES,
        retryDelays: [0, 1000, 3000],
        metadata: { sha256: file.sha256, mimeType: file.mimeType },
        // The URL lives in our own table (IndexedDB), not in tus-js-client's localStorage.
        storeFingerprintForResuming: false,
        async onBeforeRequest(req) {
          req.setHeader('Authorization', `Bearer ${await deps.accessToken()}`);
        },
        onUploadUrlAvailable() {
          if (upload.url !== null) void onUrl(upload.url);
        },
        onSuccess: () => {
          resolve();
        },
        onError: reject,
      });
      upload.start();
    });
}

export function createUploader(deps: UploaderDeps) {
  const doFetch = deps.fetch ?? ((input, init) => fetch(input, init));
  const transfer = deps.transfer ?? tusTransfer(deps);

  async function request(method: 'GET' | 'HEAD', sha256: string): Promise<Response | null> {
    let response: Response;
    try {
      response = await doFetch(new URL(`${FILES_PATH}/${sha256}`, deps.origin).href, {
        method,
        headers: { Authorization: `Bearer ${await deps.accessToken()}` },
        cache: 'no-store',
      });
    } catch (error) {
      throw new NetworkError(error instanceof Error ? error.message : 'network error');
    }
    if (response.status === 404) return null;
    if (!response.ok) throw new ApiError(response.status, 'http_error', `HTTP ${response.status}`);
    return response;
  }

  const onServer = async (sha256: string) => (await request('HEAD', sha256)) !== null;

  async function uploadOne(file: FileEntry): Promise<void> {
    if (await onServer(file.sha256)) {
      await deps.files.markUploaded(file.sha256);
      return;
    }
    const opened = await deps.files.read(file.sha256);
    if (opened === undefined) return;
    try {
      await transfer(file, opened.data, (url) => deps.files.setUploadUrl(file.sha256, url));
    } catch (error) {
      if (!isPermanent(error)) throw error;
      await deps.files.markFailed(file.sha256, error instanceof Error ? error.message : String(error));
      return;
    }
    if (await onServer(file.sha256)) await deps.files.markUploaded(file.sha256);
    else await deps.files.markFailed(file.sha256, 'The server did not keep the file; it will be sent again.');
  }

  return {
    /**
     * Uploads every pending file, one at a time, one uploader across tabs. Stops at the first network
     * failure (the next trigger tries again); a refused file is marked and the others still go.
     */
    uploadPending(): Promise<void> {
      return deps.lock('wasel-upload', async () => {
        for (const file of await deps.files.pending()) {
          await uploadOne(file);
          deps.onChange?.();
        }
      });
    },

    /** A file this device does not have, from the server, kept for offline use; null if unavailable. */
    async fetchFile(sha256: string, mimeType: AttachmentMimeType): Promise<FileEntry | null> {
      const local = await deps.files.get(sha256);
      if (local !== undefined) return local;
      const response = await request('GET', sha256);
      if (response === null) return null;
      await deps.files.storeFetched(sha256, mimeType, await response.arrayBuffer());
      return (await deps.files.get(sha256)) ?? null;
    },
  };
}

export type Uploader = ReturnType<typeof createUploader>;
