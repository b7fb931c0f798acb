// Uploads in progress (migration 014): tus's data store over the database, not one instance's disk, so that
// a device's next request of an upload may land on any instance behind the proxy and carry on from the same
// offset. The database is already where finished files are kept, and the one thing every instance shares.
//
// A part is written with the offset it moves in one transaction, and only if the offset is still the one the
// writer started from. tus's own lock holds within one process; this check holds across instances, so two
// requests for the same upload on two instances can never interleave its bytes (the later one is refused
// with tus's offset conflict, and the client asks for the offset again).
import type { Readable } from 'node:stream';
import { DataStore, ERRORS, Upload } from '@tus/utils';
import type { Db } from './db';

/**
 * At most this much of a request is held in memory before it is written. A request cut off keeps what had
 * arrived (as a file would); an instance killed outright loses at most this much, which the client sends
 * again from the offset the next HEAD reports.
 */
export const UPLOAD_PART_BYTES = 256 * 1024;

/** One of tus's own answers (it reads `status_code` and `body`), thrown as an error. */
export class UploadStoreError extends Error {
  readonly status_code: number;
  readonly body: string;
  constructor(known: { status_code: number; body: string }) {
    super(known.body.trim());
    this.status_code = known.status_code;
    this.body = known.body;
  }
}

interface UploadRow {
  size: string | number;
  offset: string | number;
  metadata: Record<string, string | null>;
  created_at: Date | string;
}

export class DatabaseUploadStore extends DataStore {
  readonly #db: Db;
  readonly #expiryMs: number;
  readonly #now: () => number;

  constructor(db: Db, expiryMs: number, now: () => number) {
    super();
    this.#db = db;
    this.#expiryMs = expiryMs;
    this.#now = now;
    // No deferred length: an upload names its size when it is created.
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  override async create(upload: Upload): Promise<Upload> {
    if (upload.size === undefined) throw new UploadStoreError(ERRORS.INVALID_LENGTH);
    const created = upload.creation_date ?? new Date(this.#now()).toISOString();
    await this.#db.query(
      `INSERT INTO uploads (id, size, "offset", metadata, created_at) VALUES ($1, $2, 0, $3::jsonb, $4)`,
      [upload.id, upload.size, JSON.stringify(upload.metadata ?? {}), created],
    );
    upload.creation_date = created;
    return upload;
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    let at = offset;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const writePending = async () => {
      if (pendingBytes === 0) return;
      const data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await this.#db.transaction(async (tx) => {
        const moved = await tx.query(
          `UPDATE uploads SET "offset" = "offset" + $3 WHERE id = $1 AND "offset" = $2 RETURNING id`,
          [id, at, data.length],
        );
        if (moved.length === 0) throw new UploadStoreError(ERRORS.INVALID_OFFSET);
        await tx.query('INSERT INTO upload_parts (upload_id, start, data) VALUES ($1, $2, $3)', [
          id,
          at,
          data,
        ]);
      });
      at += data.length;
    };
    // A write refused (another instance moved the offset) ends the writing, not the reading: leaving the
    // loop early would destroy the request's stream, and tus would answer that abort instead of the conflict.
    let refusal: Error | undefined;
    try {
      for await (const chunk of readable) {
        if (refusal !== undefined) continue;
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        pending.push(bytes);
        pendingBytes += bytes.length;
        if (pendingBytes >= UPLOAD_PART_BYTES)
          await writePending().catch((error: unknown) => {
            refusal = error instanceof Error ? error : new Error(String(error));
          });
      }
    } catch (error) {
      // The request was cut off: what had arrived is kept, and the client resumes after it.
      if (refusal === undefined) await writePending();
      throw error;
    }
    if (refusal !== undefined) throw refusal;
    await writePending();
    return at;
  }

  override async getUpload(id: string): Promise<Upload> {
    const [row] = await this.#db.query<UploadRow>(
      'SELECT size, "offset", metadata, created_at FROM uploads WHERE id = $1',
      [id],
    );
    if (row === undefined) throw new UploadStoreError(ERRORS.FILE_NOT_FOUND);
    return new Upload({
      id,
      size: Number(row.size),
      offset: Number(row.offset),
      metadata: row.metadata,
      creation_date: new Date(row.created_at).toISOString(),
    });
  }

  /** The bytes received so far, in order. */
  async bytes(id: string): Promise<Buffer> {
    const parts = await this.#db.query<{ data: Uint8Array }>(
      'SELECT data FROM upload_parts WHERE upload_id = $1 ORDER BY start',
      [id],
    );
    return Buffer.concat(parts.map((p) => p.data));
  }

  override async remove(id: string): Promise<void> {
    const removed = await this.#db.query('DELETE FROM uploads WHERE id = $1 RETURNING id', [id]);
    if (removed.length === 0) throw new UploadStoreError(ERRORS.FILE_NOT_FOUND);
  }

  /** Removes the upload if it is still there (another instance may have finished it first). */
  async forget(id: string): Promise<void> {
    await this.#db.query('DELETE FROM uploads WHERE id = $1', [id]);
  }

  /** Removes every upload begun longer ago than the expiry, finished leftovers included; returns how many. */
  override async deleteExpired(): Promise<number> {
    const removed = await this.#db.query('DELETE FROM uploads WHERE created_at < $1 RETURNING id', [
      new Date(this.#now() - this.#expiryMs).toISOString(),
    ]);
    return removed.length;
  }

  override getExpiration(): number {
    return this.#expiryMs;
  }
}
