// Administration: the rules for users, demo seeding, and the CLI that real deployments use.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../server/admin-cli';
import { DEMO_PASSWORD, demoAssociations, seedDemo } from '../../server/demo';
import { hashPassword, verifyPassword } from '../../server/crypto/password';
import { createAdminService } from '../../server/services/admin-service';
import { openPglite } from '../../server/store/db';
import { createTestDb, fastHash, jsonRequest, testApp, type TestDb } from './helpers';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.drop();
});

describe('passwords', () => {
  it('are hashed with scrypt, salted, and verified in constant time', async () => {
    const a = await hashPassword('wasel-demo');
    const b = await hashPassword('wasel-demo');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('wasel-demo', a)).toBe(true);
    expect(await verifyPassword('wasel-demO', a)).toBe(false);
    expect(await verifyPassword('wasel-demo', 'scrypt$garbage')).toBe(false);
  });
});

describe('users', () => {
  it('every role but supervisor and admin needs a branch; supervisor and admin have none', async () => {
    const admin = createAdminService(t.db, fastHash);
    await admin.createAssociation({ code: 'rules', nameAr: 'قواعد', nameEn: 'Rules', profileCode: 'bakkah' });
    // No template named: the neutral common text; a template that does not exist is refused.
    await admin.createAssociation({ code: 'nour', nameAr: 'نور', nameEn: 'Nour' });
    await expect(
      admin.createAssociation({ code: 'nope', nameAr: 'س', nameEn: 'S', profileCode: 'nope' }),
    ).rejects.toThrow(/No template/);
    await admin.createBranch({ associationCode: 'rules', code: 'b1', nameAr: 'ف', nameEn: 'B1' });
    const base = { associationCode: 'rules', displayName: 'x', password: 'long-enough' };
    await expect(
      admin.createUser({ ...base, username: 'rules.rep', role: 'representative' }),
    ).rejects.toThrow(/needs a branch/);
    await expect(
      admin.createUser({ ...base, username: 'rules.sup', role: 'supervisor', branchCode: 'b1' }),
    ).rejects.toThrow(/has no branch/);
    await expect(
      admin.createUser({ ...base, username: 'rules.x', role: 'committee', branchCode: 'b9' }),
    ).rejects.toThrow(/No branch/);
    await expect(
      admin.createUser({ ...base, username: 'rules.short', role: 'admin', password: 'short' }),
    ).rejects.toThrow(/at least 8/);
    expect(await admin.createUser({ ...base, username: 'rules.sup', role: 'supervisor' })).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });
});

describe('demo seeding', () => {
  it('seeds the five associations, two branches each, and the six accounts of each, only into an empty database', async () => {
    const fresh = await createTestDb();
    try {
      const admin = createAdminService(fresh.db, fastHash);
      const seeded = await seedDemo(admin);
      expect(demoAssociations.map((a) => a.code)).toEqual(['ld', 'bakkah', 'awn', 'qalb', 'kadi']);
      expect(seeded).toHaveLength(30);
      for (const code of ['ld', 'bakkah', 'awn', 'qalb', 'kadi']) {
        const mine = seeded.filter((s) => s.association === code);
        expect(mine.map((s) => s.username).sort()).toEqual(
          ['admin', 'committee', 'rep1', 'rep2', 'researcher', 'supervisor'].map((s) => `${code}.${s}`),
        );
        expect(mine.find((s) => s.username === `${code}.rep1`)?.branch).toBe('b1');
        expect(mine.find((s) => s.username === `${code}.rep2`)?.branch).toBe('b2');
        expect(mine.find((s) => s.username === `${code}.admin`)?.branch).toBeNull();
      }
      const branches = await fresh.db.query<{ n: number }>('SELECT count(*)::int AS n FROM branches');
      expect(branches[0]?.n).toBe(10);

      // Idempotent: a second start with demo mode seeds nothing.
      expect(await seedDemo(admin)).toEqual([]);

      const { app } = testApp(fresh.db);
      const response = await app.request(
        '/api/v1/auth/login',
        jsonRequest({
          username: 'kadi.rep1',
          password: DEMO_PASSWORD,
          deviceId: '3b1c2d3e-4f50-4a61-8b72-9c83d4e5f600',
          deviceName: 't',
        }),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ association: { code: 'kadi' }, branch: { code: 'b1' } });
    } finally {
      await fresh.drop();
    }
  });
});

/** The admin CLI's commands, run in this process (backup.test.ts runs the real `npm run admin` process). */
async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin = '',
): Promise<{ code: number | null; out: string }> {
  let out = '';
  const code = await runAdmin(args, {
    env,
    stdin: Readable.from([stdin]),
    print: (line) => (out += `${line}\n`),
    printError: (line) => (out += `${line}\n`),
  });
  return { code, out };
}

describe('admin CLI', () => {
  it('creates an association, a branch and a user (password from stdin), and revokes a device', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasel-cli-'));
    const env = { DATA_DIR: dataDir };
    try {
      expect(
        (
          await runCli(
            [
              'create-association',
              '--code',
              'nour',
              '--name-ar',
              'جمعية نور',
              '--name-en',
              'Nour',
              '--profile',
              'kadi',
            ],
            env,
          )
        ).code,
      ).toBe(0);
      expect(
        (
          await runCli(
            [
              'create-branch',
              '--association',
              'nour',
              '--code',
              'main',
              '--name-ar',
              'الرئيسي',
              '--name-en',
              'Main',
            ],
            env,
          )
        ).code,
      ).toBe(0);
      const user = await runCli(
        [
          'create-user',
          '--association',
          'nour',
          '--branch',
          'main',
          '--username',
          'nour.rep',
          '--name',
          'مندوب',
          '--role',
          'representative',
        ],
        env,
        's3cret-password\n',
      );
      expect(user.out).toContain('User created');
      expect(user.code).toBe(0);

      const bad = await runCli(
        ['create-user', '--association', 'nour', '--username', 'x.y', '--name', 'n', '--role', 'boss'],
        env,
      );
      expect(bad.code).toBe(1);
      expect(bad.out).toContain('--role must be one of');

      const device = '4b1c2d3e-4f50-4a61-8b72-9c83d4e5f600';
      const missing = await runCli(['revoke-device', '--association', 'nour', '--device', device], env);
      expect(missing.code).toBe(1);
      expect(missing.out).toContain('not_found');

      // The user the CLI created can log in, which registers the device.
      const db = await openPglite(dataDir);
      const response = await testApp(db).app.request(
        '/api/v1/auth/login',
        jsonRequest({
          username: 'nour.rep',
          password: 's3cret-password',
          deviceId: device,
          deviceName: 'Field tablet',
        }),
      );
      expect(response.status).toBe(200);
      await db.close();

      expect((await runCli(['list-devices', '--association', 'nour'], env)).out).toMatch(
        /Field tablet .* by nour\.rep\s+active/,
      );
      expect(
        (
          await runCli(
            ['revoke-device', '--association', 'nour', '--device', device, '--reason', 'lost'],
            env,
          )
        ).code,
      ).toBe(0);
      expect((await runCli(['list-devices', '--association', 'nour'], env)).out).toContain('revoked');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    // Eight commands, each opening the database on disk: a few seconds on the 2-core CI machine, more when
    // it is busy. A limit, not a measure.
  }, 60_000);
});
