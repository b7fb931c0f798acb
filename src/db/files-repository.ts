// Attachment files on the device, named by the SHA-256 of their bytes. Attaching writes the file (unless
// the same bytes are already here), the `attachment` record naming it and that record's outbox entry in
// ONE transaction, so a photo is never kept without its record, nor queued without its bytes.
import type { AttachmentMimeType } from '../protocol/attachments';
import { patchRow, type FileEntry, type WaselDb } from './database';
import type { RecordsRepository, Write } from './records-repository';
import type { Cipher } from './vault';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export async function sha256Hex(data: ArrayBuffer): Promise<string> {
  // A view, not the buffer itself: Web Crypto accepts views from any realm (jsdom's tests have two).
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(data))));
}

/**
 * The id of the record "this file attached to this subject": derived from both (an RFC 9562 version-8
 * UUID), so attaching the same photo to the same subject twice — a double tap, a retried save — is the
 * same record, not a second one.
 */
export async function attachmentRecordId(subject: string, sha256: string): Promise<string> {
  const bytes = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${subject}|${sha256}`)),
  );
  const id = bytes.slice(0, 16);
  id[6] = ((id[6] ?? 0) & 0x0f) | 0x80;
  id[8] = ((id[8] ?? 0) & 0x3f) | 0x80;
  const h = hex(id);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface AttachInput {
  data: ArrayBuffer;
  mimeType: AttachmentMimeType;
  kind: 'document' | 'signature';
  beneficiaryId: string | null;
  caseId: string | null;
  requirementId: string | null;
}

/** A file hashed and sealed, and its attachment record's write, ready to be kept together with others. */
export interface StagedFile {
  sha256: string;
  recordId: string;
  entry: FileEntry;
  write: Write | null;
}

/** A file on the device with its bytes opened. */
export interface OpenedFile {
  entry: FileEntry;
  data: ArrayBuffer;
}

const fileAad = (sha256: string) => `file:${sha256}`;

export function createFilesRepository(
  db: WaselDb,
  cipher: Cipher,
  records: RecordsRepository,
  now: () => number,
) {
  const newEntry = async (
    sha256: string,
    mimeType: AttachmentMimeType,
    data: ArrayBuffer,
    state: FileEntry['state'],
  ): Promise<FileEntry> => ({
    sha256,
    mimeType,
    size: data.byteLength,
    sealed: await cipher.sealBytes(data, fileAad(sha256)),
    state,
    uploadUrl: null,
    createdAt: new Date(now()).toISOString(),
    lastError: null,
  });

  /**
   * A file made ready to keep with the writes it belongs to (`records.writeAll(writes, [entry])`): hashed and
   * sealed, with the write of its attachment record (null when this subject already has these bytes).
   */
  async function stage(input: AttachInput): Promise<StagedFile> {
    // Hashing and sealing are not IndexedDB operations, so they happen before the transaction opens.
    const sha256 = await sha256Hex(input.data);
    const subject = `${input.beneficiaryId ?? ''}/${input.caseId ?? ''}/${input.requirementId ?? ''}`;
    const [recordId, entry] = await Promise.all([
      attachmentRecordId(subject, sha256),
      newEntry(sha256, input.mimeType, input.data, 'pending'),
    ]);
    const current = await records.get('attachment', recordId);
    const write: Write | null =
      current === undefined || current.deleted
        ? {
            entity: 'attachment',
            recordId,
            op: 'upsert',
            patch: {
              sha256,
              kind: input.kind,
              mimeType: input.mimeType,
              size: input.data.byteLength,
              beneficiaryId: input.beneficiaryId,
              caseId: input.caseId,
              requirementId: input.requirementId,
            },
          }
        : null;
    return { sha256, recordId, entry, write };
  }

  return {
    stage,
    /** Keeps the file (once) and records the attachment; returns the file's hash and the record's id. */
    async attach(input: AttachInput): Promise<{ sha256: string; recordId: string }> {
      const staged = await stage(input);
      await records.writeAll(staged.write === null ? [] : [staged.write], [staged.entry]);
      return { sha256: staged.sha256, recordId: staged.recordId };
    },

    get: (sha256: string): Promise<FileEntry | undefined> => db.files.get(sha256),

    /** The file and its bytes, if this device has it. */
    async read(sha256: string): Promise<OpenedFile | undefined> {
      const entry = await db.files.get(sha256);
      if (entry === undefined) return undefined;
      return { entry, data: await cipher.openBytes(entry.sealed, fileAad(sha256)) };
    },

    /** Files waiting to be uploaded, oldest first. */
    async pending(): Promise<FileEntry[]> {
      const rows = await db.files.where('state').equals('pending').toArray();
      return rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    async setUploadUrl(sha256: string, uploadUrl: string | null): Promise<void> {
      await patchRow(db.files, sha256, { uploadUrl });
    },

    async markUploaded(sha256: string): Promise<void> {
      await patchRow(db.files, sha256, { state: 'uploaded', uploadUrl: null, lastError: null });
    },

    /** An upload the server refused: start it afresh next time, and say why meanwhile. */
    async markFailed(sha256: string, error: string): Promise<void> {
      await patchRow(db.files, sha256, { uploadUrl: null, lastError: error });
    },

    /** Keeps a copy of a file fetched from the server (someone else's upload), to show it offline. */
    /**
     * A file that no record of this device names (a library document of the association's), kept sealed and
     * queued for upload like an attachment; returns its hash.
     */
    async keepForUpload(mimeType: AttachmentMimeType, data: ArrayBuffer): Promise<string> {
      const sha256 = await sha256Hex(data);
      const file = await newEntry(sha256, mimeType, data, 'pending');
      await db.transaction('rw', db.files, async () => {
        if ((await db.files.get(sha256)) === undefined) await db.files.add(file);
      });
      return sha256;
    },

    async storeFetched(sha256: string, mimeType: AttachmentMimeType, data: ArrayBuffer): Promise<void> {
      if ((await sha256Hex(data)) !== sha256) throw new Error('The file received does not match its hash.');
      const file = await newEntry(sha256, mimeType, data, 'fetched');
      await db.transaction('rw', db.files, async () => {
        if ((await db.files.get(sha256)) === undefined) await db.files.add(file);
      });
    },
  };
}

export type FilesRepository = ReturnType<typeof createFilesRepository>;
