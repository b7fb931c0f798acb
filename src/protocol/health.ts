// GET /api/v1/health: public, tells the app which backend it talks to and whether it runs in demo mode.
import * as z from 'zod/mini';

export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  db: z.enum(['pglite', 'postgres']),
  version: z.string(),
  demo: z.boolean(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
