// The auth contract of ARCHITECTURE.md, through the HTTP app, on PGlite or PostgreSQL.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginResponseSchema, tokenPairSchema, type LoginResponse } from '../../src/protocol/auth';
import { apiErrorBodySchema } from '../../src/protocol/errors';
import { signAccessToken, verifyAccessToken } from '../../server/crypto/tokens';
import type { AdminService } from '../../server/services/admin-service';
import {
  bearer,
  createTestDb,
  deviceA,
  deviceB,
  jsonRequest,
  seedTenants,
  testApp,
  testClock,
  type TestDb,
} from './helpers';

let t: TestDb;
let admin: AdminService;
let app: ReturnType<typeof testApp>['app'];
const clock = testClock();

beforeAll(async () => {
  t = await createTestDb();
  admin = await seedTenants(t.db);
  app = testApp(t.db, clock).app;
});
afterAll(async () => {
  await t.drop();
});

async function errorCode(response: Response): Promise<string> {
  return apiErrorBodySchema.parse(await response.json()).error.code;
}

function login(username: string, password = 'correct-horse', deviceId = deviceA) {
  return app.request(
    '/api/v1/auth/login',
    jsonRequest({ username, password, deviceId, deviceName: 'Test tablet' }),
  );
}

async function loggedIn(username: string, deviceId = deviceA): Promise<LoginResponse> {
  const response = await login(username, 'correct-horse', deviceId);
  expect(response.status).toBe(200);
  return loginResponseSchema.parse(await response.json());
}

describe('login', () => {
  it('returns tokens and the user with their own association and branch', async () => {
    const body = await loggedIn('kadi.rep1');
    expect(body.user).toMatchObject({ username: 'kadi.rep1', role: 'representative' });
    expect(body.association).toMatchObject({ code: 'kadi', nameEn: 'Kadi Association' });
    expect(body.branch).toMatchObject({ code: 'b1' });
    expect(body.expiresIn).toBe(900);

    const me = await app.request('/api/v1/me', bearer(body.accessToken));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ association: { code: 'kadi' }, user: { id: body.user.id } });
  });

  it('gives each association its own identity (bakkah.rep1 sees Bakkah, not Kadi)', async () => {
    const body = await loggedIn('bakkah.rep1');
    const me = await (await app.request('/api/v1/me', bearer(body.accessToken))).json();
    expect(me).toMatchObject({ association: { code: 'bakkah', nameAr: 'جمعية بكة للخدمات الإنسانية' } });
    expect(JSON.stringify(me)).not.toContain('كادي');
  });

  it('accepts the username in any case and with surrounding spaces', async () => {
    const response = await login('  KADI.Rep1 ');
    expect(response.status).toBe(200);
  });

  it('answers 401 invalid_credentials for a wrong password and for an unknown user alike', async () => {
    const wrong = await login('kadi.admin', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(await errorCode(wrong)).toBe('invalid_credentials');
    const unknown = await login('nobody.here');
    expect(unknown.status).toBe(401);
    expect(await errorCode(unknown)).toBe('invalid_credentials');
  });

  it('answers 400 invalid_request with the fields for a malformed body, and for non-JSON', async () => {
    const response = await app.request(
      '/api/v1/auth/login',
      jsonRequest({ username: 'x', deviceId: 'nope' }),
    );
    expect(response.status).toBe(400);
    const body = apiErrorBodySchema.parse(await response.json());
    expect(body.error.code).toBe('invalid_request');
    expect(JSON.stringify(body.error.details)).toContain('deviceId');
    const notJson = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{not json',
    });
    expect(notJson.status).toBe(400);
    expect(await errorCode(notJson)).toBe('invalid_request');
  });

  it('refuses a body over the limit with 413 payload_too_large', async () => {
    const response = await app.request(
      '/api/v1/auth/login',
      jsonRequest({
        username: 'kadi.rep1',
        password: 'x'.repeat(5 * 1024 * 1024),
        deviceId: deviceA,
        deviceName: 't',
      }),
    );
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe('payload_too_large');
  });
});

