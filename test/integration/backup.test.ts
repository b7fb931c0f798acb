// Issue 21, item 4: the backup drill, with the real commands on the real server process (PGlite in its own
// DATA_DIR, demo data). Two devices of one branch work and sync; `npm run admin -- backup` copies the running
// server; both keep working and syncing; the server is stopped, `restore` puts the copy back (the data it
// replaces kept aside), and the server starts again without what it had acknowledged after the backup. Each
// device sends that again (the seq_gap path) and starts its pull over (resync_required): nothing is lost,
// nothing is doubled, and both devices hold what the server holds.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHANNEL_FILE } from '../../server/backup';
import { loginResponseSchema } from '../../src/protocol/auth';
import { startServerProcess, type ServerProcess } from './helpers';
import { clientView, makeSignedInClient, signedInServerView, type RigClient } from './sync-faults';

let root = '';
let dataDir = '';
let server: ServerProcess | undefined;
/** The second device after the drill, and what the server shows its user. */
let researcherAfter: { device: RigClient; server: Map<string, unknown> } | undefined;
/** The running server's address; the devices' requests go wherever it is now. */
let current = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wasel-backup-'));
  dataDir = join(root, 'data');
});
afterAll(async () => {
  if (server !== undefined) await stop(server);
  await rm(root, { recursive: true, force: true });
});

const toServer: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input);
  return fetch(new URL(`${url.pathname}${url.search}`, current), init);
};

async function start(): Promise<ServerProcess> {
  const started = await startServerProcess({ DATA_DIR: dataDir, WASEL_DEMO: '1' }, ['DATABASE_URL']);
  current = `http://127.0.0.1:${String(started.port)}`;
  return started;
}

/** SIGTERM, as systemd stops the service; resolves with the exit code. */
async function stop(running: ServerProcess): Promise<number | null> {
  const exited = once(running.child, 'exit');
  running.child.kill('SIGTERM');
  await exited;
  return running.child.exitCode;
}

/** `npm run admin -- …args` on this DATA_DIR (PGlite: DATABASE_URL dropped unless given in `env`). */
function admin(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'DATABASE_URL'),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    env: { ...inherited, DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, out });
    });
  });
}

