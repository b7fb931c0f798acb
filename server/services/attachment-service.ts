// Attachment files: resumable uploads over tus (@tus/server, its uploads in progress kept in the database by
// DatabaseUploadStore so that any instance can take an upload's next request), checked against the
// SHA-256 the client names them by, then kept once per association in the database; and reading them back.
//
// An upload belongs to the user who created it (its id starts with their user id), so nobody else can
// continue, inspect or cancel it. When the last byte arrives the bytes are hashed; a mismatch discards the
// upload, a match stores the file (or finds it already stored) and deletes the upload. Should the server
// stop between the last byte and the database, the next HEAD on that upload (a client resuming) finishes
// the job, so a complete upload is never left unregistered.
import { createHash, randomBytes } from 'node:crypto';
import { Server, type Upload } from '@tus/server';
import {
  MAX_ATTACHMENT_BYTES,
  sha256Schema,
  UPLOADS_PATH,
  uploadMetadataSchema,
} from '../../src/protocol/attachments';
import { ErrorCode, type ApiErrorBody } from '../../src/protocol/errors';
import type { Logger } from '../log';
import { anyFile, insertFile, readableFile } from '../store/attachment-store';
import type { Db } from '../store/db';
import { DatabaseUploadStore, UploadStoreError } from '../store/upload-store';
import type { AuthContext } from './auth-service';
import { ServiceError } from './errors';
import { maySeeSensitive, mayUpload, readableBranches } from './policy';
import { profileOfAssociation } from './records';

/** An upload not finished within this time is removed; the device then starts it again. */
export const UPLOAD_EXPIRY_MS = 30 * 24 * 60 * 60 * 1000;

export interface AttachmentDeps {
  db: Db;
  now: () => number;
  log: Logger;
}

export interface StoredFile {
  mimeType: string;
  size: number;
  data: Uint8Array;
}

/** A refusal in tus's terms (it reads `status_code` and `body`), with our usual JSON error body. */
class TusRefusal extends Error {
  readonly body: string;
  constructor(
    readonly status_code: number,
    code: ErrorCode,
    message: string,
  ) {
    super(message);
    const body: ApiErrorBody = { error: { code, message } };
    this.body = JSON.stringify(body);
  }
}

/** tus's own refusals (bad headers, wrong offset…) are plain text; the API answers every error as JSON. */
async function asJsonError(response: Response): Promise<Response> {
  if (response.status < 400 || response.headers.get('Content-Type')?.includes('json') === true)
    return response;
  const text = (await response.text()).trim();
  const headers = new Headers(response.headers);
  headers.set('Content-Type', 'application/json');
  headers.delete('Content-Length');
  // Our own refusals (TusRefusal) are JSON already, only not labelled so.
  if (text.startsWith('{')) return new Response(text, { status: response.status, headers });
  const code =
    response.status === 404 || response.status === 410
      ? ErrorCode.notFound
      : response.status === 403
        ? ErrorCode.forbidden
        : response.status === 413
          ? ErrorCode.payloadTooLarge
          : response.status === 409 || response.status === 423
            ? ErrorCode.uploadConflict
            : response.status >= 500
              ? ErrorCode.internal
              : ErrorCode.invalidRequest;
  const body: ApiErrorBody = { error: { code, message: text === '' ? `HTTP ${response.status}` : text } };
  return new Response(JSON.stringify(body), { status: response.status, headers });
}

