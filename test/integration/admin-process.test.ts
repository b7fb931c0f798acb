// Issue 19's API as an outsider checks it: the server process started as `npm start` starts it (demo data,
// PGlite in a fresh data directory), called over loopback HTTP with plain JSON and nothing of the app's
// code: branches, users, disable and enable, the profile read and saved with its version, and the refusals
// (400 with fields, 403 for anyone but the association's own administrator, 409 on a stale version).
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import * as z from 'zod/mini';
import { apiCall, useDemoServerProcess } from './helpers';

const server = useDemoServerProcess('wasel-admin-process-');

const object = z.record(z.string(), z.unknown());
const errorBody = z.object({ error: z.object({ code: z.string(), details: z.optional(z.unknown()) }) });

async function call(method: string, path: string, token: string | null, body?: unknown) {
  const response = await fetch(`${server()}${path}`, apiCall(method, token, body));
  const text = await response.text();
  const json = object.parse(text === '' ? {} : JSON.parse(text));
  const error = errorBody.safeParse(json);
  return {
    status: response.status,
    json,
    code: error.success ? error.data.error.code : null,
    details: error.success ? error.data.error.details : undefined,
  };
}

async function login(username: string, password = 'wasel-demo') {
  return call('POST', '/api/v1/auth/login', null, {
    username,
    password,
    deviceId: randomUUID(),
    deviceName: 'black box',
  });
}
const token = async (username: string) => String((await login(username)).json.accessToken);

it('branches, users, disable and enable, the versioned profile: the answers item 4 names', async () => {
  const admin = await token('kadi.admin');

  const branch = await call('POST', '/api/v1/admin/branches', admin, {
    code: 'east',
    nameAr: 'فرع الشرق',
    nameEn: 'East',
  });
  expect(branch.status).toBe(201);
  expect(branch.json).toMatchObject({ code: 'east', nameAr: 'فرع الشرق', nameEn: 'East' });
  expect(typeof branch.json.id).toBe('string');

  const user = await call('POST', '/api/v1/admin/users', admin, {
    username: 'kadi.newrep',
    name: 'مندوبة جديدة',
    role: 'representative',
    branchId: branch.json.id,
    password: 'temporary-1',
  });
  expect(user.status).toBe(201);
  expect(user.json).toMatchObject({
    username: 'kadi.newrep',
    role: 'representative',
    branchId: branch.json.id,
  });
  const userId = String(user.json.id);
  expect((await login('kadi.newrep', 'temporary-1')).json.mustChangePassword).toBe(true);

  const disabled = await call('POST', `/api/v1/admin/users/${userId}/disable`, admin, { reason: 'left' });
  expect(disabled.status).toBe(200);
  const refused = await login('kadi.newrep', 'temporary-1');
  expect([refused.status, refused.code]).toEqual([403, 'account_disabled']);
  expect((await call('POST', `/api/v1/admin/users/${userId}/enable`, admin)).status).toBe(200);
  expect((await login('kadi.newrep', 'temporary-1')).status).toBe(200);

  const profile = await call('GET', '/api/v1/profile', await token('kadi.rep1'));
  expect(profile.status).toBe(200);
  const version = Number(profile.json.version);
  expect(version).toBeGreaterThanOrEqual(1);
  const changed = {
    ...object.parse(profile.json.profile),
    declaration: { ar: 'أقر بصحة ما قدمته من بيانات.', en: 'I confirm the data I gave is correct.' },
  };
  const saved = await call('PUT', '/api/v1/admin/profile', admin, { baseVersion: version, profile: changed });
  expect([saved.status, saved.json]).toEqual([200, { version: version + 1 }]);
  const stale = await call('PUT', '/api/v1/admin/profile', admin, { baseVersion: version, profile: changed });
  expect(stale.status).toBe(409);
  const invalid = await call('PUT', '/api/v1/admin/profile', admin, {
    baseVersion: version + 1,
    profile: { ...changed, serviceTypes: 'none' },
  });
  expect(invalid.status).toBe(400);
  expect(JSON.stringify(invalid.details)).toContain('serviceTypes');
  const after = await call('GET', '/api/v1/profile', await token('kadi.rep1'));
  expect(after.json.version).toBe(version + 1);
  expect(object.parse(after.json.profile).declaration).toEqual(changed.declaration);
});

it("anyone but the association's own administrator is refused with 403", async () => {
  const kadiAdmin = await token('kadi.admin');
  const b = await call('POST', '/api/v1/admin/branches', kadiAdmin, {
    code: 'west',
    nameAr: 'غرب',
    nameEn: 'West',
  });
  const u = await call('POST', '/api/v1/admin/users', kadiAdmin, {
    username: 'kadi.other',
    name: 'x',
    role: 'supervisor',
    password: 'temporary-1',
  });
  for (const who of ['kadi.rep1', 'kadi.supervisor', 'kadi.committee']) {
    const t = await token(who);
    expect(
      (await call('POST', '/api/v1/admin/branches', t, { code: 'z1', nameAr: 'ز', nameEn: 'Z' })).status,
    ).toBe(403);
    expect(
      (await call('POST', `/api/v1/admin/users/${String(u.json.id)}/disable`, t, { reason: 'x' })).status,
    ).toBe(403);
    const p = await call('GET', '/api/v1/profile', t);
    expect(
      (
        await call('PUT', '/api/v1/admin/profile', t, {
          baseVersion: p.json.version,
          profile: p.json.profile,
        })
      ).status,
    ).toBe(403);
  }
  const bakkah = await token('bakkah.admin');
  expect(
    (await call('POST', `/api/v1/admin/users/${String(u.json.id)}/disable`, bakkah, { reason: 'x' })).status,
  ).toBe(403);
  expect((await call('POST', `/api/v1/admin/users/${String(u.json.id)}/enable`, bakkah)).status).toBe(403);
  expect(
    (
      await call('POST', `/api/v1/admin/users`, bakkah, {
        username: 'bakkah.x',
        name: 'x',
        role: 'representative',
        branchId: b.json.id,
        password: 'temporary-1',
      })
    ).status,
  ).toBe(403);
  expect(
    (await call('POST', '/api/v1/admin/branches', null, { code: 'q', nameAr: 'ق', nameEn: 'Q' })).status,
  ).toBe(401);
});
