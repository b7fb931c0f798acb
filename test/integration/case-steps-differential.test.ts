// The differential property test of issue 18: random sequences of a request's named steps, by random roles,
// are run on a model device (the case machine with the facts the device computes from the records it holds)
// and pushed to the server. Wherever the device's machine accepted a step the server applies it and holds
// exactly the device's request; wherever the device refused it the server refuses it with the same code.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatherFacts } from '../../src/domain/case-facts';
import {
  openRequest,
  requestNumber,
  transition,
  type CaseEvent,
  type Request,
} from '../../src/domain/case-machine';
import { holidayTable } from '../../src/domain/holidays';
import type { Role } from '../../src/domain/permissions';
import { privacyNotice } from '../../src/domain/privacy-notice';
import { requiredItemsOf } from '../../src/domain/profiles/profile';
import { useKadiTestApp } from './helpers';
import {
  AID_ITEMS,
  applicant,
  attachment,
  kadi,
  member,
  outcomeOf,
  sha,
  stepClient,
  storedCase,
  TODAY,
  userIdOf,
} from './steps';

const env = useKadiTestApp();
const users: Record<Role, string> = {
  representative: 'kadi.rep1',
  researcher: 'kadi.researcher',
  committee: 'kadi.committee',
  supervisor: 'kadi.supervisor',
  admin: 'kadi.admin',
};
const userIds: Partial<Record<Role, string>> = {};
beforeAll(async () => {
  for (const role of Object.keys(users) as Role[]) userIds[role] = await userIdOf(env, users[role]);
});

const services = [...kadi.serviceTypes.map((s) => s.id), 'no_such_service'];
const items = [...new Set(kadi.serviceTypes.flatMap((s) => s.requirements.map((r) => r.id))), 'no_such_item'];
const reasons = fc.constantFrom('', 'سبب مكتوب');

/** A step as generated: the event's shape, and whether the records it needs are made first. */
type Planned =
  | { kind: 'plain'; event: CaseEvent }
  | { kind: 'sign'; goodHash: boolean; goodImage: boolean }
  | { kind: 'report'; withReport: boolean }
  | { kind: 'tell'; withNotification: boolean; channel: string };

const planned: fc.Arbitrary<Planned> = fc.oneof(
  fc
    .constantFrom<CaseEvent>(
      { type: 'receptionDone' },
      { type: 'requirementsShared' },
      { type: 'verified' },
      { type: 'submit' },
      { type: 'researchStarted' },
      { type: 'closed' },
    )
    .map((event) => ({ kind: 'plain' as const, event })),
  fc.constantFrom(...services).map((serviceTypeId) => ({
    kind: 'plain' as const,
    event: { type: 'serviceChosen' as const, serviceTypeId },
  })),
  fc.tuple(fc.constantFrom(...items), fc.boolean()).map(([itemId, add]) => ({
    kind: 'plain' as const,
    event: add ? { type: 'itemProvided' as const, itemId } : { type: 'itemRemoved' as const, itemId },
  })),
  fc
    .tuple(fc.constantFrom('referred' as const, 'exceptionRecorded' as const), reasons)
    .map(([type, reason]) => ({
      kind: 'plain' as const,
      event: { type, reason },
    })),
  fc.tuple(fc.constantFrom('accepted' as const, 'rejected' as const), reasons).map(([outcome, reason]) => ({
    kind: 'plain' as const,
    event:
      outcome === 'accepted'
        ? { type: 'decided' as const, outcome, reason, grant: { amount: 1500 } }
        : { type: 'decided' as const, outcome, reason },
  })),
  fc.constant({ kind: 'plain' as const, event: { type: 'delivered' as const, description: 'سلة' } }),
  fc.record({ kind: fc.constant('sign' as const), goodHash: fc.boolean(), goodImage: fc.boolean() }),
  fc.record({ kind: fc.constant('report' as const), withReport: fc.boolean() }),
  fc.record({
    kind: fc.constant('tell' as const),
    withNotification: fc.boolean(),
    channel: fc.constantFrom('phone', 'fax'),
  }),
);

const roles = fc.constantFrom<Role>(
  'representative',
  'representative',
  'researcher',
  'committee',
  'supervisor',
);

