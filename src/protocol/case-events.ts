// The named steps of a request on the wire (docs/named-steps.md): a push carries each step the device took
// as `{op: 'event', event}`, and the server runs it through the case machine again. Only the step's own
// inputs travel; what the server derives (stamps, dates, the deadline, the verification's findings) never does.
import * as z from 'zod/mini';
import type { CaseEvent } from '../domain/case-machine';
import { sha256Schema } from './attachments';

const reason = z.string().check(z.maxLength(2000));
const itemId = z.string().check(z.minLength(1), z.maxLength(60));

/** Aid as data: an amount in riyals and/or the items (the machine checks that it is aid that counts). */
const aid = z.object({
  amount: z.optional(z.number()),
  items: z.optional(z.string().check(z.maxLength(500))),
});

export const caseEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('opened'),
    beneficiaryId: z.uuid(),
    number: z.string().check(z.maxLength(40)),
    profileVersion: z.optional(z.number().check(z.int(), z.positive())),
  }),
  z.object({ type: z.literal('receptionDone') }),
  z.object({ type: z.literal('serviceChosen'), serviceTypeId: itemId }),
  z.object({ type: z.literal('requirementsShared') }),
  z.object({ type: z.literal('itemProvided'), itemId }),
  z.object({ type: z.literal('itemRemoved'), itemId }),
  z.object({ type: z.literal('verified') }),
  // C-PROC-3: to a named researcher of the request's branch (without `to`: to the branch's researchers).
  z.object({ type: z.literal('referred'), reason, to: z.optional(z.uuid()) }),
  z.object({
    type: z.literal('declarationSigned'),
    dataHash: sha256Schema,
    signatureHash: sha256Schema,
    signerName: z.string().check(z.maxLength(200)),
  }),
  z.object({ type: z.literal('exceptionRecorded'), reason }),
  z.object({ type: z.literal('submit') }),
  z.object({ type: z.literal('researchStarted') }),
  z.object({ type: z.literal('researchCompleted'), reportId: z.uuid() }),
  z.object({
    type: z.literal('decided'),
    outcome: z.enum(['accepted', 'rejected']),
    reason,
    grant: z.optional(aid),
  }),
  z.object({ type: z.literal('told'), channel: itemId, notificationId: z.uuid() }),
  z.object({
    type: z.literal('delivered'),
    description: z.string().check(z.maxLength(2000)),
    ballot: z.optional(z.uuid()),
    handedOver: z.optional(aid),
  }),
  z.object({ type: z.literal('closed') }),
  z.object({ type: z.literal('discarded'), reason: z.string().check(z.maxLength(1000)) }),
]);

// The wire schema and the machine's event type must stay one and the same.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const eventSchemaMatchesMachine: Same<z.infer<typeof caseEventSchema>, CaseEvent> = true;
