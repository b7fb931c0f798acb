// The social researchers a request may be referred to by name (C-PROC-3): the active researchers of the
// caller's branch (of every branch, for staff who serve them all). Any signed-in member of staff may read them; the device keeps the list
// for offline referrals, and the server checks a named referral against its own list.
import * as z from 'zod/mini';

export const RESEARCHERS_PATH = '/api/v1/researchers';

export const researchersResponseSchema = z.object({
  researchers: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      /** A researcher works in one branch, and takes the requests of its beneficiaries. */
      branchId: z.uuid(),
    }),
  ),
});
export type ResearchersResponse = z.infer<typeof researchersResponseSchema>;
