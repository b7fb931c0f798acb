// Hostile input on every route: wrong types, huge and deeply nested bodies, unicode tricks, SQL and HTML
// payloads, other tenants' ids, broken tus headers — with no token, a forged one, or a real one of either
// association. Every answer must be below 500, every refusal a JSON error with a stable code, the server
// must keep answering, and no record or file may change.
import { COMPLAINT_PAGE_PATH } from '../../src/protocol/complaints';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { ErrorCode, apiErrorBodySchema } from '../../src/protocol/errors';
import { jsonRequest, useKadiTestApp } from './helpers';

const env = useKadiTestApp();
const tokens: Record<string, string> = {};

beforeAll(async () => {
  for (const username of ['kadi.rep1', 'bakkah.rep1', 'kadi.admin']) {
    const response = await env.app.request(
      '/api/v1/auth/login',
      jsonRequest({ username, password: 'correct-horse', deviceId: randomUUID(), deviceName: 'fuzz' }),
    );
    tokens[username] = ((await response.json()) as { accessToken: string }).accessToken;
  }
});

const hostileStrings = [
  "' OR 1=1 --",
  "'; DROP TABLE records; --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u202Eمرحبا\u202C',
  '\u0000',
  '\uD800',
  '../../../../etc/passwd',
  '%00',
  '${jndi:ldap://x}',
  '١٠٠٠٠٠٠٠٠٨',
  'x'.repeat(70_000),
  'NaN',
  '-1',
  '1e309',
];
const hostileString = fc.oneof(fc.constantFrom(...hostileStrings), fc.string({ unit: 'binary' }), fc.uuid());

/** JSON nested `depth` levels deep, as text (a parser's recursion is the target). */
const deepJson = fc.integer({ min: 50, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));

const body = fc.oneof(
  fc.constant(undefined),
  fc.json(),
  deepJson,
  fc.jsonValue().map((v) => JSON.stringify({ mutations: [v], clientId: v, cursor: v })),
  hostileString,
  // Almost right: a push whose mutation has every field of the wrong type.
  fc
    .record({ id: hostileString, seq: fc.oneof(fc.integer(), hostileString), entity: hostileString })
    .map((m) => JSON.stringify({ clientId: randomUUID(), mutations: [m] })),
  // Over the 4 MB limit.
  fc.constant('{"a":"' + 'x'.repeat(4 * 1024 * 1024 + 10) + '"}'),
);

const authorization = fc.constantFrom<string | undefined>(
  undefined,
  'Bearer ',
  'Bearer not.a.token',
  'Basic a2FkaTpwYXNz',
  'kadi.rep1',
  'TOKEN:kadi.rep1',
  'TOKEN:bakkah.rep1',
  'TOKEN:kadi.admin',
);

const contentType = fc.constantFrom<string | undefined>(
  undefined,
  'application/json',
  'text/plain',
  'application/offset+octet-stream',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
);

/** What can travel in a header at all (fetch and Node's HTTP parser refuse control characters). */
const headerValue = hostileString.map((v) => v.replace(/[^\x20-\x7e]/g, '?').slice(0, 8000));

const tusHeaders = fc.record(
  {
    'Tus-Resumable': fc.constantFrom('1.0.0', '0.2', ''),
    'Upload-Length': fc.oneof(fc.integer().map(String), headerValue),
    'Upload-Offset': fc.oneof(fc.integer().map(String), headerValue),
    'Upload-Metadata': fc.oneof(headerValue, fc.constant('sha256 ,mimeType aW1hZ2UvanBlZw==')),
  },
  { requiredKeys: [] },
);

/** A concrete path for a route pattern: its parameters filled with hostile values. */
function pathOf(pattern: string, param: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(param);
  } catch {
    // A lone surrogate cannot be encoded: send the invalid UTF-8 it would have been.
    encoded = '%ED%A0%80';
  }
  return pattern.replace(/:[a-z0-9]+/gi, encoded).replace('*', 'v1/fuzz');
}

