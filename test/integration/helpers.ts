// A fresh database and an in-process app for each test file: PGlite in memory by default, or a new
// schema on the PostgreSQL of DATABASE_URL (npm run test:pg), dropped afterwards.
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { createApp, type AppDeps } from '../../server/http/app';
import { createLogger } from '../../server/log';
import { createAdminService } from '../../server/services/admin-service';
import { createAttachmentService } from '../../server/services/attachment-service';
import { createRightsService } from '../../server/services/rights-service';
import { createComplaintService } from '../../server/services/complaint-service';
import { createDashboardService } from '../../server/services/dashboard-service';
import { createAssociationService } from '../../server/services/association-service';
import { createIncidentService } from '../../server/services/incident-service';
import { createImportService } from '../../server/services/import-service';
import { createStaffService } from '../../server/services/staff-service';
import { createDuplicateService } from '../../server/services/duplicate-service';
import { createAuthService } from '../../server/services/auth-service';
import { createSyncService } from '../../server/services/sync-service';
import { openPglite, openPostgres, type Db } from '../../server/store/db';
import { migrate } from '../../server/store/migrate';
import { UPLOADS_PATH } from '../../src/protocol/attachments';
import { pushResponseSchema, type Mutation } from '../../src/protocol/sync';

/** Cheap scrypt for seeding test users; production parameters are tested separately. */
export const fastHash = { N: 2 ** 10, r: 8, p: 1 };
export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';

export interface TestDb {
  db: Db;
  /** On PostgreSQL: a connection URL for other processes, working in this database's schema. */
  url?: string;
  drop(): Promise<void>;
}

/** The migrated copy made by global-setup.ts, read once per test file (undefined outside the server suite). */
let template: Promise<Blob | undefined> | undefined;
function pgliteTemplate(): Promise<Blob | undefined> {
  template ??= (async () => {
    const file = inject('pgliteTemplate');
    return file === undefined || file === '' ? undefined : new Blob([await readFile(file)]);
  })();
  return template;
}

