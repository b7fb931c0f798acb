// The push request of the sync protocol v1 (ARCHITECTURE.md, docs/named-steps.md): a client's mutations, in
// order. Validated by the server; the app only builds them (its types come through sync.ts).
import * as z from 'zod/mini';
import { caseEventSchema } from './case-events';
import { entityNames } from './entity-names';

/** Most mutations one push may carry; the client sends more in several pushes. */
export const MAX_PUSH_MUTATIONS = 500;

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