const routes = () =>
  [...new Set(env.app.routes.filter((r) => r.handler.length < 2).map((r) => `${r.method} ${r.path}`))].map(
    (key) => {
      const [method = 'GET', path = '/'] = key.split(' ');
      return { method, path };
    },
  );

const stableCodes = new Set<string>(Object.values(ErrorCode));

async function dataFingerprint() {
  const rows = await env.db.query<{ what: string; n: string | number }>(
    `SELECT 'records' AS what, count(*) AS n FROM records
     UNION ALL SELECT 'versions', coalesce(sum(version), 0) FROM association_versions
     UNION ALL SELECT 'files', count(*) FROM attachment_files
     UNION ALL SELECT 'users', count(*) FROM users
     UNION ALL SELECT 'disabled or reset', count(*) FROM users WHERE disabled_at IS NOT NULL OR must_change_password
     UNION ALL SELECT 'branches', count(*) FROM branches WHERE closed_at IS NULL
     UNION ALL SELECT 'profile versions', count(*) FROM association_profiles`,
  );
  return Object.fromEntries(rows.map((r) => [r.what, Number(r.n)]));
}

it('2,000+ hostile requests over every route: only 4xx with stable codes (or a harmless 2xx), no 5xx, nothing changed', async () => {
  const before = await dataFingerprint();
  const all = routes();
  expect(all.length).toBeGreaterThanOrEqual(17);
  let sent = 0;
  const seen = new Map<number, number>();
  for (const route of all) {
    await fc.assert(
      fc.asyncProperty(
        hostileString,
        body,
        authorization,
        contentType,
        tusHeaders,
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.array(fc.tuple(fc.constantFrom('cursor', 'limit', 'q', 'id'), hostileString), { maxLength: 3 }),
        async (param, payload, auth, type, tus, anyMethod, query) => {
          const method = route.method === 'ALL' ? anyMethod : route.method;
          const search = new URLSearchParams(query).toString();
          const headers: Record<string, string> = { ...tus };
          if (type !== undefined) headers['Content-Type'] = type;
          if (auth !== undefined)
            headers.Authorization = auth.startsWith('TOKEN:')
              ? `Bearer ${tokens[auth.slice('TOKEN:'.length)] ?? ''}`
              : auth;
          const withBody = payload !== undefined && !['GET', 'HEAD'].includes(method);
          const response = await env.app.request(
            `${pathOf(route.path, param)}${search === '' ? '' : `?${search}`}`,
            { method, headers, ...(withBody ? { body: payload } : {}) },
          );
          sent += 1;
          seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
          expect(response.status, `${method} ${route.path}`).toBeLessThan(500);
          // The public complaint form answers people, not programs: its refusals are pages (under its own CSP).
          if (response.status >= 400 && route.path.startsWith(COMPLAINT_PAGE_PATH)) {
            expect(response.headers.get('Content-Type'), `${method} ${route.path}`).toContain('text/html');
            expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
          } else if (response.status >= 400 && method !== 'HEAD') {
            expect(response.headers.get('Content-Type'), `${method} ${route.path}`).toContain(
              'application/json',
            );
            const text = await response.text();
            const parsed = apiErrorBodySchema.safeParse(JSON.parse(text));
            expect(parsed.success, `${method} ${route.path} → ${response.status} ${text.slice(0, 200)}`).toBe(
              true,
            );
            if (parsed.success) expect(stableCodes.has(parsed.data.error.code)).toBe(true);
          }
        },
      ),
      { numRuns: 120, seed: 20261122 },
    );
  }
  expect(sent).toBeGreaterThanOrEqual(2000);
  // Still up, and nothing changed.
  expect((await env.app.request('/api/v1/health')).status).toBe(200);
  expect(await dataFingerprint()).toEqual(before);
  console.log(`fuzz: ${sent} requests; statuses ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
}, 600_000);
