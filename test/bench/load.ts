// The backend under many devices (issue 8): a load generator on loopback that plays `devices` field
// devices of the five associations, each on its own timer pushing a small batch and then pulling, as the
// app's sync does (or pushing alone, to tell the two costs apart). The offered rate climbs step by step until the server falls behind; every request's
// latency, every error and the server's CPU and memory are recorded. Bounded: each step lasts a fixed
// time and every request gives up after REQUEST_TIMEOUT_MS (counted as an error).
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { demoAssociations } from '../../server/demo';
import { createAdminService } from '../../server/services/admin-service';
import { openPglite, openPostgres, type Db } from '../../server/store/db';
import { migrate } from '../../server/store/migrate';
import { profileOf } from '../../src/domain/profiles/associations';
import type { Mutation } from '../../src/protocol/sync';
import { startServer, type RunningServer } from '../e2e/harness';
import { households } from './dataset';
import { percentile } from './stats';

const PASSWORD = 'bench-password';
const REQUEST_TIMEOUT_MS = 10_000;
/** Mean mutations per push: a visit's worth of work (a household, contact logs, an update). */
const MEAN_BATCH = 10;

export interface LoadOptions {
  /** PostgreSQL (a fresh schema on this URL) or, when undefined, PGlite in a temporary directory. */
  databaseUrl: string | undefined;
  devices: number;
  branchesPerAssociation: number;
  /** Offered push rates, mutations/s, tried in order; stops after the first step the server cannot keep. */
  rates: readonly number[];
  stepSeconds: number;
  /** Whether each push is followed by a pull, as the app's engine does (false: pushes alone). */
  pull: boolean;
  /**
   * Server processes on the one PostgreSQL (1 by default; PGlite allows only one): each device keeps to
   * one of them, as behind a load balancer, and the server's CPU and memory are theirs added up.
   */
  instances?: number;
}

export interface StepFigures {
  offered: number;
  /** Mutations the server answered `applied`, per second of the step. */
  achieved: number;
  pushes: number;
  pulls: number;
  pulledChanges: number;
  push: LatencyFigures;
  pull: LatencyFigures;
  errors: number;
  errorSamples: string[];
  /** Cycles that started later than planned because the device's previous one had not finished. */
  lateCycles: number;
  serverCpuPercent: number;
  postgresCpuPercent: number | null;
  machineCpuPercent: number;
  serverRssMb: number;
  saturated: boolean;
}

export interface LatencyFigures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

interface Device {
  /** The instance this device talks to. */
  url: string;
  username: string;
  branchId: string;
  userId: string;
  token: string;
  clientId: string;
  seq: number;
  cursor: string;
  channels: string[];
  categories: string[];
  created: string[];
  made: number;
}

/** Seeds the tenants: the five associations, `branches` branches each, one representative per device. */
async function seed(db: Db, devices: number, branches: number): Promise<string[]> {
  // Cheap scrypt for the bench accounts: the logins are setup, not what is measured.
  const admin = createAdminService(db, { N: 2 ** 10, r: 8, p: 1 });
  const usernames: string[] = [];
  for (const a of demoAssociations) {
    await admin.createAssociation(a);
    for (let b = 1; b <= branches; b++)
      await admin.createBranch({
        associationCode: a.code,
        code: `b${b}`,
        nameAr: `فرع ${b}`,
        nameEn: `Branch ${b}`,
      });
  }
  for (let i = 0; i < devices; i++) {
    const a = demoAssociations[i % demoAssociations.length];
    if (a === undefined) throw new Error('no association');
    const username = `${a.code}.device${i}`;
    await admin.createUser({
      associationCode: a.code,
      branchCode: `b${1 + (Math.floor(i / demoAssociations.length) % branches)}`,
      username,
      displayName: `مندوب ${i}`,
      role: 'representative',
      password: PASSWORD,
    });
    usernames.push(username);
  }
  return usernames;
}

/** Where Debian's PostgreSQL puts its Unix sockets. */
const SOCKET_DIR = '/var/run/postgresql';

/**
 * `databaseUrl` through PostgreSQL's Unix socket, when the database runs on this machine: how a server on
 * the database's own host connects (docs/operations.md). Undefined when this machine has no such socket, or
 * the socket refuses the role (pg_hba.conf): the caller stays on TCP and says so.
 */
