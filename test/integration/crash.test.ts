// The server killed with SIGKILL in the middle of a large push: after a restart and a retry of the same
// push, every record is there exactly once. Runs on PGlite, and on PostgreSQL under `npm run test:pg`.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiLogin } from '../e2e/harness';
import {
  pullResponseSchema,
  pushResponseSchema,
  type Mutation,
  type PullResponse,
} from '../../src/protocol/sync';
import { useProcessDatabase } from './helpers';

const database = useProcessDatabase();
let dataDir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wasel-crash-'));
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<string> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      // On PostgreSQL, a schema of this file's own: never the database's shared default one.
      ...database(),
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      WASEL_DEMO: '1',
      WASEL_STATIC_DIR: dataDir,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no port in time: ${out}`));
    }, 60_000);
    const find = () => {
      const match = /"port":(\d+),"demo":true,"msg":"listening"/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    proc.stdout.on('data', find);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${String(code)}: ${out}`));
    });
  });
  return `http://127.0.0.1:${port}`;
}

function kill(): Promise<void> {
  const proc = child;
  if (proc === undefined || proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.on('exit', () => {
      resolve();
    });
    proc.kill('SIGKILL');
  });
}

async function login(url: string): Promise<string> {
  return (await apiLogin(url, 'kadi.rep1')).accessToken;
}

it('SIGKILL during a push of 500 mutations: after restart and retry each record exists exactly once', async () => {
  let url = await start();
  let token = await login(url);
  const me = (await (
    await fetch(`${url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })
  ).json()) as {
    user: { branchId: string };
  };
  const clientId = randomUUID();
  const perRound = 500;
  const ids: string[] = [];
  let seq = 0;
  let pushMs = 0;
  const retryFound: string[] = [];

  // Round 0 is a warm-up that times a push; the next rounds kill at 30 %, 70 % and 110 % of that time.
  for (let round = 0; round < 4; round++) {
    const mutations: Mutation[] = Array.from({ length: perRound }, (_, i) => {
      const recordId = randomUUID();
      ids.push(recordId);
      seq += 1;
      return {
        id: randomUUID(),
        seq,
        entity: 'beneficiary',
        op: 'upsert',
        recordId,
        baseVersion: 0,
        patch: {
          branchId: me.user.branchId,
          fullName: `مستفيد ${round}-${i}`,
          nationalId: '1000000008',
          mobile: '+966501234567',
        },
        at: '2026-11-22T09:00:00+03:00',
      };
    });
    const body = JSON.stringify({ clientId, mutations });
    const push = () =>
      fetch(`${url}/api/v1/sync/push`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body,
      });

    if (round === 0) {
      const started = performance.now();
      expect((await push()).status).toBe(200);
      pushMs = performance.now() - started;
      continue;
    }
    const inFlight = push().catch((error: unknown) => error);
    // Not a proof by waiting: this places the kill at 0%, 30%, 70% and 110% of a measured push.
    await new Promise((resolve) => setTimeout(resolve, pushMs * ([0, 0.3, 0.7, 1.1][round] ?? 1)));
    await kill();
    await inFlight;

    url = await start();
    token = await login(url);
    const retried = await push();
    expect(retried.status).toBe(200);
    const result = pushResponseSchema.parse(await retried.json());
    expect(result.lastAppliedSeq).toBe(seq);
    // One transaction per push: either all of it committed before the kill, or none of it.
    const statuses = new Set(result.results.map((r) => r.status));
    expect(statuses.size).toBe(1);
    retryFound.push([...statuses].join());
  }

  const seen = new Map<string, number>();
  let cursor = '';
  for (;;) {
    const response = await fetch(`${url}/api/v1/sync/pull?cursor=${cursor}&limit=1000`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body: unknown = await response.json();
    if (response.status !== 200) console.log('PULLFAIL', response.status, JSON.stringify(body));
    const page: PullResponse = pullResponseSchema.parse(body);
    for (const change of page.changes) seen.set(change.recordId, (seen.get(change.recordId) ?? 0) + 1);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  for (const id of ids) expect(seen.get(id), id).toBe(1);
  expect(retryFound.every((s) => s === 'applied' || s === 'duplicate')).toBe(true);
  // At least one kill hit a push before its commit (else this test would prove nothing about crashes).
  expect(retryFound).toContain('applied');
  await kill();
}, 180_000);