describe('throttling failed logins', () => {
  it('answers the 6th failure in a row with 429 and Retry-After, even with the right password, until 15 minutes pass', async () => {
    await admin.createUser({
      associationCode: 'kadi',
      branchCode: 'b2',
      username: 'kadi.throttled',
      displayName: 'x',
      role: 'researcher',
      password: 'correct-horse',
    });
    for (let i = 1; i <= 5; i++) {
      const response = await login('kadi.throttled', `wrong-${i}`);
      expect(response.status).toBe(401);
      clock.advance(10_000);
    }
    const sixth = await login('kadi.throttled', 'wrong-6');
    expect(sixth.status).toBe(429);
    expect(await errorCode(sixth)).toBe('too_many_attempts');
    const retryAfter = Number(sixth.headers.get('Retry-After'));
    // The oldest of the five failures was 50 s ago: 15 min − 50 s remain.
    expect(retryAfter).toBe(15 * 60 - 50);

    const rightPassword = await login('kadi.throttled');
    expect(rightPassword.status).toBe(429);

    // Other usernames are not affected.
    expect((await login('kadi.rep1')).status).toBe(200);

    clock.advance(retryAfter * 1000);
    expect((await login('kadi.throttled')).status).toBe(200);
  });

  it('starts counting again after a successful login', async () => {
    clock.advance(15 * 60 * 1000);
    for (let i = 0; i < 4; i++) expect((await login('kadi.admin', 'wrong')).status).toBe(401);
    expect((await login('kadi.admin')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login('kadi.admin', 'wrong')).status).toBe(401);
    expect((await login('kadi.admin', 'wrong')).status).toBe(429);
    clock.advance(15 * 60 * 1000);
  });
});

