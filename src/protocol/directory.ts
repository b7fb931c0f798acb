// The association's directory as field staff need it offline: its open branches, by name (a supervisory
// visit names the unit visited, K-SAT-c), and the social researchers a request may be referred to by name
// (C-PROC-3) — the active researchers of the caller's branch (of every branch, for staff who serve them
// all). Any signed-in member of staff may read it; the device keeps it, and the server checks a named
// referral or a visited branch against its own tables.
import * as z from 'zod/mini';

export const DIRECTORY_PATH = '/api/v1/directory';

export const directoryResponseSchema = z.object({
  branches: z.array(z.object({ id: z.uuid(), name: z.object({ ar: z.string(), en: z.string() }) })),
  researchers: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      /** A researcher works in one branch, and takes the requests of its beneficiaries. */
      branchId: z.uuid(),
    }),
  ),
});
export type DirectoryResponse = z.infer<typeof directoryResponseSchema>;
