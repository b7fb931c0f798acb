// The OpenAPI document (server/openapi.ts) against the app it describes: every route the app registers has
// an entry and every entry a route, it is served, docs/openapi.json is its current copy, and it holds together
// (every $ref resolves, every path parameter is declared).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OPENAPI_PATH, openApiDocument, openApiPath } from '../../server/openapi';
import { createTestDb, testApp, type TestDb } from './helpers';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.drop();
});

type App = ReturnType<typeof testApp>['app'];
type Doc = ReturnType<typeof openApiDocument>;

const operationMethods = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'] as const;

/**
 * The routes the app answers, as `METHOD /path/{param}`. Hono lists every handler in `app.routes`, middleware
 * included: `use` and `all` appear as method ALL. Those on a wildcard path are middleware or the catch-alls
 * that answer 404 (`/api/*`, `/complaints/*`), not operations; any other ALL route is kept, so that it fails
 * the comparison (OpenAPI has no ALL: say which methods it answers).
 */
function registered(app: App): Set<string> {
  const found = new Set<string>();
  for (const r of app.routes) {
    if (r.method === 'ALL' && r.path.endsWith('*')) continue;
    found.add(`${r.method.toUpperCase()} ${openApiPath(r.path)}`);
  }
  return found;
}

function documented(doc: Doc): Set<string> {
  const found = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of operationMethods)
      if (item[method] !== undefined) found.add(`${method.toUpperCase()} ${path}`);
  return found;
}

/** What the app answers that the document does not describe, and what the document describes that no route answers. */
function compare(app: App, doc: Doc) {
  const routes = registered(app);
  const entries = documented(doc);
  // Hono answers HEAD with a GET route: a HEAD entry is answered by either.
  const answered = (entry: string) =>
    routes.has(entry) || (entry.startsWith('HEAD ') && routes.has(`GET ${entry.slice('HEAD '.length)}`));
  return {
    undocumented: [...routes].filter((r) => !entries.has(r)).sort(),
    unrouted: [...entries].filter((e) => !answered(e)).sort(),
  };
}

function expectSameRoutes(app: App, doc: Doc) {
  const { undocumented, unrouted } = compare(app, doc);
  expect(
    undocumented,
    `routes without an entry in server/openapi.ts (add them to \`routes\`): ${undocumented.join(', ')}`,
  ).toEqual([]);
  expect(unrouted, `entries in server/openapi.ts without a route in the app: ${unrouted.join(', ')}`).toEqual(
    [],
  );
}

it('describes every route the app registers, and only those', () => {
  const { app } = testApp(t.db);
  const doc = openApiDocument();
  expectSameRoutes(app, doc);
  // The tus upload routes, the file downloads and the pages are among them.
  const entries = documented(doc);
  for (const entry of [
    'POST /api/v1/attachments/uploads',
    'PATCH /api/v1/attachments/uploads/{id}',
    'HEAD /api/v1/attachments/uploads/{id}',
    'GET /api/v1/attachments/files/{sha256}',
    'GET /complaints/{association}',
    'GET /metrics',
    `GET ${OPENAPI_PATH}`,
  ])
    expect(entries).toContain(entry);
});

it('fails when a route has no entry, or an entry no route', () => {
  const { app } = testApp(t.db);
  const doc = openApiDocument();
  const { '/api/v1/me': removed, ...otherPaths } = doc.paths;
  expect(removed).toBeDefined();
  expect(compare(app, { ...doc, paths: otherPaths })).toEqual({
    undocumented: ['GET /api/v1/me'],
    unrouted: [],
  });
  app.get('/api/v1/undescribed/:id', (c) => c.body(null, 204));
  app.all('/api/v1/any-method', (c) => c.body(null, 204));
  expect(compare(app, { ...doc, paths: otherPaths })).toEqual({
    undocumented: ['ALL /api/v1/any-method', 'GET /api/v1/me', 'GET /api/v1/undescribed/{id}'],
    unrouted: [],
  });
  const { app: fresh } = testApp(t.db);
  const extra = { get: { operationId: 'nothing', responses: {} } };
  expect(compare(fresh, { ...doc, paths: { ...doc.paths, '/api/v1/nothing': extra } })).toEqual({
    undocumented: [],
    unrouted: ['GET /api/v1/nothing'],
  });
});

