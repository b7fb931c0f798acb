// What an operator relies on, over HTTP: an id on every answer, readiness apart from liveness (503 while
// draining), and Prometheus metrics for a scraper holding the token — by route pattern, never by a path that
// names a record. The process-level drain on SIGTERM is in process.test.ts. Runs on PGlite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { clientAddress } from '../../server/http/complaint-routes';
import { createMetrics } from '../../server/http/metrics';
import { createTestDb, seedTenants, testApp, type TestDb } from './helpers';

const token = 'scraper-token-0123456789';
let t: TestDb;
let draining = false;
let app: ReturnType<typeof testApp>['app'];

beforeAll(async () => {
  t = await createTestDb();
  await seedTenants(t.db);
  app = testApp(t.db, undefined, undefined, {
    metrics: createMetrics(),
    metricsToken: token,
    draining: () => draining,
  }).app;
});
afterAll(async () => {
  await t.drop();
});

describe('request ids', () => {
  it('gives every answer an id, and keeps the one a proxy sent', async () => {
    const first = (await app.request('/api/v1/health')).headers.get('X-Request-Id') ?? '';
    const second = (await app.request('/api/v1/health')).headers.get('X-Request-Id') ?? '';
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
    const sent = await app.request('/api/v1/health', { headers: { 'X-Request-Id': 'nginx-7f3a' } });
    expect(sent.headers.get('X-Request-Id')).toBe('nginx-7f3a');
  });
});

describe('liveness and readiness', () => {
  it('is ready while its database answers; while draining it says 503 and still lives', async () => {
    const ready = await app.request('/api/v1/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    draining = true;
    try {
      const drained = await app.request('/api/v1/ready');
      expect(drained.status).toBe(503);
      expect(await drained.json()).toEqual({ status: 'draining' });
      expect((await app.request('/api/v1/health')).status).toBe(200);
    } finally {
      draining = false;
    }
  });
});

describe('the client’s address behind a reverse proxy', () => {
  const addressOf = async (trustProxy: boolean, forwarded?: string) => {
    const probe = new Hono();
    probe.get('/', (c) => c.text(clientAddress(c, trustProxy)));
    const socket = { incoming: { socket: { remoteAddress: '10.9.8.7' } } };
    const headers: Record<string, string> = forwarded === undefined ? {} : { 'X-Forwarded-For': forwarded };
    return (await probe.request('/', { headers }, socket)).text();
  };

  it('is the socket’s, and a forwarded header is ignored, unless the proxy is trusted', async () => {
    expect(await addressOf(false)).toBe('10.9.8.7');
    expect(await addressOf(false, '203.0.113.5')).toBe('10.9.8.7');
  });

  it('trusted, is the entry the proxy added (the last), never one the client wrote before it', async () => {
    expect(await addressOf(true, '203.0.113.5')).toBe('203.0.113.5');
    expect(await addressOf(true, '198.51.100.1, 203.0.113.5')).toBe('203.0.113.5');
    expect(await addressOf(true)).toBe('10.9.8.7');
  });
});

describe('metrics', () => {
  const scrape = (authorization?: string) =>
    app.request('/metrics', authorization === undefined ? {} : { headers: { Authorization: authorization } });

  it('are for the scraper holding the token only', async () => {
    const refused = await scrape();
    expect(refused.status).toBe(401);
    expect(refused.headers.get('WWW-Authenticate')).toBe('Bearer');
    expect(await refused.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await scrape('Bearer not-the-token-at-all')).status).toBe(401);
    expect((await scrape(`Bearer ${token}x`)).status).toBe(401);
    const ok = await scrape(`Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Content-Type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('count answers by route pattern, method and status, and the process itself', async () => {
    const id = randomUUID();
    await app.request('/api/v1/health');
    await app.request(`/api/v1/beneficiaries/${id}/export?format=json`);
    const text = await (await scrape(`Bearer ${token}`)).text();
    expect(text).toMatch(
      /wasel_http_request_duration_seconds_count\{route="\/api\/v1\/health",method="GET",status="200"\} [1-9]/,
    );
    // The unauthenticated export is answered by the guard in front of every API route: its pattern, not the id.
    expect(text).toMatch(
      /wasel_http_request_duration_seconds_count\{route="\/api\/\*",method="GET",status="401"\} [1-9]/,
    );
    expect(text).not.toContain(id);
    expect(text).toContain('wasel_process_cpu_user_seconds_total');
    expect(text).toContain('wasel_nodejs_eventloop_lag_seconds');
    expect(text).toContain('wasel_draining 0');
  });
});
