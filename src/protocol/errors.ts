// Stable error codes of the API and the shape of every error body: {"error": {"code", "message"}}.
import * as z from 'zod/mini';

export { ErrorCode } from './error-codes';

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.unknown()),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
