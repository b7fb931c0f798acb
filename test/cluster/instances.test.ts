// Three instances of the server on one PostgreSQL, behind Debian's nginx on loopback, as a deployment that
// outgrew one process runs them. One instance is killed while it holds a device's push, another while it
// holds a chunk of an upload. Nothing is lost, nothing is applied twice, and every device ends up holding
// what the server holds.
//
// An instance is first stopped (SIGSTOP), so that requests reach it and wait; once the kernel shows a
// request waiting on its socket, it is killed (SIGKILL): the kill lands in the middle of that request, on
// every run, without guessing at timings.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { Upload } from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../server/http/app';
import { MAX_FAILED_LOGINS } from '../../server/services/auth-service';
import { UPLOADS_PATH } from '../../src/protocol/attachments';
import { apiErrorBodySchema } from '../../src/protocol/errors';
import { UPLOAD_CHUNK_BYTES } from '../../src/sync/uploader';
import {
  createTestDb,
  jsonRequest,
  seedKadiStaff,
  startServerProcess,
  type ServerProcess,
  type TestDb,
} from '../integration/helpers';
import { clientView, loginToken, makeClient, serverView, type RigClient } from '../integration/sync-faults';

let t: TestDb;
let work = '';
let branch = '';
const instances: ServerProcess[] = [];
let nginx: ChildProcess | undefined;
let base = '';

/** A loopback port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Whether a request waits, unread, on a connection the process listening on `port` has not answered. */
async function requestWaitingOn(port: number): Promise<boolean> {
  const table = await readFile('/proc/net/tcp', 'utf8');
  return table
    .split('\n')
    .slice(1)
    .some((line) => {
      // sl local_address rem_address st tx_queue:rx_queue …
      const [, local, , state, queues] = line.trim().split(/\s+/);
      const localPort = Number.parseInt(local?.split(':')[1] ?? '', 16);
      const unread = Number.parseInt(queues?.split(':')[1] ?? '0', 16);
      return localPort === port && state === '01' && unread > 0;
    });
}

/** Resolves once `check` holds, polling; fails with `what` after 30 s. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Stops an instance, waits until a request reaches it, then kills it in the middle of that request. */
async function killDuringRequest(instance: ServerProcess): Promise<void> {
  instance.child.kill('SIGSTOP');
  await until(`a request waiting on port ${String(instance.port)}`, () => requestWaitingOn(instance.port));
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGKILL');
  await exited;
}

/** Whether nginx saw `instance` drop the connection of a `method` request it had been sent (its error log). */
async function cutOff(method: string, instance: ServerProcess): Promise<boolean> {
  const log = await readFile(join(work, 'nginx', 'error.log'), 'utf8');
  return log
    .split('\n')
    .some(
      (line) =>
        line.includes('while reading response header from upstream') &&
        line.includes(`request: "${method} /api/v1/`) &&
        line.includes(`upstream: "http://127.0.0.1:${String(instance.port)}/`),
    );
}

async function startNginx(upstreams: readonly number[]): Promise<string> {
  const port = await freePort();
  const dir = join(work, 'nginx');
  await mkdir(dir, { recursive: true });
  const conf = `
${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 12m;
  client_body_buffer_size 1m;
  upstream wasel {
${upstreams.map((p) => `    server 127.0.0.1:${String(p)} max_fails=1 fail_timeout=60s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${String(port)};
    location / {
      proxy_pass http://wasel;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), conf);
  let output = '';
  // Debian's nginx is in /usr/sbin, which an ordinary user's PATH may lack.
  const bin = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
  nginx = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  nginx.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  nginx.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${String(port)}`;
  await until(`nginx on ${url} (${output})`, () =>
    fetch(`${url}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    ),
  );
  return url;
}

/** A request to the app, sent through nginx instead. */
const throughNginx = (request: Request): Promise<Response> => {
  const url = new URL(request.url);
  return fetch(new Request(`${base}${url.pathname}${url.search}`, request));
};
const toNginx: typeof fetch = (input, init) => throughNginx(new Request(input, init));
/** The rig's devices log in through an app; this one is nginx in front of the three instances. */
const viaNginx = new Hono<AppEnv>();
viaNginx.all('*', (c) => throughNginx(c.req.raw));

beforeAll(async () => {
  t = await createTestDb();
  if (t.url === undefined)
    throw new Error('The cluster test needs PostgreSQL: run it with DATABASE_URL (npm run test:pg).');
  branch = (await seedKadiStaff(t.db)).b1;
  work = await mkdtemp(join(tmpdir(), 'wasel-cluster-'));
  const env = {
    DATABASE_URL: t.url,
    WASEL_SECRET: `cluster-secret-${randomUUID()}`,
    WASEL_DEMO: '0',
    WASEL_TRUST_PROXY: '1',
  };
  // All three at once: they take turns at the migrations (an advisory lock), then serve. Each has a data
  // directory of its own, as on separate hosts: nothing they share is on disk.
  instances.push(
    ...(await Promise.all(
      ['a', 'b', 'c'].map((name) => startServerProcess({ ...env, DATA_DIR: join(work, name) })),
    )),
  );
  base = await startNginx(instances.map((i) => i.port));
}, 120_000);

afterAll(async () => {
  for (const instance of instances) if (instance.child.exitCode === null) instance.child.kill('SIGKILL');
  nginx?.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
  await t.drop();
});