export async function createTestDb(): Promise<TestDb> {
  const url = process.env.DATABASE_URL;
  if (url === undefined || url === '') {
    const db = await openPglite(undefined, await pgliteTemplate());
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const schema = `wasel_test_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = openPostgres({ connectionString: url, schema, max: 4 });
  await migrate(db);
  const shared = new URL(url);
  shared.searchParams.set('options', `-c search_path=${schema}`);
  return {
    db,
    url: shared.href,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** A controllable clock, starting at a fixed instant. */
export function testClock(start = Date.parse('2026-11-22T08:00:00Z')) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

/** Two associations with two branches each, and users of every role. */
export async function seedTenants(db: Db) {
  const admin = createAdminService(db, fastHash);
  for (const [code, nameAr, nameEn] of [
    ['kadi', 'جمعية كادي', 'Kadi Association'],
    ['bakkah', 'جمعية بكة للخدمات الإنسانية', 'Bakkah Humanitarian Services'],
  ] as const) {
    await admin.createAssociation({ code, nameAr, nameEn });
    await admin.createBranch({
      associationCode: code,
      code: 'b1',
      nameAr: 'الفرع الأول',
      nameEn: 'Branch 1',
    });
    await admin.createBranch({
      associationCode: code,
      code: 'b2',
      nameAr: 'الفرع الثاني',
      nameEn: 'Branch 2',
    });
    await admin.createUser({
      associationCode: code,
      branchCode: 'b1',
      username: `${code}.rep1`,
      displayName: 'مندوب',
      role: 'representative',
      password: 'correct-horse',
    });
    await admin.createUser({
      associationCode: code,
      username: `${code}.admin`,
      displayName: 'مدير',
      role: 'admin',
      password: 'correct-horse',
    });
  }
  return admin;
}

export function testApp(
  db: Db,
  clock = testClock(),
  staticDir?: string,
  /** What an operator may add: metrics and their token, a drain in progress. */
  operations: Pick<AppDeps, 'metrics' | 'metricsToken' | 'draining'> = {},
) {
  const auth = createAuthService({ db, secret: TEST_SECRET, now: clock.now });
  const log = createLogger('silent');
  const rights = createRightsService({ db, now: clock.now });
  const duplicates = createDuplicateService({ db, now: clock.now });
  const app = createApp({
    auth,
    sync: createSyncService({ db, now: clock.now }),
    attachments: createAttachmentService({ db, now: clock.now, log }),
    rights,
    duplicates,
    complaints: createComplaintService({ db, now: clock.now }),
    dashboard: createDashboardService({ db, now: clock.now }),
    staff: createStaffService({ db }),
    association: createAssociationService({ db, now: clock.now, hashParams: fastHash }),
    imports: createImportService({ db, now: clock.now }),
    incidents: createIncidentService({ db, auth, now: clock.now }),
    db,
    log,
    dbKind: db.kind,
    version: 'test',
    demo: false,
    staticDir,
    ...operations,
  });
  return { app, auth, clock, rights };
}

export const deviceA = '0b1c2d3e-4f50-4a61-8b72-9c83d4e5f607';
export const deviceB = '1b1c2d3e-4f50-4a61-8b72-9c83d4e5f608';

export function jsonRequest(body: unknown, token?: string): RequestInit {
  return {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  };
}

/** A new record's first upsert, as a device sends it (baseVersion 0). */
export function upsert(
  seq: number,
  entity: Mutation['entity'],
  recordId: string,
  patch: Record<string, unknown>,
  baseVersion = 0,
): Mutation {
  return {
    id: randomUUID(),
    seq,
    entity,
    op: 'upsert',
    recordId,
    baseVersion,
    patch,
    at: '2026-11-22T09:00:00+03:00',
  };
}

/** A call's options: its method, the bearer token when there is one, and a JSON body when there is one. */
export function apiCall(method: string, token: string | null, body?: unknown): RequestInit {
  return {
    method,
    headers: {
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

export function bearer(token: string): RequestInit {
  return { headers: { Authorization: `Bearer ${token}` } };
}

/**
 * seedTenants plus Kadi staff for sync tests: a second b1 representative, a b2 one, a supervisor, a b1
 * researcher and the committee.
 */
export async function seedKadiStaff(db: Db): Promise<{ b1: string; b2: string }> {
  await seedTenants(db);
  const admin = createAdminService(db, fastHash);
  const base = { associationCode: 'kadi', password: 'correct-horse', displayName: 'x' };
  await admin.createUser({ ...base, username: 'kadi.rep1b', branchCode: 'b1', role: 'representative' });
  await admin.createUser({ ...base, username: 'kadi.rep2', branchCode: 'b2', role: 'representative' });
  await admin.createUser({ ...base, username: 'kadi.supervisor', role: 'supervisor' });
  await admin.createUser({ ...base, username: 'kadi.researcher', branchCode: 'b1', role: 'researcher' });
  // The committee is registered in a branch, yet reviews the whole association's requests.
  await admin.createUser({ ...base, username: 'kadi.committee', branchCode: 'b2', role: 'committee' });
  const branchId = async (code: string) =>
    (
      await db.query<{ id: string }>(
        "SELECT b.id FROM branches b JOIN associations a ON a.id = b.association_id WHERE a.code = 'kadi' AND b.code = $1",
        [code],
      )
    )[0]?.id ?? '';
  return { b1: await branchId('b1'), b2: await branchId('b2') };
}

/**
 * The usual setup of a server test file: beforeAll a fresh database with Kadi's staff (seedKadiStaff) and
 * the app over it, afterAll the database dropped. Read the parts inside tests.
 */
export function useKadiTestApp() {
  let t: TestDb | undefined;
  let server: ReturnType<typeof testApp> | undefined;
  const branch: Record<string, string> = {};
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    t = await createTestDb();
    Object.assign(branch, await seedKadiStaff(t.db));
    server = testApp(t.db);
  });
  afterAll(async () => {
    await t?.drop();
  });
  const ready = () => {
    if (t === undefined || server === undefined) throw new Error('the test app is not set up yet');
    return { t, server };
  };
  /** An access token of a seeded user (password correct-horse), logged in once per test file. */
  const tokenOf = async (username: string): Promise<string> => {
    const cached = tokens.get(username);
    if (cached !== undefined) return cached;
    const response = await ready().server.app.request(
      '/api/v1/auth/login',
      jsonRequest({ username, password: 'correct-horse', deviceId: randomUUID(), deviceName: 'test' }),
    );
    const token = ((await response.json()) as { accessToken: string }).accessToken;
    tokens.set(username, token);
    return token;
  };
  /**
   * Pushes mutations as a seeded user, from a client of its own (or `clientId`): each result's status, or
   * "rejected <code>".
   */
  const push = async (
    username: string,
    mutations: Mutation[],
    clientId = randomUUID(),
  ): Promise<string[]> => {
    const response = await ready().server.app.request(
      '/api/v1/sync/push',
      jsonRequest({ clientId, mutations }, await tokenOf(username)),
    );
    expect(response.status).toBe(200);
    return pushResponseSchema
      .parse(await response.json())
      .results.map((r) => (r.status === 'rejected' ? `rejected ${r.error.code}` : r.status));
  };
  /** The version of a record as the server holds it: the base of the next change. */
  const versionOf = async (recordId: string): Promise<number> => {
    const rows = await ready().t.db.query<{ version: string | number }>(
      'SELECT version FROM records WHERE record_id = $1',
      [recordId],
    );
    return Number(rows[0]?.version ?? 0);
  };
  return {
    push,
    versionOf,
    /** Branch ids by code (b1, b2), filled before the tests run. */
    branch,
    get db(): Db {
      return ready().t.db;
    },
    get server() {
      return ready().server;
    },
    get app() {
      return ready().server.app;
    },
    tokenOf,
    /** Uploads a whole file (as a JPEG) over tus as a seeded user; returns its SHA-256. */
    async upload(username: string, bytes: Uint8Array): Promise<string> {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const { app } = ready().server;
      const token = await tokenOf(username);
      const headers = { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${token}` };
      const b64 = (text: string) => Buffer.from(text).toString('base64');
      const created = await app.request(UPLOADS_PATH, {
        method: 'POST',
        headers: {
          ...headers,
          'Upload-Length': String(bytes.length),
          'Upload-Metadata': `sha256 ${b64(sha256)},mimeType ${b64('image/jpeg')}`,
        },
      });
      const patched = await app.request(created.headers.get('Location') ?? '', {
        method: 'PATCH',
        headers: { ...headers, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
        body: bytes as Uint8Array<ArrayBuffer>,
      });
      if (patched.status !== 204) throw new Error(`upload failed: ${patched.status}`);
      return sha256;
    },
    /** A fetch that reaches the in-process app directly. */
    direct: ((input, init) => ready().server.app.fetch(new Request(input, init))) as typeof fetch,
  };
}