describe('a request on the device and on the server (issue 18)', () => {
  it('random steps by random roles: the server holds the device’s request where the device accepted, and refuses exactly where it refused', async () => {
    const clients = Object.fromEntries(
      (Object.keys(users) as Role[]).map((role) => [role, stepClient(env, users[role])]),
    ) as Record<Role, ReturnType<typeof stepClient>>;
    const rep = clients.representative;
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(fc.tuple(roles, planned), { minLength: 1, maxLength: 14 }),
        async (honestStart, randomPlan) => {
          // Half the runs start with an honest intake up to submission, so the later steps are reached too.
          const intake: [Role, Planned][] = [
            ['representative', { kind: 'plain', event: { type: 'receptionDone' } }],
            ['representative', { kind: 'plain', event: { type: 'serviceChosen', serviceTypeId: 'aid' } }],
            ...AID_ITEMS.map((itemId): [Role, Planned] => [
              'representative',
              { kind: 'plain', event: { type: 'itemProvided', itemId } },
            ]),
            ['representative', { kind: 'plain', event: { type: 'verified' } }],
            ['representative', { kind: 'sign', goodHash: true, goodImage: true }],
            ['representative', { kind: 'plain', event: { type: 'submit' } }],
          ];
          const plan = honestStart ? [...intake, ...randomPlan] : randomPlan;
          // The records a device holds and has pushed: a complete household, photos of every document.
          const beneficiaryId = randomUUID();
          const memberId = randomUUID();
          const caseId = randomUUID();
          const person = applicant(env.branch.b1 ?? '', userIds.representative ?? '');
          const kin = member(beneficiaryId);
          const documents = items.map((itemId) => attachment(beneficiaryId, caseId, itemId));
          const signature = attachment(beneficiaryId, caseId, null);
          const opened = { type: 'opened' as const, beneficiaryId, number: requestNumber(TODAY, caseId) };
          const setup = await rep.push([
            rep.upsert('beneficiary', beneficiaryId, person),
            rep.upsert('household_member', memberId, kin),
            rep.step(caseId, opened),
            ...[...documents, signature].map((a) => rep.upsert('attachment', randomUUID(), a)),
          ]);
          expect(new Set(setup.map(outcomeOf))).toEqual(new Set(['applied']));
          const start = openRequest(caseId, opened, {
            actor: { id: userIds.representative ?? '', role: 'representative' },
            today: TODAY,
            profileVersion: 1,
          });
          if (!start.ok) throw new Error(start.code);
          let device: Request = start.case;
          const reports: { id: string }[] = [];
          const notifications: { id: string; data: Record<string, unknown> }[] = [];

          for (const [role, step] of plan) {
            const client = clients[role];
            // The device's facts, from the records it holds, as the intake computes them.
            const service = kadi.serviceTypes.find((s) => s.id === device.serviceTypeId);
            const factsNow = () =>
              gatherFacts(
                {
                  request: device,
                  beneficiary: person,
                  members: [{ id: memberId, data: kin }],
                  attachments: [...documents, signature],
                  reports,
                  notifications,
                },
                service?.requirements ?? [],
                privacyNotice.version,
              );
            // As the sign step sees them; the records a step makes beside itself (a report) are counted when
            // the device judges it, as the intake does.
            const facts = factsNow();
            let event: CaseEvent;
            const before = [];
            if (step.kind === 'plain') event = step.event;
            else if (step.kind === 'sign')
              event = {
                type: 'declarationSigned',
                dataHash: step.goodHash ? sha(facts.declared) : 'c'.repeat(64),
                signatureHash: step.goodImage ? String(signature.sha256) : 'd'.repeat(64),
                signerName: 'سالم',
              };
            else if (step.kind === 'report') {
              const reportId = randomUUID();
              if (step.withReport) {
                const researcher = clients.researcher;
                const [made] = await researcher.push([
                  researcher.upsert('research_report', reportId, {
                    caseId,
                    visitDate: TODAY,
                    findings: 'زيارة',
                    needs: 'احتياج',
                    recommendation: 'accept',
                    by: userIds.researcher,
                  }),
                ]);
                expect(made?.status).toBe('applied');
                reports.push({ id: reportId });
              }
              event = { type: 'researchCompleted', reportId };
            } else {
              const notificationId = randomUUID();
              if (step.withNotification) {
                const data = {
                  beneficiaryId,
                  caseId,
                  channel: step.channel,
                  text: 'أُبلغ',
                  sentAt: '2026-11-22T11:00:00+03:00',
                  by: userIds[role],
                };
                before.push(client.upsert('notification', notificationId, data));
                notifications.push({ id: notificationId, data });
              }
              event = { type: 'told', channel: step.channel, notificationId };
            }
            if (before.length > 0 && role === 'admin') before.length = 0;
            const ctx = {
              now: '2026-11-22T08:00:00.000Z',
              today: TODAY,
              holidays: holidayTable(TODAY),
              deadlineRule: kadi.deadlineRule,
              requiredItems: (id: string) => requiredItemsOf(kadi, id),
              facts: { ...factsNow(), dataHash: sha(facts.declared) },
              actor: { id: userIds[role] ?? '', role },
            };
            // The notification (if any) is made first, then the device judges the step with it on record.
            const judged = transition(
              device,
              event,
              step.kind === 'tell'
                ? {
                    ...ctx,
                    facts: {
                      ...ctx.facts,
                      notifications: notifications.map((n) => ({
                        id: n.id,
                        channel: String(n.data.channel),
                        receipt: n.data.purpose === 'receipt',
                      })),
                    },
                  }
                : ctx,
            );
            const results = await client.push([...before, client.step(caseId, event)]);
            const result = results.at(-1);
            if (judged.ok) {
              accepted += 1;
              expect(result?.status).toBe('applied');
              device = judged.case;
              expect((await storedCase(env, caseId))?.data).toEqual(JSON.parse(JSON.stringify(device)));
            } else {
              refused += 1;
              expect(result === undefined ? '' : outcomeOf(result)).toBe(judged.code);
            }
          }
        },
      ),
      { numRuns: 30 },
    );
    // Both sides of the property were exercised.
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
