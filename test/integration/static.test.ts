// Serving the built PWA: cache headers, the app shell for client routes, and /api never answered with HTML.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompress, type Precompressed } from '../../server/http/precompress';
import { createTestDb, jsonRequest, seedTenants, testApp, type TestDb } from './helpers';

let t: TestDb;
let dir: string;
let app: ReturnType<typeof testApp>['app'];
let compressed: Precompressed;
/** A script big enough to be worth compressing, as the built chunks are. */
const script = Array.from(
  { length: 400 },
  (_, i) => `export const label${String(i)} = 'تسمية ${String(i)}';`,
).join('\n');

beforeAll(async () => {
  t = await createTestDb();
  await seedTenants(t.db);
  dir = await mkdtemp(join(tmpdir(), 'wasel-static-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>shell</title><div id="app"></div>');
  await writeFile(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(join(dir, 'manifest.webmanifest'), '{"name":"واصل"}');
  await writeFile(join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
  await writeFile(join(dir, 'assets', 'app-XyZ789.js'), script);
  await writeFile(join(dir, 'assets', 'photo-Q1w2E3.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
  compressed = await precompress(join(dir, 'assets'));
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

describe('compression', () => {
  const get = (path: string, acceptEncoding?: string) =>
    app.request(path, acceptEncoding === undefined ? {} : { headers: { 'Accept-Encoding': acceptEncoding } });

  it('the build keeps a brotli and a gzip copy of each script, only where they are smaller', () => {
    // Two scripts; the one-line script gains nothing, the photo is not text.
    expect(compressed.files).toBe(2);
    expect(compressed.brotli).toBeLessThan(compressed.gzip);
    expect(compressed.gzip).toBeLessThan(compressed.bytes / 4);
  });

  it('sends the copy the browser accepts, brotli first, and says the answer varies with it', async () => {
    const br = await get('/assets/app-XyZ789.js', 'gzip, deflate, br, zstd');
    expect(br.headers.get('Content-Encoding')).toBe('br');
    expect(br.headers.get('Vary')).toContain('Accept-Encoding');
    expect(br.headers.get('Content-Type')).toMatch(/javascript/);
    expect(br.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    const sent = Buffer.from(await br.arrayBuffer());
    expect(Number(br.headers.get('Content-Length'))).toBe(sent.length);
    expect(brotliDecompressSync(sent).toString()).toBe(script);

    const gz = await get('/assets/app-XyZ789.js', 'gzip, deflate');
    expect(gz.headers.get('Content-Encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(script);

    const plain = await get('/assets/app-XyZ789.js');
    expect(plain.headers.get('Content-Encoding')).toBeNull();
    expect(plain.headers.get('Vary')).toContain('Accept-Encoding');
    expect(await plain.text()).toBe(script);
  });

  it('sends a file with no smaller copy as it is, and never compresses an image', async () => {
    const tiny = await get('/assets/index-AbC123.js', 'br, gzip');
    expect(tiny.headers.get('Content-Encoding')).toBeNull();
    expect(await tiny.text()).toBe('console.log(1)');
    const photo = await get('/assets/photo-Q1w2E3.jpg', 'br, gzip');
    expect(photo.headers.get('Content-Encoding')).toBeNull();
    expect(photo.headers.get('Vary')).toBeNull();
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
