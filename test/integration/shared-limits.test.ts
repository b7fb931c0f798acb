// Several instances on one database are one service for the limits too: the public complaint limit per
// address is counted in the database, so a client that alternates between two instances (as a proxy spreads
// its requests) is refused after the same number of complaints as on one. Login throttling and refresh-token
// reuse were in the database already (auth.test.ts). Runs on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_COMPLAINTS_PER_WINDOW } from '../../src/protocol/complaints';
import { createTestDb, seedTenants, testApp, type TestDb } from './helpers';

let t: TestDb;
type App = ReturnType<typeof testApp>['app'];
let first: App;
let second: App;

beforeAll(async () => {
  t = await createTestDb();
  await seedTenants(t.db);
  first = testApp(t.db).app;
  second = testApp(t.db).app;
});
afterAll(async () => {
  await t.drop();
});

const complain = (app: App, address: string) =>
  app.request(
    '/api/v1/public/complaints',
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ association: 'kadi', kind: 'complaint', text: 'لم يصلني رد', consent: true }),
    },
    { incoming: { socket: { remoteAddress: address } } },
  );

describe('limits shared by instances', () => {
  it('counts one address’s complaints across both instances, and another address apart', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < PUBLIC_COMPLAINTS_PER_WINDOW; i++)
      statuses.push((await complain(i % 2 === 0 ? first : second, '10.7.7.7')).status);
    expect(statuses).toEqual(Array.from({ length: PUBLIC_COMPLAINTS_PER_WINDOW }, () => 201));
    // The limit is reached, whichever instance the next complaint lands on.
    for (const app of [first, second]) expect((await complain(app, '10.7.7.7')).status).toBe(429);
    expect((await complain(second, '10.7.7.8')).status).toBe(201);
  });
});
