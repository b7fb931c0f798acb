// The server's answer to the duplicate check at registration: is this national ID or mobile already known
// to the association, on any branch, as a beneficiary or as a member of a beneficiary's household? The
// device checks its own records offline; online, it also asks here, because it holds only its branch.
//
// The request's schema is in duplicates-request.ts: it validates numbers with the domain's checkers
// (libphonenumber's metadata among them), which the app's first screen must not carry.
//
// Privacy: a match the caller may not read (another branch's file) is named by its branch only — no name,
// no record id — enough to coordinate with that branch and nothing more. Every answer is in the audit log.
import * as z from 'zod/mini';

export const DUPLICATES_PATH = '/api/v1/beneficiaries/duplicates';

/** Most matches one answer lists; a national ID or a mobile shared by more is an anomaly for the office. */
export const MAX_DUPLICATE_MATCHES = 10;

const serverDuplicateSchema = z.object({
  /** Registered as a beneficiary, or listed in a beneficiary's household. */
  as: z.enum(['beneficiary', 'household_member']),
  reasons: z.array(z.enum(['national_id', 'mobile'])),
  /** The branch that holds the file; null for one of the whole association. */
  branch: z.nullable(z.object({ nameAr: z.string(), nameEn: z.string() })),
  /** The file is the caller's to read: then, and only then, its beneficiary's id and name are given. */
  beneficiary: z.nullable(z.object({ id: z.uuid(), fullName: z.string() })),
});
export type ServerDuplicate = z.infer<typeof serverDuplicateSchema>;

export const duplicateCheckResponseSchema = z.object({
  matches: z.array(serverDuplicateSchema),
});
export type DuplicateCheckResponse = z.infer<typeof duplicateCheckResponseSchema>;
