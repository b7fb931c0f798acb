import { afterAll, beforeAll, expect, it } from 'vitest';
import { healthResponseSchema } from '../../src/protocol/health';
import { migrate } from '../../server/store/migrate';
import { createTestDb, testApp, type TestDb } from './helpers';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.drop();
});

it('GET /api/v1/health answers without a token and names the database it runs on', async () => {
  const { app } = testApp(t.db);
  const response = await app.request('/api/v1/health');
  expect(response.status).toBe(200);
  const body = healthResponseSchema.parse(await response.json());
  expect(body).toEqual({
    status: 'ok',
    db: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    version: 'test',
    demo: false,
  });
  expect(response.headers.get('Cache-Control')).toBe('no-store');
});

it('migrations are applied once: a second run applies nothing', async () => {
  expect(await migrate(t.db)).toEqual([]);
  const rows = await t.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
  expect(rows.map((r) => r.name)).toContain('001_tenants_and_auth.sql');
});

it('the schema keeps a user branch inside the user association', async () => {
  await t.db.query(
    "INSERT INTO associations (code, name_ar, name_en) VALUES ('aa', 'أ', 'A'), ('bb', 'ب', 'B')",
  );
  await t.db.query(
    "INSERT INTO branches (association_id, code, name_ar, name_en) SELECT id, 'b1', 'ف', 'B1' FROM associations WHERE code = 'aa'",
  );
  const insertCrossTenant = t.db.query(
    `INSERT INTO users (association_id, branch_id, username, display_name, role, password_hash)
     SELECT (SELECT id FROM associations WHERE code = 'bb'), b.id, 'cross.user', 'x', 'representative', 'h'
       FROM branches b JOIN associations a ON a.id = b.association_id WHERE a.code = 'aa'`,
  );
  await expect(insertCrossTenant).rejects.toThrow();
  const representativeWithoutBranch = t.db.query(
    `INSERT INTO users (association_id, username, display_name, role, password_hash)
     SELECT id, 'nobranch.rep', 'x', 'representative', 'h' FROM associations WHERE code = 'aa'`,
  );
  await expect(representativeWithoutBranch).rejects.toThrow();
});
