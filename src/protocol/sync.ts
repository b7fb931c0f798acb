// The sync protocol v1 (ARCHITECTURE.md): push of a client's mutations in order, pull of changes after a
// cursor. Shared by the app's sync engine and the server.
import * as z from 'zod/mini';
import { caseEventSchema } from './case-events';
import { entityNames } from './entity-names';

/** Most mutations one push may carry; the client sends more in several pushes. */
export const MAX_PUSH_MUTATIONS = 500;
export const MAX_PULL_LIMIT = 5000;

export const mutationSchema = z
  .object({
    /** Client-generated id of the mutation (for the client's own bookkeeping). */
    id: z.uuid(),
    /** Starts at 1 and rises by one per client. */
    seq: z.number().check(z.int(), z.positive()),
    entity: z.enum(entityNames),
    /**
     * A record patch (upsert, delete) for plain data, or a named step (event) for what the policy guards: a
     * request changes only by events, which the server runs through the case machine again.
     */
    op: z.enum(['upsert', 'delete', 'event']),
    recordId: z.uuid(),
    /** The server version the client's copy was at; 0 for a record the client created. */
    baseVersion: z.number().check(z.int(), z.gte(0)),
    /**
     * The fields that changed, at the top level of the record; empty for a delete. For an event, the fields
     * the device expects the step to change: kept on the device to show the step before the server's answer,
     * never sent (the engine empties it), and never read by the server.
     */
    patch: z.record(z.string(), z.unknown()),
    /** The step, for op "event". */
    event: z.optional(caseEventSchema),
    /** Device clock, for display only. */
    at: z.iso.datetime({ offset: true }),
  })
  .check(
    z.refine(
      (m) => (m.op === 'event') === (m.event !== undefined) && (m.op !== 'event' || m.entity === 'case'),
      { error: 'an event mutation carries an event of a request, and only it does', path: ['event'] },
    ),
  );
export type Mutation = z.infer<typeof mutationSchema>;

export const pushRequestSchema = z.object({
  clientId: z.uuid(),
  mutations: z.array(mutationSchema).check(z.minLength(1), z.maxLength(MAX_PUSH_MUTATIONS)),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

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

export const pushResultSchema = z.discriminatedUnion('status', [
  z.object({ seq: z.number(), status: z.literal('applied'), version: z.number() }),
  z.object({
    seq: z.number(),
    status: z.literal('duplicate'),
    /** Already handled; when that first outcome was a conflict or a rejection, it is repeated here. */
    conflict: z.optional(conflictSchema),
    error: z.optional(rejectionSchema),
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
    current: z.optional(
      z.object({ version: z.number(), data: z.nullable(z.record(z.string(), z.unknown())) }),
    ),
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

/** Cursors are opaque to clients; inside, the last server version the client has seen. */
export function encodeCursor(version: number): string {
  return `v1.${version.toString(36)}`;
}

export function decodeCursor(cursor: string | undefined): number | null {
  if (cursor === undefined || cursor === '') return 0;
  const match = /^v1\.([0-9a-z]{1,12})$/.exec(cursor);
  if (match?.[1] === undefined) return null;
  const version = parseInt(match[1], 36);
  return Number.isSafeInteger(version) ? version : null;
}
