// The attachment contract: files (document photos, signatures) are named by the SHA-256 of their bytes,
// uploaded with the tus resumable-upload protocol and read back by that name. The `attachment` record
// (entities.ts) says what a file is and whom it belongs to; the file itself travels here, once.
import * as z from 'zod/mini';

/** Where tus uploads are created (POST) and continued (HEAD / PATCH on the returned location). */
export const UPLOADS_PATH = '/api/v1/attachments/uploads';
/** `GET|HEAD ${FILES_PATH}/<sha256>`: the stored file, or 404 when the server does not have it. */
export const FILES_PATH = '/api/v1/attachments/files';

/** The largest file the server accepts. Photos are compressed on the device far below this. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export const attachmentMimeTypes = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type AttachmentMimeType = (typeof attachmentMimeTypes)[number];

export const sha256Schema = z.string().check(z.regex(/^[0-9a-f]{64}$/));

/** The tus `Upload-Metadata` of every upload: the hash the server checks the bytes against, and the type. */
export const uploadMetadataSchema = z.object({
  sha256: sha256Schema,
  mimeType: z.enum(attachmentMimeTypes),
});
export type UploadMetadata = z.infer<typeof uploadMetadataSchema>;