/**
 * For a test file that starts the server as a process: on PostgreSQL (DATABASE_URL), a fresh schema of its
 * own, migrated, and dropped afterwards, as the in-process tests have; on PGlite nothing (the process keeps
 * its DATA_DIR). Returns the environment to start the process with.
 */
export function useProcessDatabase(): () => Record<string, string> {
  let t: TestDb | undefined;
  beforeAll(async () => {
    if (process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '') t = await createTestDb();
  });
  afterAll(async () => {
    await t?.drop();
  });
  return (): Record<string, string> => {
    const env: Record<string, string> = {};
    if (t?.url !== undefined) env.DATABASE_URL = t.url;
    return env;
  };
}

/** The backend started as a process (`server/main.ts`, as `npm run serve` and `npm start` run it). */
export interface ServerProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  port: number;
  /** Everything it has printed so far. */
  output: () => string;
}

/**
 * Starts the server as a process on a free loopback port with `env` on top of this process's environment
 * (less what `drop` names), and waits for its "listening" line.
 */
export async function startServerProcess(
  env: Record<string, string>,
  drop: readonly string[] = [],
): Promise<ServerProcess> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !drop.includes(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no "listening" line in time: ${out}`));
    }, 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /"port":(\d+),"demo":(true|false),"msg":"listening"/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  });
  return { child, port, output: () => out };
}

/**
 * The server as `npm start` runs it by default, for a whole test file: its own process with demo data and
 * PGlite in a fresh data directory, never the suite's PostgreSQL (whose database other files share), even
 * when the suite runs on it. Stopped with SIGTERM and its directory removed afterwards. Returns its URL.
 */
export function useDemoServerProcess(prefix: string): () => string {
  let child: ChildProcess | undefined;
  let dataDir = '';
  let base = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), prefix));
    const started = await startServerProcess({ DATA_DIR: dataDir, WASEL_DEMO: '1' }, ['DATABASE_URL']);
    child = started.child;
    base = `http://127.0.0.1:${String(started.port)}`;
  }, 90_000);
  afterAll(async () => {
    if (child !== undefined) {
      const exit = new Promise((resolve) => child?.on('exit', resolve));
      child.kill('SIGTERM');
      await exit;
    }
    await rm(dataDir, { recursive: true, force: true });
  });
  return () => base;
}