/** Signs a demo user in over HTTP: the access token and the user's branch. */
async function signIn(username: string): Promise<{ token: string; branchId: string }> {
  const response = await fetch(`${current}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'wasel-demo', deviceId: randomUUID(), deviceName: 'drill' }),
  });
  expect(response.status).toBe(200);
  const session = loginResponseSchema.parse(await response.json());
  return { token: session.accessToken, branchId: session.user.branchId ?? '' };
}

const person = (branchId: string, n: number) => ({
  branchId,
  fullName: `مستفيد ${String(n)}`,
  nationalId: '1000000008',
  mobile: '+966501234567',
});

/** Every device syncs until it has nothing to send, then once more so each has the other's changes. */
async function syncAll(devices: readonly RigClient[]) {
  for (const device of devices) await device.flushUntilDone(5);
  for (const device of devices) await device.flushUntilDone(5);
}

const beneficiaries = (view: Map<string, unknown>) =>
  [...view.keys()].filter((key) => key.startsWith('beneficiary:')).sort();

it('backup of the running server, work goes on, restore: the devices send again what it lost; nothing lost or doubled', async () => {
  // The refusal with DATABASE_URL needs no server: checked while the first one starts.
  const [started, withPostgres] = await Promise.all([
    start(),
    admin(['backup', '--out', join(root, 'never.tgz')], {
      DATABASE_URL: 'postgres://wasel:secret@127.0.0.1:5432/wasel',
    }),
  ]);
  server = started;
  expect(withPostgres.code).toBe(1);
  expect(withPostgres.out).toContain('pg_dump -Fc');
  expect(withPostgres.out).toContain('docs/operations.md, "Backups and restore"');

  // Two devices of branch b1: the representative's and the researcher's.
  const rep = await signIn('kadi.rep1');
  const researcher = await signIn('kadi.researcher');
  const branchId = rep.branchId;
  expect(researcher.branchId).toBe(branchId);
  const a = await makeSignedInClient(rep.token, 'kadi.rep1', toServer);
  const b = await makeSignedInClient(researcher.token, 'kadi.researcher', toServer);
  const view = (who: { token: string }) => signedInServerView(who.token, toServer);

  const [a1, a2, a3] = [randomUUID(), randomUUID(), randomUUID()] as const;
  const [b1, b2, b3] = [randomUUID(), randomUUID(), randomUUID()] as const;
  await a.repo.save('beneficiary', a1, person(branchId, 1));
  await b.repo.save('beneficiary', b1, person(branchId, 4));
  await syncAll([a, b]);

  // The backup, made by the running server; meanwhile a restore is refused, and the data stays.
  const backupFile = join(root, 'nightly.tgz');
  const channelToken = async () =>
    (JSON.parse(await readFile(join(dataDir, CHANNEL_FILE), 'utf8')) as { token: string }).token;
  const tokenBefore = await channelToken();
  const [made, refused] = await Promise.all([
    admin(['backup', '--out', backupFile]),
    admin(['restore', '--from', join(root, 'nightly.tgz')]),
  ]);
  expect(made.out).toContain('made by the running server');
  expect(made.code).toBe(0);
  expect((await stat(backupFile)).mode & 0o777).toBe(0o600);
  expect(refused.code).toBe(1);
  expect(refused.out).toMatch(/The server \(pid \d+\) is running on DATA_DIR .*Stop it first/);
  // The backup holds the channel's file as it was: that token no longer opens the channel.
  expect(await channelToken()).not.toBe(tokenBefore);

  // Work after the backup: new beneficiaries and corrections, acknowledged by the server.
  await a.repo.save('beneficiary', a2, person(branchId, 2));
  await a.repo.save('beneficiary', a1, { mobile: '+966551234567' });
  await b.repo.save('beneficiary', b2, person(branchId, 5));
  await b.repo.save('beneficiary', b1, { fullName: 'مستفيد مصحح' });
  await syncAll([a, b]);
  expect(beneficiaries(await view(rep))).toEqual([a1, a2, b1, b2].map((id) => `beneficiary:${id}`).sort());

  expect(await stop(server)).toBe(0);
  server = undefined;
  const restored = await admin(['restore', '--from', backupFile]);
  expect(restored.out).toContain('Restored');
  expect(restored.code).toBe(0);
  // The data the restore replaced is kept beside DATA_DIR.
  const aside = (await readdir(root)).filter((name) => name.startsWith('data.before-restore-'));
  expect(aside).toHaveLength(1);
  expect(await readdir(join(root, aside[0] ?? ''))).toContain('PG_VERSION');
  expect(restored.out).toContain(join(root, aside[0] ?? ''));

  server = await start();
  // The server is back at the backup: what came after it is gone from it.
  const atBackup = await view(rep);
  expect(beneficiaries(atBackup)).toEqual([a1, b1].map((id) => `beneficiary:${id}`).sort());
  expect(atBackup.get(`beneficiary:${a1}`)).toMatchObject({ mobile: '+966501234567' });

  // Work goes on: each device's next sync meets a server that expects an older seq, sends again what it
  // lost, and starts its pull over.
  await a.repo.save('beneficiary', a3, person(branchId, 3));
  await b.repo.save('beneficiary', b3, person(branchId, 6));
  await syncAll([a, b]);

  const repServer = await view(rep);
  const researcherServer = await view(researcher);
  // Nothing lost, nothing doubled: each beneficiary once, with every correction.
  expect(beneficiaries(repServer)).toEqual([a1, a2, a3, b1, b2, b3].map((id) => `beneficiary:${id}`).sort());
  expect(repServer.get(`beneficiary:${a1}`)).toMatchObject({ mobile: '+966551234567' });
  expect(repServer.get(`beneficiary:${b1}`)).toMatchObject({ fullName: 'مستفيد مصحح' });
  expect(researcherServer).toEqual(repServer);
  // Every device holds what the server holds, with nothing left to send and nothing refused.
  expect(await clientView(a)).toEqual(repServer);
  // Checked in the test below: the researcher's device, which sent its own lost work first.
  researcherAfter = { device: b, server: researcherServer };
  for (const device of [a, b]) {
    expect(await device.db.outbox.count()).toBe(0);
    expect(await device.db.rejected.count()).toBe(0);
    expect(await device.db.conflicts.count()).toBe(0);
  }
  // Each device's answered mutations, all of them (kept 30 days for the next restore).
  expect((await a.db.acknowledged.toArray()).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  expect((await b.db.acknowledged.toArray()).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
}, 300_000);

// The second device sends its own lost work again before it pulls, which moves the server's versions past
// the cursor it kept from before the restore; the restore's new sync epoch still sends its pull back to the
// start, so it also gets what the first device sent again below that cursor (here, beneficiary a3).
it('the device that syncs second after the restore holds what the server holds too', async () => {
  if (researcherAfter === undefined) throw new Error('The drill above did not get this far.');
  expect(await clientView(researcherAfter.device)).toEqual(researcherAfter.server);
});
