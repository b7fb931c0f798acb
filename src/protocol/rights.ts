// A beneficiary's rights under the PDPL (L-RIGHTS): a copy of everything held about them, with the history
// of its corrections, and its destruction on request. Shared by the app and the server.
import * as z from 'zod/mini';
import { entityNames } from './entity-names';

export const RIGHTS_PATH = '/api/v1/beneficiaries';

export const destroyRequestSchema = z.object({
  /** Why: the request's reference and grounds, for the register of rights requests. */
  reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(500)),
});
export type DestroyRequest = z.infer<typeof destroyRequestSchema>;

export const destroyResponseSchema = z.object({
  /** Records destroyed: the beneficiary and everything in their file. */
  records: z.number(),
  /** Document files destroyed with them. */
  files: z.number(),
});
export type DestroyResponse = z.infer<typeof destroyResponseSchema>;

const entity = z.enum(entityNames);

export const exportDocumentSchema = z.object({
  format: z.literal('wasel.beneficiary-export.v1'),
  generatedAt: z.string(),
  association: z.object({ nameAr: z.string(), nameEn: z.string() }),
  beneficiaryId: z.string(),
  /** Every live record of the file, as stored. */
  records: z.array(
    z.object({
      entity,
      recordId: z.string(),
      version: z.number(),
      createdAt: z.string(),
      updatedAt: z.string(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  /** Every change to those records (and to records of the file since deleted), oldest first. */
  history: z.array(
    z.object({
      entity,
      recordId: z.string(),
      version: z.number(),
      at: z.string(),
      by: z.string(),
      op: z.enum(['create', 'update', 'delete']),
      changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
    }),
  ),
  /** The document files the file's attachments name, with their bytes. */
  files: z.array(
    z.object({ sha256: z.string(), mimeType: z.string(), size: z.number(), base64: z.string() }),
  ),
  /** The names of the staff who made those changes, by user id. */
  staff: z.record(z.string(), z.string()),
  /** What was left out because the one who exported it may not see it (L-SENSITIVE). */
  withheld: z.array(z.string()),
});
export type ExportDocument = z.infer<typeof exportDocumentSchema>;
