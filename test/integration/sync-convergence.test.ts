// Convergence, as properties (fast-check): whatever the interleaving of offline edits and syncs on two or
// three clients, all end with the server's data; concurrent edits of different fields merge, and
// concurrent edits of the same field surface as a conflict, never as a silent overwrite.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, seedKadiStaff, testApp, type TestDb } from './helpers';
import { clientView, makeClient, serverView, type RigClient } from './sync-faults';

let t: TestDb;
let app: ReturnType<typeof testApp>['app'];
let branch1 = '';

beforeAll(async () => {
  t = await createTestDb();
  branch1 = (await seedKadiStaff(t.db)).b1;
  app = testApp(t.db).app;
});

afterAll(async () => {
  await t.drop();
});

const direct: typeof fetch = async (input, init) => app.fetch(new Request(input, init));
const fields = ['fullName', 'mobile'] as const;
const valueOf = (field: (typeof fields)[number], n: number) =>
  field === 'fullName' ? `اسم ${n}` : `+96650000000${n}`;

/** Three clients that share `count` beneficiaries, all synced. */
async function setup(count: number): Promise<{ clients: RigClient[]; ids: string[] }> {
  const clients = [
    await makeClient(app, 'kadi.rep1', direct),
    await makeClient(app, 'kadi.rep1b', direct),
    await makeClient(app, 'kadi.supervisor', direct),
  ];
  const ids = Array.from({ length: count }, () => randomUUID());
  for (const id of ids) {
    await clients[0]?.repo.save('beneficiary', id, {
      branchId: branch1,
      fullName: 'البداية',
      nationalId: '1000000008',
      mobile: '+966509999999',
    });
  }
  for (const c of clients) await c.flushUntilDone();
  return { clients, ids };
}

const operation = fc.oneof(
  fc.record({
    kind: fc.constant('edit' as const),
    client: fc.integer({ min: 0, max: 2 }),
    record: fc.integer({ min: 0, max: 2 }),
    field: fc.constantFrom(...fields),
    value: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({ kind: fc.constant('sync' as const), client: fc.integer({ min: 0, max: 2 }) }),
);

describe('convergence', () => {
  it('any interleaving of offline edits and syncs on three clients converges to the server', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 30 }), async (ops) => {
        const { clients, ids } = await setup(3);
        for (const op of ops) {
          const client = clients[op.client];
          if (client === undefined) continue;
          if (op.kind === 'sync') await client.flushUntilDone();
          else
            await client.repo.save('beneficiary', ids[op.record] ?? '', {
              [op.field]: valueOf(op.field, op.value),
            });
        }
        for (let round = 0; round < 2; round++) for (const c of clients) await c.flushUntilDone();
        for (const c of clients) {
          expect(await c.repo.pendingCount()).toBe(0);
          const mine = await clientView(c);
          const server = await serverView(app, c.username);
          for (const id of ids)
            expect(mine.get(`beneficiary:${id}`)).toEqual(server.get(`beneficiary:${id}`));
        }
      }),
      { numRuns: 25 },
    );
  }, 600_000);

  it('two clients editing one record offline: different fields merge, the same field conflicts (either order)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fields),
        fc.constantFrom(...fields),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        async (fieldA, fieldB, valueA, valueB, aFirst) => {
          const { clients, ids } = await setup(1);
          const [a, b] = clients;
          const id = ids[0] ?? '';
          if (a === undefined || b === undefined) throw new Error('setup made too few clients');
          await a.repo.save('beneficiary', id, { [fieldA]: valueOf(fieldA, valueA) });
          await b.repo.save('beneficiary', id, { [fieldB]: valueOf(fieldB, valueB) });
          const [first, second] = aFirst ? [a, b] : [b, a];
          await first.flushUntilDone();
          await second.flushUntilDone();
          await first.flushUntilDone();

          const server = (await serverView(app, 'kadi.rep1')).get(`beneficiary:${id}`) as Record<
            string,
            unknown
          >;
          const [firstField, firstValue] = aFirst
            ? [fieldA, valueOf(fieldA, valueA)]
            : [fieldB, valueOf(fieldB, valueB)];
          const [secondField, secondValue] = aFirst
            ? [fieldB, valueOf(fieldB, valueB)]
            : [fieldA, valueOf(fieldA, valueA)];
          if (fieldA !== fieldB) {
            // Merge: both changes are on the server, and nobody was asked to resolve anything.
            expect(server[firstField]).toBe(firstValue);
            expect(server[secondField]).toBe(secondValue);
            expect(second.totals.conflicts).toBe(0);
          } else if (firstValue !== secondValue) {
            // Same field, different values: the first sync wins on the server; the second is a visible conflict.
            expect(server[firstField]).toBe(firstValue);
            expect(second.totals.conflicts).toBe(1);
            const [conflict] = await second.repo.conflicts();
            expect(conflict?.conflict.fields).toEqual([secondField]);
            expect(conflict?.mutation.patch).toEqual({ [secondField]: secondValue });
          } else {
            // Both wrote the same value: nothing to resolve.
            expect(server[firstField]).toBe(firstValue);
            expect(second.totals.conflicts).toBe(0);
          }
          // And every device shows the server's record.
          for (const c of [a, b]) expect((await c.repo.get('beneficiary', id))?.data).toEqual(server);
        },
      ),
      { numRuns: 40 },
    );
  }, 600_000);
});
