// The request of the duplicate check (see duplicates.ts), apart from it: its numbers are validated as the
// records' are, with checkers too heavy for the app's first screen, which needs only the answer's schema.
import * as z from 'zod/mini';
import { nationalIdSchema, saudiMobileSchema } from './entities';

export const duplicateCheckRequestSchema = z
  .object({
    nationalId: z.optional(nationalIdSchema),
    mobile: z.optional(saudiMobileSchema),
  })
  .check(
    z.refine((r) => r.nationalId !== undefined || r.mobile !== undefined, 'national_id_or_mobile_required'),
  );
export type DuplicateCheckRequest = z.infer<typeof duplicateCheckRequestSchema>;
