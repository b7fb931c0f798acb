// The sync protocol v1 (ARCHITECTURE.md): push of a client's mutations in order, pull of changes after a
// cursor. Shared by the app's sync engine and the server.
import * as z from 'zod/mini';
import { entityNames } from './entity-names';

// The push request's schemas (what the server validates) live in push.ts: the app only builds pushes, and
// the first screen, which loads this module for the answers, should not carry the steps' schemas.
export { type Mutation, type PushRequest } from './push';

export const MAX_PULL_LIMIT = 5000;

export const fieldErrorSchema = z.object({ path: z.string(), code: z.string() });

const conflictSchema = z.object({
  /** The fields changed on the server since the mutation's baseVersion that the mutation also changed. */
  fields: z.array(z.string()),
  serverVersion: z.number(),
  /** The server's record as it stands: its values are kept. */
  server: z.record(z.string(), z.unknown()),
  /** What the client tried to write. */
  attempted: z.record(z.string(), z.unknown()),
});
const rejectionSchema = z.object({
  code: z.string(),
  message: z.string(),
  fields: z.array(fieldErrorSchema),
});

/** The record as the server holds it (null data: it has none), sent back with a refused step. */
const currentSchema = z.object({ version: z.number(), data: z.nullable(z.record(z.string(), z.unknown())) });

export const pushResultSchema = z.discriminatedUnion('status', [
  z.object({ seq: z.number(), status: z.literal('applied'), version: z.number() }),
  z.object({
    seq: z.number(),
    status: z.literal('duplicate'),
    /** Already handled; when that first outcome was a conflict or a rejection, it is repeated here. */
    conflict: z.optional(conflictSchema),
    error: z.optional(rejectionSchema),
    current: z.optional(currentSchema),
  }),
  z.object({ seq: z.number(), status: z.literal('conflict'), conflict: conflictSchema }),
  z.object({
    seq: z.number(),
    status: z.literal('rejected'),
    error: rejectionSchema,
    /**
     * For a refused step: the request as the server holds it (null data: it has none), so the device shows
     * the truth again, with its later changes on top, instead of the step it believed taken.
     */
    current: z.optional(currentSchema),
  }),
]);
export type PushResult = z.infer<typeof pushResultSchema>;

export const pushResponseSchema = z.object({
  lastAppliedSeq: z.number(),
  results: z.array(pushResultSchema),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const changeSchema = z.object({
  entity: z.enum(entityNames),
  recordId: z.uuid(),
  version: z.number(),
  deleted: z.boolean(),
  /** Null for a deletion (tombstone). */
  data: z.nullable(z.record(z.string(), z.unknown())),
  /**
   * The record was destroyed (a rights request, or the end of its retention): the device removes every
   * trace of it — its copy, unsent changes, conflicts, files — and whatever it created that hangs on it.
   */
  purged: z.optional(z.literal(true)),
});
export type Change = z.infer<typeof changeSchema>;

export const pullResponseSchema = z.object({
  changes: z.array(changeSchema),
  cursor: z.string(),
  hasMore: z.boolean(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** Where a pull stands: the last server version the client has seen, in the sync epoch it was seen in. */
export interface Cursor {
  version: number;
  /** Null for the start, and for a cursor made before epochs (v1), which counts as the current epoch's. */
  epoch: string | null;
}

/** Cursors are opaque to clients. */
export function encodeCursor(version: number, epoch: string): string {
  return `v2.${epoch}.${version.toString(36)}`;
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (cursor === undefined || cursor === '') return { version: 0, epoch: null };
  const match =
    /^v2\.([0-9a-f]{1,32})\.([0-9a-z]{1,12})$/.exec(cursor) ?? /^v1\.()([0-9a-z]{1,12})$/.exec(cursor);
  if (match?.[2] === undefined) return null;
  const version = parseInt(match[2], 36);
  if (!Number.isSafeInteger(version)) return null;
  return { version, epoch: match[1] === '' || match[1] === undefined ? null : match[1] };
}
