// What an operator's Prometheus scrapes (prom-client, the Node.js client it maintains): the process (CPU,
// memory, event-loop delay, handles) and every HTTP answer by route pattern, method and status, with its
// duration. Route patterns, never paths: a path carries record ids, and a label per id would grow forever.
// Served at /metrics only when WASEL_METRICS_TOKEN is set, to a scraper that sends it as a bearer token.
import { timingSafeEqual } from 'node:crypto';
import type { Context, Env, Hono } from 'hono';
import { routePath } from 'hono/route';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ErrorCode } from '../../src/protocol/errors';
import { errorResponse } from './errors';

export interface Metrics {
  /** Counts and times one answer; called once the answer is made. */
  observe(c: Context, seconds: number): void;
  /** 1 while the instance drains before it stops (readiness answers 503 meanwhile). */
  setDraining(draining: boolean): void;
  registry: Registry;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wasel_' });
  const answers = new Histogram({
    name: 'wasel_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const draining = new Gauge({
    name: 'wasel_draining',
    help: '1 while this instance drains before stopping, else 0.',
    registers: [registry],
  });
  draining.set(0);
  return {
    registry,
    observe(c, seconds) {
      // The pattern of the route that answered ('/api/v1/beneficiaries/:id/export'; '*' for the app's files).
      answers.observe(
        { route: routePath(c) || '*', method: c.req.method, status: String(c.res.status) },
        seconds,
      );
    },
    setDraining(value) {
      draining.set(value ? 1 : 0);
    },
  };
}

/** GET /metrics in Prometheus text format, for a scraper holding the token; 404 when none is configured. */
export function mountMetrics<E extends Env>(
  app: Hono<E>,
  metrics: Metrics | undefined,
  token: string | undefined,
) {
  app.get('/metrics', async (c) => {
    // Refused as the API refuses anything: JSON with a stable code (a scraper reads only the status).
    if (metrics === undefined || token === undefined)
      return errorResponse(c, ErrorCode.notFound, 'No metrics here: WASEL_METRICS_TOKEN is not set.');
    const sent = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '')?.[1] ?? '';
    const expected = Buffer.from(token);
    const given = Buffer.from(sent);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      c.header('WWW-Authenticate', 'Bearer');
      return errorResponse(c, ErrorCode.unauthorized, 'The metrics token is required.');
    }
    c.header('Content-Type', metrics.registry.contentType);
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.registry.metrics());
  });
}