export function createAttachmentService({ db, now, log }: AttachmentDeps) {
  const store = new DatabaseUploadStore(db, UPLOAD_EXPIRY_MS, now);
  // The requests tus is handling, and who sent them (set by the route before handing the request over).
  const callers = new WeakMap<Request, AuthContext>();
  const callerOf = (req: Request): AuthContext => {
    const auth = callers.get(req);
    if (auth === undefined) throw new TusRefusal(401, ErrorCode.unauthorized, 'An access token is required.');
    return auth;
  };
  const ownerPrefix = (auth: AuthContext) => `${auth.sub}-`;

  /**
   * Copies a complete upload into the files table, once (idempotent), then deletes the upload unless the
   * request in progress still has to report on it.
   */
  async function finish(upload: Upload, auth: AuthContext, keepUpload = false): Promise<void> {
    const metadata = uploadMetadataSchema.safeParse(upload.metadata);
    if (!metadata.success) throw new TusRefusal(400, ErrorCode.invalidRequest, 'Invalid upload metadata.');
    const data = await store.bytes(upload.id);
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== metadata.data.sha256) {
      await store.forget(upload.id);
      log.warn({ upload: upload.id }, 'attachment upload discarded: bytes do not match their hash');
      throw new TusRefusal(
        400,
        ErrorCode.invalidRequest,
        'The bytes received do not match the SHA-256 named.',
      );
    }
    await insertFile(db, {
      associationId: auth.aid,
      sha256: actual,
      mimeType: metadata.data.mimeType,
      size: upload.size,
      data,
      uploadedBy: auth.sub,
      createdAt: new Date(now()).toISOString(),
    });
    if (!keepUpload) await store.forget(upload.id);
  }

  const tus = new Server({
    path: UPLOADS_PATH,
    datastore: store,
    relativeLocation: true,
    maxSize: MAX_ATTACHMENT_BYTES,
    // Same-origin app: no cross-origin uploads.
    allowedOrigins: [],
    namingFunction: (req) => `${ownerPrefix(callerOf(req))}${randomBytes(16).toString('hex')}`,
    async onIncomingRequest(req, uploadId) {
      const auth = callerOf(req);
      if (!uploadId.startsWith(ownerPrefix(auth)))
        throw new TusRefusal(404, ErrorCode.notFound, 'No such upload.');
      if (req.method !== 'HEAD') return;
      // A client resuming: if every byte had arrived before a crash, register the file now. The upload
      // stays so that this HEAD can report it complete (a rare leftover, removed with expired uploads).
      const upload = await store.getUpload(uploadId).catch(() => null);
      if (upload !== null && upload.size !== undefined && upload.offset === upload.size)
        await finish(upload, auth, true);
    },
    onUploadCreate(req, upload) {
      const auth = callerOf(req);
      const denial = mayUpload(auth);
      if (denial !== null) return Promise.reject(new TusRefusal(403, denial.code, denial.message));
      if (upload.sizeIsDeferred || upload.size === 0)
        return Promise.reject(
          new TusRefusal(400, ErrorCode.invalidRequest, 'The upload length is required.'),
        );
      if (!uploadMetadataSchema.safeParse(upload.metadata).success)
        return Promise.reject(
          new TusRefusal(
            400,
            ErrorCode.invalidRequest,
            'Upload-Metadata needs sha256 and an accepted mimeType.',
          ),
        );
      return Promise.resolve({});
    },
    async onUploadFinish(req, upload) {
      await finish(upload, callerOf(req));
      return {};
    },
    onResponseError(_req, error) {
      if (error instanceof TusRefusal || error instanceof UploadStoreError || !(error instanceof Error))
        return undefined;
      log.error({ err: error }, 'attachment upload failed');
      const internal = new TusRefusal(500, ErrorCode.internal, 'Internal error.');
      return { status_code: internal.status_code, body: internal.body };
    },
  });

  return {
    /** Removes uploads older than the expiry; returns how many. */
    purgeExpiredUploads: () => tus.cleanUpExpiredUploads(),

    /** Hands a tus request (POST, HEAD, PATCH, DELETE, OPTIONS) to the tus server, for this caller. */
    async handleUpload(req: Request, auth: AuthContext): Promise<Response> {
      callers.set(req, auth);
      return asJsonError(await tus.handleWeb(req));
    },

    /**
     * The file, if the caller may read it: their association has it, and it is a library document of the
     * association's profile (for all its staff), or an attachment record they may
     * see names it (one for a sensitive document only if their role may see those, L-SENSITIVE), or they
     * uploaded it — though the uploader of a sensitive document whose role may not see it can only ask
     * whether it arrived (HEAD). Anything else is "not found", never "forbidden": a hash is not a secret
     * to confirm.
     */
    async read(auth: AuthContext, sha256: string, withData: boolean): Promise<StoredFile> {
      if (!sha256Schema.safeParse(sha256).success)
        throw new ServiceError(ErrorCode.invalidRequest, 'A file is named by its SHA-256 in hex.');
      const profile = await profileOfAssociation(db, auth.aid);
      // A document of the association's library (its forms and guides): for all of its staff.
      if (profile.tools.some((t) => t.document?.sha256 === sha256)) {
        const row = await anyFile(db, auth.aid, sha256, withData);
        if (row !== undefined)
          return { mimeType: row.mime_type, size: row.size, data: row.data ?? new Uint8Array() };
      }
      const hidden = maySeeSensitive(auth, profile) ? [] : profile.sensitive.fields;
      const scope = readableBranches(auth, 6);
      const row = await readableFile(db, {
        associationId: auth.aid,
        sha256,
        userId: auth.sub,
        withData,
        hidden,
        scope,
      });
      if (row === undefined) throw new ServiceError(ErrorCode.notFound, 'No such file.');
      return { mimeType: row.mime_type, size: row.size, data: row.data ?? new Uint8Array() };
    },
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