it(`serves the document at ${OPENAPI_PATH}, without a token, to be cached and revalidated`, async () => {
  const { app } = testApp(t.db);
  const response = await app.request(OPENAPI_PATH);
  expect(response.status).toBe(200);
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
  expect(response.headers.get('Cache-Control')).toBe('public, no-cache');
  const body: unknown = await response.json();
  expect(body).toMatchObject({ openapi: '3.1.0', info: { title: 'Wasel API' } });
  expect(body).toEqual(openApiDocument());
  const etag = response.headers.get('ETag');
  expect(etag).toMatch(/^".+"$/);
  const again = await app.request(OPENAPI_PATH, { headers: { 'If-None-Match': etag ?? '' } });
  expect(again.status).toBe(304);
  expect(await again.text()).toBe('');
  // Open to other origins, the revalidation too.
  expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
  expect(again.headers.get('Access-Control-Allow-Origin')).toBe('*');
  // The rest of the API keeps refusing to be cached.
  expect((await app.request('/api/v1/health')).headers.get('Cache-Control')).toBe('no-store');
});

it('docs/openapi.json is the document the code describes', () => {
  const file: unknown = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
  expect(file, 'docs/openapi.json is stale: run `npm run openapi`').toEqual(openApiDocument());
});

/** The value at a local JSON pointer (`#/components/schemas/X`), or undefined. */
function resolve(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let at: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function* refsIn(value: unknown, where = '#'): Generator<{ ref: string; where: string }> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* refsIn(v, `${where}/${i}`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') yield { ref: v, where };
      else yield* refsIn(v, `${where}/${k}`);
    }
  }
}

it('holds together: every $ref resolves, every path parameter is declared, every name is known', () => {
  const doc = openApiDocument();
  expect(doc.openapi).toBe('3.1.0');

  const broken = [...refsIn(doc)].filter(({ ref }) => resolve(doc, ref) === undefined);
  expect(broken, 'unresolved $refs').toEqual([]);

  const components = doc.components as {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
  for (const name of Object.keys(components.schemas)) expect(name).toMatch(/^[a-zA-Z0-9._-]+$/);
  const tags = new Set((doc.tags as { name: string }[]).map((tag) => tag.name));
  const operationIds = new Set<string>();

  for (const [path, item] of Object.entries(doc.paths)) {
    expect(path).toMatch(/^\/[^:]*$/);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    for (const method of operationMethods) {
      const op = item[method] as
        | {
            operationId: string;
            tags: string[];
            security: Record<string, unknown>[];
            parameters?: { name: string; in: string; required?: boolean }[];
            responses: Record<string, { $ref?: string; description?: string }>;
          }
        | undefined;
      if (op === undefined) continue;
      const at = `${method.toUpperCase()} ${path}`;
      expect(operationIds.has(op.operationId), `${at}: operationId ${op.operationId} used twice`).toBe(false);
      operationIds.add(op.operationId);
      for (const tag of op.tags) expect(tags, at).toContain(tag);
      for (const requirement of op.security)
        for (const scheme of Object.keys(requirement))
          expect(components.securitySchemes, at).toHaveProperty(scheme);
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect(pathParams.map((p) => p.name).sort(), `${at}: path parameters`).toEqual(templated);
      for (const p of pathParams) expect(p.required, `${at}: ${p.name} is required`).toBe(true);
      expect(Object.keys(op.responses).length, `${at}: responses`).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(op.responses)) {
        expect(status, at).toMatch(/^[1-5]\d\d$/);
        const answer = (response.$ref === undefined ? response : resolve(doc, response.$ref)) as {
          description?: unknown;
        };
        expect(typeof answer.description, `${at} ${status}: description`).toBe('string');
      }
    }
  }
});