export async function localSocketUrl(databaseUrl: string): Promise<string | undefined> {
  const url = new URL(databaseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return undefined;
  if (!existsSync(join(SOCKET_DIR, `.s.PGSQL.${url.port === '' ? '5432' : url.port}`))) return undefined;
  url.searchParams.set('host', SOCKET_DIR);
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
  } catch {
    // Refused (the role may use TCP only): the load runs over TCP, and its rows say so.
    return undefined;
  }
  await client.end();
  return url.toString();
}

/** A database for one run: a fresh PostgreSQL schema, or a PGlite directory; dropped afterwards. */
async function benchDatabase(databaseUrl: string | undefined) {
  if (databaseUrl === undefined) {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasel-bench-load-'));
    return {
      open: () => openPglite(dataDir),
      server: { dataDir, env: {} as Record<string, string> },
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const schema = `wasel_bench_${randomUUID().replaceAll('-', '')}`;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    open: () => Promise.resolve(openPostgres({ connectionString: databaseUrl, schema, max: 4 })),
    server: { env: { DATABASE_URL: url.toString() } as Record<string, string> },
    drop: async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** The fields of /proc/PID/stat after the command's name: index 0 is field 3 (the state). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU time (user + system, in clock ticks of 1/100 s) of a process, from /proc. */
function cpuTicks(pid: number): number {
  const fields = statFields(pid);
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU time of a process and of its children that have ended and been waited for (+ cutime + cstime). */
function cpuTicksWithEndedChildren(pid: number): number {
  const fields = statFields(pid);
  return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

/**
 * Every PostgreSQL server process on the machine (the postmaster and its backends), with the backends that
 * ended since it started: a pool that closes a connection during a step takes its backend's CPU out of the
 * live processes' sum, and the postmaster, which waits for it, keeps it in its children's time.
 */
function postgresTicks(): number | null {
  let total = 0;
  let found = false;
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm !== 'postgres') continue;
      total += cpuTicksWithEndedChildren(Number(entry));
      found = true;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return found ? total : null;
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

// Plain node:http with keep-alive: a device keeps its connection, and the generator spends less of the
// shared CPU than with fetch.
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function call(
  method: 'GET' | 'POST',
  url: string,
  token: string | null,
  body?: unknown,
  retried = false,
): Promise<{ status: number; text: string }> {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          // As a phone's browser does: sync answers come gzipped, and the server's work includes it.
          'Accept-Encoding': 'gzip',
          ...(payload === undefined
            ? {}
            : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
          ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
          resolve({ status: res.statusCode ?? 0, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed as idle just as it was reused: sent again once, as
      // Node's documentation advises and as a browser does (a push is idempotent by its seq).
      if (!retried && req.reusedSocket && error.code === 'ECONNRESET')
        call(method, url, token, body, true).then(resolve, reject);
      else reject(error);
    });
    req.end(payload);
  });
}

async function login(url: string, username: string) {
  const response = await call('POST', `${url}/api/v1/auth/login`, null, {
    username,
    password: PASSWORD,
    deviceId: randomUUID(),
    deviceName: 'bench device',
  });
  if (response.status !== 200) throw new Error(`login of ${username}: ${response.status} ${response.text}`);
  return JSON.parse(response.text) as { accessToken: string; user: { id: string; branchId: string } };
}

/** A visit's worth of changes: a new household, contact logs, and updates to earlier households. */
function batchOf(device: Device, size: number, at: string): Mutation[] {
  const out: Mutation[] = [];
  const add = (
    entity: Mutation['entity'],
    recordId: string,
    patch: Record<string, unknown>,
    base: number,
  ) => {
    device.seq += 1;
    out.push({
      id: randomUUID(),
      seq: device.seq,
      entity,
      op: 'upsert',
      recordId,
      baseVersion: base,
      patch,
      at,
    });
  };
  while (out.length < size) {
    const n = device.made++;
    const kind = n % 5;
    if (kind === 0 || device.created.length === 0) {
      const [head] = households(1, device, n);
      if (head === undefined) throw new Error('no household');
      const recordId = randomUUID();
      add('beneficiary', recordId, head.data, 0);
      device.created.push(recordId);
    } else if (kind === 4) {
      // An update of a household this device registered: its own change, so never a conflict.
      const target = device.created[n % device.created.length] ?? '';
      add('beneficiary', target, { nextVisitOn: `2026-12-${String(1 + (n % 28)).padStart(2, '0')}` }, 1);
    } else {
      add(
        'interaction',
        randomUUID(),
        {
          beneficiaryId: device.created[n % device.created.length] ?? '',
          channel: device.channels[n % device.channels.length] ?? 'phone',
          summary: 'زيارة منزلية للتحقق من بيانات الأسرة وتحديث الاحتياجات',
          occurredAt: at,
          direction: 'outgoing',
          kind: 'visit',
        },
        0,
      );
    }
  }
  return out;
}

/**
 * The batch sizes of one step: MEAN_BATCH ± 5 at random for each sync of each device, then a few moved by one
 * (within 5–15) until they add up to exactly `rate` × `seconds`. Drawn each on its own, the step's total varied by
 * about ±0.5% from run to run, and so did the rate it could show. (Sizes made to balance in pairs of devices or
 * by a pattern instead loaded the server differently: PostgreSQL's CPU rose by a fifth at 2,000/s.)
 */
function batchSizes(devices: readonly Device[], interval: number, seconds: number, rate: number) {
  // Device i starts at interval × i / devices and syncs every interval until the step's end.
  const plans = devices.map((_, i) =>
    Array.from(
      { length: Math.ceil((seconds * 1000 - (interval * i) / devices.length) / interval) },
      () => MEAN_BATCH - 5 + Math.floor(Math.random() * 11),
    ),
  );
  let missing = Math.round(rate * seconds) - plans.flat().reduce((sum, n) => sum + n, 0);
  while (missing !== 0) {
    const plan = plans[Math.floor(Math.random() * plans.length)] ?? [];
    const k = Math.floor(Math.random() * plan.length);
    const size = (plan[k] ?? 0) + Math.sign(missing);
    if (size < MEAN_BATCH - 5 || size > MEAN_BATCH + 5) continue;
    plan[k] = size;
    missing -= Math.sign(missing);
  }
  /** Each device's sizes, to be taken in turn (the mean, should a late device sync once more than planned). */
  return new Map(devices.map((device, i) => [device, plans[i] ?? []]));
}

export async function loadFigures(options: LoadOptions): Promise<{ steps: StepFigures[]; setupMs: number }> {
  const setupStarted = performance.now();
  const database = await benchDatabase(options.databaseUrl);
  const servers: RunningServer[] = [];
  const instances = options.instances ?? 1;
  if (instances > 1 && options.databaseUrl === undefined)
    throw new Error('Several instances need PostgreSQL: PGlite is one process.');
  try {
    const db = await database.open();
    await migrate(db);
    const usernames = await seed(db, options.devices, options.branchesPerAssociation);
    await db.close();
    for (let n = 0; n < instances; n++)
      servers.push(
        await startServer({
          ...database.server,
          demo: false,
          env: { ...database.server.env, WASEL_SECRET: 'bench-secret-that-is-long-enough-0123456789' },
        }),
      );
    const urls = servers.map((server) => server.url);
    const devices: Device[] = [];
    // Logins a few at a time, as devices arrive in the morning.
    for (let i = 0; i < usernames.length; i += 20) {
      const chunk = usernames.slice(i, i + 20);
      devices.push(
        ...(await Promise.all(
          chunk.map(async (username, k) => {
            const url = urls[(i + k) % urls.length] ?? '';
            const session = await login(url, username);
            const profile = profileOf(username.split('.')[0] ?? '');
            if (profile === undefined) throw new Error(`no profile for ${username}`);
            return {
              url,
              username,
              branchId: session.user.branchId,
              userId: session.user.id,
              token: session.accessToken,
              clientId: randomUUID(),
              seq: 0,
              cursor: '',
              channels: profile.channels.map((c) => c.id).filter((c) => c !== 'other'),
              categories: profile.categories.map((c) => c.id),
              created: [],
              made: 0,
            } satisfies Device;
          }),
        )),
      );
    }
    const setupMs = performance.now() - setupStarted;
    const steps: StepFigures[] = [];
    for (const rate of options.rates) {
      const step = await runStep(
        servers.map((server) => server.pid),
        devices,
        rate,
        options.stepSeconds,
        options.databaseUrl !== undefined,
        options.pull,
      );
      steps.push(step);
      if (step.saturated) break;
    }
    return { steps, setupMs };
  } finally {
    for (const server of servers) {
      const code = await server.stop();
      if (code !== 0)
        console.error(`the server exited with ${String(code)}:\n${server.output().slice(-2000)}`);
    }
    await database.drop();
  }
}

async function runStep(
  /** The server processes (one per instance). */
  pids: readonly number[],
  devices: Device[],
  rate: number,
  seconds: number,
  /** PostgreSQL runs in its own processes, measured too; PGlite runs inside the server's. */
  postgres: boolean,
  pull: boolean,
): Promise<StepFigures> {
  // Each device syncs every `interval` ms with a batch of MEAN_BATCH ± 5 mutations.
  const interval = (devices.length * MEAN_BATCH * 1000) / rate;
  const sizes = batchSizes(devices, interval, seconds, rate);
  const pushLatency: number[] = [];
  const pullLatency: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let applied = 0;
  let pulledChanges = 0;
  let lateCycles = 0;
  const fail = (what: string) => {
    errors += 1;
    if (errorSamples.length < 5) errorSamples.push(what);
  };

  async function cycle(device: Device) {
    const at = new Date().toISOString();
    const mutations = batchOf(device, sizes.get(device)?.shift() ?? MEAN_BATCH, at);
    let started = performance.now();
    try {
      const response = await call('POST', `${device.url}/api/v1/sync/push`, device.token, {
        clientId: device.clientId,
        mutations,
      });
      pushLatency.push(performance.now() - started);
      if (response.status !== 200) {
        fail(`push ${response.status} ${response.text.slice(0, 200)}`);
        return;
      }
      const body = JSON.parse(response.text) as { results: { status: string }[] };
      for (const r of body.results) {
        if (r.status === 'applied') applied += 1;
        else fail(`push result ${JSON.stringify(r).slice(0, 200)}`);
      }
    } catch (error) {
      fail(`push ${String(error)}`);
      return;
    }
    // Then the pull, page by page, as the app's engine does after a push.
    for (;;) {
      if (!pull) return;
      started = performance.now();
      try {
        const response = await call(
          'GET',
          `${device.url}/api/v1/sync/pull?cursor=${encodeURIComponent(device.cursor)}&limit=1000`,
          device.token,
        );
        const text = response.text;
        pullLatency.push(performance.now() - started);
        if (response.status !== 200) {
          fail(`pull ${response.status} ${text.slice(0, 200)}`);
          return;
        }
        const page = JSON.parse(text) as { changes: unknown[]; cursor: string; hasMore: boolean };
        pulledChanges += page.changes.length;
        device.cursor = page.cursor;
        if (!page.hasMore) return;
      } catch (error) {
        fail(`pull ${String(error)}`);
        return;
      }
    }
  }

  const stepStarted = performance.now();
  const stepEnds = stepStarted + seconds * 1000;
  const serverTicks = () => pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
  const serverRss = () => pids.reduce((sum, pid) => sum + rssMb(pid), 0);
  const cpu0 = serverTicks();
  const pg0 = postgresTicks();
  const machine0 = machineTicks();
  let rss = serverRss();
  const sampler = setInterval(() => {
    rss = Math.max(rss, serverRss());
  }, 500);

  // Every device on its own schedule, spread evenly over the first interval.
  await Promise.all(
    devices.map(async (device, i) => {
      let next = stepStarted + (interval * i) / devices.length;
      for (;;) {
        const wait = next - performance.now();
        if (next >= stepEnds) return;
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        else if (wait < -interval / 2) lateCycles += 1;
        await cycle(device);
        next += interval;
      }
    }),
  );
  clearInterval(sampler);
  const elapsed = (performance.now() - stepStarted) / 1000;
  const cpu1 = serverTicks();
  const pg1 = postgresTicks();
  const machine1 = machineTicks();
  // Per second of the step: every push was sent within its `seconds`, and the last ones answered just after it.
  // Dividing by the time until the last answer (as before) put every step about half a percent under the rate it
  // kept. A server that falls behind shows in late cycles, errors and the latencies, never here alone.
  const achieved = applied / seconds;
  const latency = (values: number[]): LatencyFigures => ({
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length === 0 ? 0 : Math.max(...values),
  });
  const push = latency(pushLatency);
  return {
    offered: rate,
    achieved,
    pushes: pushLatency.length,
    pulls: pullLatency.length,
    pulledChanges,
    push,
    pull: latency(pullLatency),
    errors,
    errorSamples,
    lateCycles,
    serverCpuPercent: (cpu1 - cpu0) / elapsed,
    postgresCpuPercent: !postgres || pg0 === null || pg1 === null ? null : (pg1 - pg0) / elapsed,
    machineCpuPercent: (100 * (machine1.busy - machine0.busy)) / (machine1.total - machine0.total),
    serverRssMb: rss,
    // Behind: less than 95% of the offered rate applied, cycles starting late, errors, or pushes answered too
    // slowly (p99 over the goal's 250 ms: a queue building up; see `achieved`).
    saturated: achieved < 0.95 * rate || lateCycles > devices.length * 0.05 || errors > 0 || push.p99 > 250,
  };
}