describe('access tokens', () => {
  it('answers 401 on every other API call without a valid token, including unknown routes', async () => {
    for (const path of ['/api/v1/me', '/api/v1/sync/pull', '/api/v1/does-not-exist', '/api/v2/anything']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(401);
      expect(await errorCode(response)).toBe('unauthorized');
    }
    const garbage = await app.request('/api/v1/me', bearer('not.a.jwt'));
    expect(garbage.status).toBe(401);
    const noBearer = await app.request('/api/v1/me', { headers: { Authorization: 'Basic a2FkaTpwdw==' } });
    expect(noBearer.status).toBe(401);
  });

  it('rejects a token signed with another secret', async () => {
    const { sign } = await import('hono/jwt');
    const body = await loggedIn('kadi.rep1');
    const [, payload] = body.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const forged = await sign({ ...claims, role: 'admin' }, 'another-secret-another-secret-another', 'HS256');
    const response = await app.request('/api/v1/me', bearer(forged));
    expect(response.status).toBe(401);
  });

  it('expires after 15 minutes with 401 token_expired', async () => {
    const body = await loggedIn('kadi.rep1');
    clock.advance(15 * 60 * 1000 + 1000);
    const response = await app.request('/api/v1/me', bearer(body.accessToken));
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('token_expired');
  });

  it("checks a token's signature once, and its expiry at every use", async () => {
    const body = await loggedIn('kadi.rep1');
    const verify = vi.spyOn(crypto.subtle, 'verify');
    try {
      for (let i = 0; i < 3; i++)
        expect((await app.request('/api/v1/me', bearer(body.accessToken))).status).toBe(200);
      expect(verify).toHaveBeenCalledTimes(1);
      // A token that differs from a checked one by a character is checked, and refused.
      const [head, payload, signature = ''] = body.accessToken.split('.');
      const altered = `${head}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      expect((await app.request('/api/v1/me', bearer(altered))).status).toBe(401);
      expect(verify).toHaveBeenCalledTimes(2);
      clock.advance(15 * 60 * 1000 + 1000);
      const expired = await app.request('/api/v1/me', bearer(body.accessToken));
      expect(expired.status).toBe(401);
      expect(await errorCode(expired)).toBe('token_expired');
    } finally {
      verify.mockRestore();
    }
  });

  it('does not take a token checked under one secret as signed with another', async () => {
    const secretA = 'first-secret-first-secret-first-secret-0123';
    const secretB = 'second-secret-second-secret-second-secret-01';
    const now = Date.parse('2026-12-07T08:00:00Z');
    const token = await signAccessToken(
      {
        sub: crypto.randomUUID(),
        role: 'representative',
        aid: crypto.randomUUID(),
        bid: null,
        did: crypto.randomUUID(),
        sid: crypto.randomUUID(),
      },
      secretA,
      now,
    );
    expect((await verifyAccessToken(token, secretA, now)).ok).toBe(true);
    expect(await verifyAccessToken(token, secretB, now)).toEqual({ ok: false, reason: 'invalid' });
    expect((await verifyAccessToken(token, secretA, now)).ok).toBe(true);
  });

  it('answers 404 not_found as JSON for an unknown route when authenticated', async () => {
    const body = await loggedIn('kadi.rep1');
    const response = await app.request('/api/v1/nope', bearer(body.accessToken));
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe('not_found');
  });
});

describe('refresh tokens', () => {
  async function refresh(refreshToken: string, deviceId = deviceA) {
    return app.request('/api/v1/auth/refresh', jsonRequest({ refreshToken, deviceId }));
  }

  it('rotates: each refresh gives a new pair, and the new access token works', async () => {
    const first = await loggedIn('kadi.rep1');
    const response = await refresh(first.refreshToken);
    expect(response.status).toBe(200);
    const second = tokenPairSchema.parse(await response.json());
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await app.request('/api/v1/me', bearer(second.accessToken))).status).toBe(200);
  });

  it('revokes the whole family when an old refresh token is reused', async () => {
    const first = await loggedIn('kadi.rep1');
    const second = tokenPairSchema.parse(await (await refresh(first.refreshToken)).json());
    const third = tokenPairSchema.parse(await (await refresh(second.refreshToken)).json());

    const reuse = await refresh(first.refreshToken);
    expect(reuse.status).toBe(401);
    expect(await errorCode(reuse)).toBe('refresh_token_reused');

    // The newest token of the family and its access token are dead too.
    const latest = await refresh(third.refreshToken);
    expect(latest.status).toBe(401);
    expect(await errorCode(latest)).toBe('session_revoked');
    const me = await app.request('/api/v1/me', bearer(third.accessToken));
    expect(me.status).toBe(401);
    expect(await errorCode(me)).toBe('session_revoked');

    // Another session of the same user is not affected.
    const other = await loggedIn('kadi.rep1');
    expect((await app.request('/api/v1/me', bearer(other.accessToken))).status).toBe(200);
  });

  it('treats a refresh token presented by another device as stolen', async () => {
    const first = await loggedIn('kadi.rep1');
    const response = await refresh(first.refreshToken, deviceB);
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('refresh_token_reused');
    expect((await refresh(first.refreshToken)).status).toBe(401);
  });

  it('refuses an unknown and an expired refresh token', async () => {
    const unknown = await refresh('x'.repeat(43));
    expect(unknown.status).toBe(401);
    expect(await errorCode(unknown)).toBe('invalid_refresh_token');
    const body = await loggedIn('kadi.rep1');
    clock.advance(31 * 24 * 60 * 60 * 1000);
    const expired = await refresh(body.refreshToken);
    expect(expired.status).toBe(401);
    expect(await errorCode(expired)).toBe('invalid_refresh_token');
  });
});

describe('logout and device revocation', () => {
  it('logout ends the session: refresh and access tokens stop working', async () => {
    const body = await loggedIn('kadi.rep1');
    const response = await app.request(
      '/api/v1/auth/logout',
      jsonRequest({ refreshToken: body.refreshToken }),
    );
    expect(response.status).toBe(204);
    expect((await app.request('/api/v1/me', bearer(body.accessToken))).status).toBe(401);
    const refreshed = await app.request(
      '/api/v1/auth/refresh',
      jsonRequest({ refreshToken: body.refreshToken, deviceId: deviceA }),
    );
    expect(refreshed.status).toBe(401);
  });

  it('a revoked device gets 401 device_revoked on every call, refresh and login', async () => {
    const device = '2b1c2d3e-4f50-4a61-8b72-9c83d4e5f609';
    const body = await loggedIn('bakkah.rep1', device);
    await admin.revokeDevice('bakkah', device, new Date(clock.now()), 'lost tablet');

    const me = await app.request('/api/v1/me', bearer(body.accessToken));
    expect(me.status).toBe(401);
    expect(await errorCode(me)).toBe('device_revoked');
    const refreshed = await app.request(
      '/api/v1/auth/refresh',
      jsonRequest({ refreshToken: body.refreshToken, deviceId: device }),
    );
    expect(await errorCode(refreshed)).toBe('device_revoked');
    const again = await login('bakkah.rep1', 'correct-horse', device);
    expect(again.status).toBe(401);
    expect(await errorCode(again)).toBe('device_revoked');

    // The same device id in another association is a different device.
    expect((await login('kadi.rep1', 'correct-horse', device)).status).toBe(200);
  });
});