const person = (n: number) => ({
  branchId: branch,
  fullName: `مستفيد ${String(n)}`,
  nationalId: '1000000008',
  mobile: '+966501234567',
});

/** Every device holds what the server lets it see, and nothing waits to be sent. */
async function expectConverged(devices: readonly RigClient[]) {
  for (let round = 0; round < 2; round++) for (const d of devices) await d.flushUntilDone();
  for (const device of devices) {
    expect(await device.repo.pendingCount()).toBe(0);
    expect(await clientView(device)).toEqual(await serverView(viaNginx, device.username));
  }
}

describe('three instances behind nginx on one PostgreSQL', () => {
  let devices: RigClient[] = [];
  const created: string[] = [];

  it('sign-in throttling holds across the instances: the failures counted on each add up', async () => {
    const attempt = (password: string) =>
      viaNginx.request(
        '/api/v1/auth/login',
        jsonRequest({ username: 'kadi.researcher', password, deviceId: randomUUID(), deviceName: 'rig' }),
      );
    // Round robin: consecutive attempts land on the three instances in turn.
    for (let n = 0; n < MAX_FAILED_LOGINS; n++) expect((await attempt('wrong-password')).status).toBe(401);
    const refused = await attempt('correct-horse');
    expect(refused.status).toBe(429);
    expect(apiErrorBodySchema.parse(await refused.json()).error.code).toBe('too_many_attempts');
  });

  it('an instance killed in the middle of a push loses nothing and applies nothing twice', async () => {
    devices = await Promise.all(
      ['kadi.rep1', 'kadi.rep1b', 'kadi.supervisor'].map((u) => makeClient(viaNginx, u, toNginx)),
    );
    // Each device has 120 new beneficiaries waiting to be sent: three pushes each.
    for (const [d, device] of devices.entries()) {
      for (let n = 0; n < 120; n++) {
        const id = randomUUID();
        created.push(id);
        await device.repo.save('beneficiary', id, person(d * 1000 + n));
      }
    }
    const killed = instances[0];
    if (killed === undefined) throw new Error('no instance');
    // The first requests of each device are pushes; one of the first three reaches the stopped instance.
    const flushes = Promise.all(devices.map((d) => d.flushUntilDone()));
    await killDuringRequest(killed);
    const attempts = await flushes;
    // The push the killed instance held failed (nginx answers 502 for it); the device sent it again.
    expect(await cutOff('POST', killed)).toBe(true);
    expect(attempts.some((a) => a > 1)).toBe(true);

    await expectConverged(devices);
    // Each record is on the server once, created once: the push sent again was not applied again.
    const rows = await t.db.query<{ record_id: string; creates: string | number }>(
      `SELECT record_id, count(*) AS creates FROM record_history
        WHERE entity = 'beneficiary' GROUP BY record_id`,
    );
    expect(rows).toHaveLength(created.length);
    expect(new Set(rows.map((r) => r.record_id))).toEqual(new Set(created));
    expect(rows.every((r) => Number(r.creates) === 1)).toBe(true);
    for (const device of devices) {
      expect(device.totals.conflicts).toBe(0);
      expect(device.totals.rejected).toBe(0);
    }
  });

  it('an instance killed in the middle of an upload: the upload resumes on another and the file is whole', async () => {
    const token = await loginToken(viaNginx, 'kadi.rep1');
    const bytes = randomBytes(5 * UPLOAD_CHUNK_BYTES + 1_000);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const killed = instances[1];
    if (killed === undefined) throw new Error('no instance');
    let killing: Promise<void> | undefined;
    let chunks = 0;
    await new Promise<void>((resolve, reject) => {
      // As the app's uploader sends (src/sync/uploader.ts): the same chunk size and retry delays.
      const upload = new Upload(bytes, {
        endpoint: `${base}${UPLOADS_PATH}`,
        chunkSize: UPLOAD_CHUNK_BYTES,
        retryDelays: [0, 1000, 3000],
        metadata: { sha256, mimeType: 'image/jpeg' },
        headers: { Authorization: `Bearer ${token}` },
        onChunkComplete() {
          chunks++;
          // After the first chunk, one of the next requests reaches the stopped instance.
          if (chunks === 1) killing = killDuringRequest(killed);
        },
        onSuccess: () => {
          resolve();
        },
        onError: reject,
      });
      upload.start();
    });
    await killing;
    expect(await cutOff('PATCH', killed)).toBe(true);
    const files = await t.db.query<{ data: Uint8Array }>(
      'SELECT data FROM attachment_files WHERE sha256 = $1',
      [sha256],
    );
    expect(files).toHaveLength(1);
    expect(
      createHash('sha256')
        .update(files[0]?.data ?? new Uint8Array())
        .digest('hex'),
    ).toBe(sha256);
    // Nothing of the upload is left in progress.
    expect(await t.db.query('SELECT id FROM uploads')).toHaveLength(0);
  });

  it('every device still converges on the one instance left', async () => {
    const [rep1] = devices;
    if (rep1 === undefined) throw new Error('no device');
    const id = randomUUID();
    await rep1.repo.save('beneficiary', id, person(9999));
    await expectConverged(devices);
    expect((await clientView(devices[1] ?? rep1)).has(`beneficiary:${id}`)).toBe(true);
  });
});
