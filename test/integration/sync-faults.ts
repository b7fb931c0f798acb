// Test rig for the sync engine against the real server: clients with their own Dexie database (on
// fake-indexeddb), the real API client, and a proxy that injects network faults between them.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { WaselDb } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';
import { openRecord } from '../../src/db/sealing';
import { createCipher, randomKeys } from '../../src/db/vault';
import type { Change } from '../../src/protocol/sync';
import { inPageLocks } from '../../src/sync/locks';
import { createApiClient } from '../../src/sync/api-client';
import { createSyncEngine, type FlushReport } from '../../src/sync/engine';
import type { AppEnv } from '../../server/http/app';
import { jsonRequest } from './helpers';

/** A small seeded PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
}

export type Fault = 'dropBefore' | 'dropAfterCommit' | 'truncatedBody' | 'error500' | 'error429' | 'delay';
export const faults: readonly Fault[] = [
  'dropBefore',
  'dropAfterCommit',
  'truncatedBody',
  'error500',
  'error429',
  'delay',
];

export interface FaultStats {
  requests: number;
  byFault: Record<Fault, number>;
}

/** A fetch that reaches the in-process app, failing in one of the ways real networks fail. */
export function faultyFetch(
  app: Hono<AppEnv>,
  random: ReturnType<typeof prng>,
  rate: () => number,
  stats: FaultStats,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    stats.requests += 1;
    if (random.next() >= rate()) return app.fetch(request);
    const fault = random.pick(faults);
    stats.byFault[fault] += 1;
    switch (fault) {
      case 'dropBefore':
        throw new TypeError('fetch failed: connection reset before the request');
      case 'dropAfterCommit':
        await app.fetch(request);
        throw new TypeError('fetch failed: connection reset before the response');
      case 'truncatedBody': {
        const response = await app.fetch(request);
        const text = await response.text();
        return new Response(text.slice(0, Math.floor(text.length / 2)), {
          status: response.status,
          headers: response.headers,
        });
      }
      case 'error500':
        return Response.json({ error: { code: 'internal_error', message: 'injected' } }, { status: 500 });
      case 'error429':
        return Response.json(
          { error: { code: 'too_many_requests', message: 'injected' } },
          { status: 429, headers: { 'Retry-After': '1' } },
        );
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, random.int(5)));
        return app.fetch(request);
    }
  };
}

export async function loginToken(app: Hono<AppEnv>, username: string): Promise<string> {
  const response = await app.request(
    '/api/v1/auth/login',
    jsonRequest({ username, password: 'correct-horse', deviceId: randomUUID(), deviceName: 'rig' }),
  );
  if (response.status !== 200) throw new Error(`login of ${username} failed: ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** One installation of the app for one user: its database, repository and engine. */
export async function makeClient(app: Hono<AppEnv>, username: string, fetchFn: typeof fetch) {
  return makeSignedInClient(await loginToken(app, username), username, fetchFn);
}

/**
 * makeClient for a user already signed in (`token`), on a server at `baseUrl`: a server process reached
 * over the network (`fetch`), which no in-process app signs in.
 */
export async function makeSignedInClient(
  token: string,
  username: string,
  fetchFn: typeof fetch,
  baseUrl = 'http://wasel.test',
) {
  const db = new WaselDb(`rig-${username}-${randomUUID()}`);
  const cipher = createCipher(await randomKeys());
  const totals: FlushReport = { pushed: 0, applied: 0, conflicts: 0, rejected: 0, pulled: 0 };
  const api = createApiClient({ baseUrl, fetch: fetchFn });
  const engine = createSyncEngine({
    db,
    cipher,
    transport: { push: (r) => api.push(token, r), pull: (c, l) => api.pull(token, c, l) },
    lock: inPageLocks(),
    newId: () => randomUUID(),
    now: () => Date.now(),
    batchSize: 50,
    pageSize: 100,
    onProgress: (delta) => {
      for (const k of Object.keys(totals) as (keyof FlushReport)[]) totals[k] += delta[k];
    },
  });
  const repo = createRecordsRepository(db, cipher, { newId: () => randomUUID(), now: () => Date.now() });
  return {
    username,
    db,
    cipher,
    repo,
    engine,
    totals,
    /** Flushes until it succeeds (faults make attempts fail); returns how many attempts it took. */
    async flushUntilDone(maxAttempts = 200): Promise<number> {
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        try {
          await engine.flush();
          return attempt;
        } catch (error) {
          if (error instanceof Error && error.name === 'SequenceError') throw error;
        }
      }
      throw new Error(`${username}: flush still failing after ${maxAttempts} attempts`);
    },
  };
}
export type RigClient = Awaited<ReturnType<typeof makeClient>>;

/** Everything a user may see on the server, as key → data (live records only). */
export async function serverView(app: Hono<AppEnv>, username: string): Promise<Map<string, unknown>> {
  return signedInServerView(await loginToken(app, username), async (input, init) =>
    app.fetch(new Request(input, init)),
  );
}

/** serverView for a user already signed in (`token`), on a server at `baseUrl` reached by `fetchFn`. */
export async function signedInServerView(
  token: string,
  fetchFn: typeof fetch,
  baseUrl = 'http://wasel.test',
): Promise<Map<string, unknown>> {
  const api = createApiClient({ baseUrl, fetch: fetchFn });
  const view = new Map<string, unknown>();
  let cursor = '';
  for (;;) {
    const page = await api.pull(token, cursor, 1000);
    page.changes.forEach((c: Change) => {
      if (!c.deleted) view.set(`${c.entity}:${c.recordId}`, c.data);
    });
    cursor = page.cursor;
    if (!page.hasMore) return view;
  }
}

/** What a client holds, as key → data (live records only), leaving out records whose creation was rejected. */
export async function clientView(client: RigClient): Promise<Map<string, unknown>> {
  const rejectedCreates = new Set(
    (await client.repo.rejected())
      .filter((r) => r.mutation.baseVersion === 0)
      .map((r) => `${r.entity}:${r.recordId}`),
  );
  const view = new Map<string, unknown>();
  for (const record of await Promise.all(
    (await client.db.records.toArray()).map((r) => openRecord(client.cipher, r)),
  )) {
    if (!record.deleted && !(record.version === 0 && rejectedCreates.has(record.key)))
      view.set(record.key, record.data);
  }
  return view;
}
