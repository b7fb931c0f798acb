// Serving the built PWA: cache headers, the app shell for client routes, and /api never answered with HTML.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, jsonRequest, seedTenants, testApp, type TestDb } from './helpers';

let t: TestDb;
let dir: string;
let app: ReturnType<typeof testApp>['app'];

beforeAll(async () => {
  t = await createTestDb();
  await seedTenants(t.db);
  dir = await mkdtemp(join(tmpdir(), 'wasel-static-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>shell</title><div id="app"></div>');
  await writeFile(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(join(dir, 'manifest.webmanifest'), '{"name":"واصل"}');
  await writeFile(join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
  app = testApp(t.db, undefined, dir).app;
});
afterAll(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('cache headers', () => {
  it('hashed assets are immutable for a year', async () => {
    const response = await app.request('/assets/index-AbC123.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('Content-Type')).toMatch(/javascript/);
  });

  it('index.html, sw.js and the manifest are revalidated on every use', async () => {
    for (const path of ['/', '/index.html', '/sw.js', '/manifest.webmanifest']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('Cache-Control'), path).toBe('no-cache');
    }
  });
});

describe('routing', () => {
  it('client-side routes get the app shell', async () => {
    const response = await app.request('/s/worklist');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="app">');
    expect(response.headers.get('Cache-Control')).toBe('no-cache');
  });

  it('a missing file is a 404, not the shell', async () => {
    expect((await app.request('/assets/missing-123.js')).status).toBe(404);
  });

  it('/api/* is never answered with the shell', async () => {
    const anonymous = await app.request('/api/v1/whatever');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('Content-Type')).toMatch(/application\/json/);
    const login = await app.request(
      '/api/v1/auth/login',
      jsonRequest({
        username: 'kadi.rep1',
        password: 'correct-horse',
        deviceId: '0b1c2d3e-4f50-4a61-8b72-9c83d4e5f607',
        deviceName: 't',
      }),
    );
    const { accessToken } = (await login.json()) as { accessToken: string };
    const missing = await app.request('/api/v1/whatever', {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('<div id="app">');
  });

  it('path traversal does not leave the static directory', async () => {
    const response = await app.request('/..%2f..%2f..%2fetc%2fpasswd');
    expect(await response.text()).not.toContain('root:');
  });

  it('sends a content security policy that allows only the app itself', async () => {
    const csp = (await app.request('/')).headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
