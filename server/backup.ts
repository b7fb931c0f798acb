// Backups of the embedded database (PGlite) and their restore; with DATABASE_URL, PostgreSQL's own tools do
// this (docs/operations.md, "Backups and restore").
//
// PGlite runs inside one process and nothing else may open DATA_DIR meanwhile, so the running server makes
// the snapshot itself (PgliteDb.snapshot: PGlite's dumpDataDir) and hands it to `npm run admin -- backup`
// over a loopback connection; when no server runs, the command makes it itself. The command finds the server
// through DATA_DIR/wasel-admin.json (mode 600: only the service's user and root read it): the port the
// server listens on and a random token each request must carry. A file and not a Unix socket in DATA_DIR:
// PGlite's copy of the data directory fails on anything but files and folders, and the service may write
// nowhere but DATA_DIR (ProtectSystem=strict). The same file tells `restore` and the other commands that a
// server is running, and a second server that the directory is taken.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, openAsBlob } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { z } from 'zod';
import type { Logger } from './log';
import { openPglite } from './store/db';
import { migrate } from './store/migrate';
import { renewSyncEpochs } from './store/versions';

/** In DATA_DIR while a server runs there: where and how to ask it for a backup. */
export const CHANNEL_FILE = 'wasel-admin.json';
const channelSchema = z.object({
  port: z.number().int().min(1).max(65535),
  token: z.string().min(32),
  pid: z.number().int(),
});
type Channel = z.infer<typeof channelSchema>;

const requestSchema = z.object({ token: z.string(), command: z.enum(['status', 'backup']) });
const answerSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    pid: z.number().int(),
    /** A backup's answer: the size and SHA-256 of the uncompressed archive that follows the line. */
    bytes: z.number().int().min(0).optional(),
    sha256: z.string().optional(),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
type Answer = z.infer<typeof answerSchema>;

/** How long a status question may take before the other end counts as not a Wasel server. */
const STATUS_TIMEOUT_MS = 5_000;
/** The snapshot travels in pieces of this size, never copied whole. */
const PIECE = 1024 * 1024;

const channelPath = (dataDir: string) => resolve(dataDir, CHANNEL_FILE);
const digest = (text: string) => createHash('sha256').update(text).digest();
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** The blob's bytes, one piece at a time. */
async function* pieces(blob: Blob): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < blob.size; offset += PIECE)
    yield new Uint8Array(await blob.slice(offset, offset + PIECE).arrayBuffer());
}

async function sha256Of(blob: Blob): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of pieces(blob)) hash.update(piece);
  return hash.digest('hex');
}

/** Reads the first line a connection sends; undefined when it closes first or sends too much. */
function readLine(socket: Socket, limit = 64 * 1024): Promise<string | undefined> {
  return new Promise((resolveLine) => {
    let text = '';
    const done = (line: string | undefined) => {
      socket.off('data', onData);
      socket.off('close', onClose);
      resolveLine(line);
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end >= 0) done(text.slice(0, end));
      else if (text.length > limit) done(undefined);
    };
    const onClose = () => {
      done(undefined);
    };
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

export interface AdminChannel {
  /** From now on a backup request is answered with a snapshot made by `snapshot`. */
  serve(snapshot: () => Promise<Blob>): void;
  /** Stops listening and removes DATA_DIR/wasel-admin.json. */
  close(): Promise<void>;
}

/**
 * Opens the running server's admin channel on DATA_DIR: refuses when another server runs there, listens on a
 * loopback port with a new token, and writes both to DATA_DIR/wasel-admin.json (mode 600).
 */
export async function openAdminChannel(dataDir: string, log: Logger): Promise<AdminChannel> {
  const other = await findServer(dataDir);
  if (other !== undefined)
    throw new Error(
      `Another Wasel server (pid ${other.pid}) is running on DATA_DIR ${dataDir}: PGlite allows one process per ` +
        `data directory. (If none runs, remove ${channelPath(dataDir)}.)`,
    );
  let token = randomBytes(32).toString('base64url');
  let snapshot: (() => Promise<Blob>) | undefined;
  const file = channelPath(dataDir);
  let port = 0;
  const writeChannel = async () => {
    const channel: Channel = { port, token, pid: process.pid };
    await writeFile(`${file}.tmp`, JSON.stringify(channel), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  };

  async function answer(socket: Socket): Promise<void> {
    const reply = (a: Answer) => {
      socket.end(`${JSON.stringify(a)}\n`);
    };
    socket.setTimeout(STATUS_TIMEOUT_MS, () => socket.destroy());
    const request = requestSchema.safeParse(parseJson((await readLine(socket)) ?? ''));
    if (!request.success || !timingSafeEqual(digest(request.data.token), digest(token))) {
      log.warn('admin channel: a request without the right token was refused');
      reply({ ok: false, error: 'Not allowed: the token does not match DATA_DIR/wasel-admin.json.' });
      return;
    }
    if (request.data.command === 'status') {
      reply({ ok: true, pid: process.pid });
      return;
    }
    if (snapshot === undefined) {
      reply({ ok: false, error: 'The server is still starting: try again in a moment.' });
      return;
    }
    // Making the snapshot and sending it take as long as they take.
    socket.setTimeout(0);
    const started = Date.now();
    let blob: Blob;
    try {
      blob = await snapshot();
      // The copy holds this file with the token that asked for it: a new token from now on, so that no one
      // holding a backup can ask the server for another.
      token = randomBytes(32).toString('base64url');
      await writeChannel();
    } catch (err) {
      log.error({ err }, 'backup snapshot failed');
      reply({ ok: false, error: `The snapshot failed: ${messageOf(err)}` });
      return;
    }
    try {
      const header: Answer = { ok: true, pid: process.pid, bytes: blob.size, sha256: await sha256Of(blob) };
      socket.write(`${JSON.stringify(header)}\n`);
      await pipeline(pieces(blob), socket);
      log.info({ bytes: blob.size, ms: Date.now() - started }, 'backup snapshot sent');
    } catch (err) {
      // The command checks the size and SHA-256 it receives: a cut-short copy is never taken for a backup.
      log.warn({ err }, 'backup snapshot not delivered');
      socket.destroy();
    }
  }

  const server = createServer((socket) => {
    // A client that breaks the connection is no concern of the server's; answer() sees the socket close.
    socket.on('error', () => undefined);
    answer(socket).catch((err: unknown) => {
      log.error({ err }, 'admin channel: answering failed');
      socket.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  try {
    await mkdir(dataDir, { recursive: true });
    await writeChannel();
  } catch (error) {
    server.close();
    throw error;
  }
  log.info({ port }, 'admin channel listening on loopback (backups)');
  return {
    serve(make) {
      snapshot = make;
    },
    async close() {
      await rm(file, { force: true });
      await new Promise<void>((resolveClose) => {
        server.close(() => {
          resolveClose();
        });
      });
    },
  };
}

/** Thrown when nothing that speaks the admin protocol answers on the channel's port. */
class Unreachable extends Error {}

/** Connects to the channel and sends one request; resolves with the connected socket. */
function request(channel: Channel, command: 'status' | 'backup'): Promise<Socket> {
  return new Promise((resolveSocket, reject) => {
    const socket = connect({ host: '127.0.0.1', port: channel.port });
    const refused = (error: Error) => {
      reject(new Unreachable(error.message));
    };
    socket.once('error', refused);
    socket.once('connect', () => {
      socket.off('error', refused);
      socket.write(`${JSON.stringify({ token: channel.token, command })}\n`);
      resolveSocket(socket);
    });
  });
}

async function readChannel(dataDir: string): Promise<Channel | undefined> {
  const file = channelPath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EACCES')
      throw new Error(
        `Cannot read ${file}: run this command as the service's user (for example sudo -u wasel npm run admin -- …).`,
      );
    throw error;
  }
  const parsed = channelSchema.safeParse(parseJson(text));
  // A file cut short (a crash while it was written) names no server.
  return parsed.success ? parsed.data : undefined;
}

/** The channel of the server running on `dataDir` and its pid, if one answers there. */
async function liveServer(dataDir: string): Promise<{ channel: Channel; pid: number } | undefined> {
  const channel = await readChannel(dataDir);
  if (channel === undefined) return undefined;
  let socket: Socket;
  try {
    socket = await request(channel, 'status');
  } catch (error) {
    if (error instanceof Unreachable) return undefined;
    throw error;
  }
  try {
    socket.setTimeout(STATUS_TIMEOUT_MS, () => socket.destroy());
    // Whatever else listens on a port a killed server left behind does not answer in this protocol; its
    // errors mean the same as its silence.
    socket.on('error', () => undefined);
    const answer = answerSchema.safeParse(parseJson((await readLine(socket)) ?? ''));
    // A Wasel server answered: with its pid, or (the token does not match) with a refusal.
    if (answer.success) return { channel, pid: answer.data.ok ? answer.data.pid : channel.pid };
    // No answer in time, or not in this protocol: a busy server (a snapshot holds it for seconds), or another
    // program now on the port of a server that was killed. Whether the server's process lives tells which.
    return alive(channel.pid) ? { channel, pid: channel.pid } : undefined;
  } finally {
    socket.destroy();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return errorCode(error) === 'EPERM';
  }
}

/**
 * The server running on `dataDir`, if one answers on its admin channel; undefined when none does (never
 * started, stopped, or killed and its file left behind).
 */
export async function findServer(dataDir: string): Promise<{ pid: number } | undefined> {
  const live = await liveServer(dataDir);
  return live === undefined ? undefined : { pid: live.pid };
}

/**
 * Passes the archive through, counting it and computing its SHA-256. With `header`, the stream starts with the
 * server's answer line, which is parsed and kept, not passed.
 */
class Receiver extends Transform {
  answer: Answer | undefined;
  bytes = 0;
  private readonly hash = createHash('sha256');
  private pending: Buffer | undefined;

  constructor(header: boolean) {
    super();
    if (header) this.pending = Buffer.alloc(0);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.pending === undefined) {
      this.pass(chunk, callback);
      return;
    }
    const pending = Buffer.concat([this.pending, chunk]);
    const end = pending.indexOf(10);
    if (end < 0) {
      this.pending = pending;
      callback(pending.length > 64 * 1024 ? new Error('The server sent no answer line.') : null);
      return;
    }
    this.pending = undefined;
    const answer = answerSchema.safeParse(parseJson(pending.subarray(0, end).toString('utf8')));
    if (!answer.success) {
      callback(new Error('The server answered something that is not a backup.'));
      return;
    }
    if (!answer.data.ok) {
      callback(new Error(`The server could not make the backup: ${answer.data.error}`));
      return;
    }
    this.answer = answer.data;
    this.pass(pending.subarray(end + 1), callback);
  }

  private pass(chunk: Buffer, callback: TransformCallback) {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    callback(null, chunk);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}

export interface BackupResult {
  /** The server that made the snapshot, or undefined when no server ran and the command made it. */
  serverPid: number | undefined;
  /** Sizes of the archive: as made, and as written (gzip). */
  bytes: number;
  written: number;
}

/**
 * Writes a consistent snapshot of DATA_DIR's database to `out` (a gzip-compressed tar archive, mode 600):
 * made by the running server, or here when none runs. Written beside `out` first and renamed when complete
 * and verified, so `out` is never a partial backup.
 */
export async function backup(dataDir: string, out: string): Promise<BackupResult> {
  const channel = (await liveServer(dataDir))?.channel;
  let source: AsyncIterable<Uint8Array> | Socket;
  let expected: { pid: number | undefined; bytes: number } | undefined;
  const receiver = new Receiver(channel !== undefined);
  if (channel === undefined) {
    if (!(await exists(resolve(dataDir, 'PG_VERSION'))))
      throw new Error(`There is no database in DATA_DIR ${dataDir} to back up.`);
    const db = await openPglite(dataDir);
    let blob: Blob;
    try {
      blob = await db.snapshot();
    } finally {
      await db.close();
    }
    source = pieces(blob);
    expected = { pid: undefined, bytes: blob.size };
  } else {
    source = await request(channel, 'backup').catch((error: unknown) => {
      throw new Error(`The server stopped answering: ${messageOf(error)}`);
    });
  }
  const partial = `${out}.partial`;
  try {
    await pipeline(source, receiver, createGzip(), createWriteStream(partial, { mode: 0o600 }));
    const answer = receiver.answer;
    if (answer?.ok === true) {
      if (answer.bytes !== receiver.bytes || answer.sha256 !== receiver.sha256())
        throw new Error('The snapshot arrived incomplete (its size or SHA-256 differ).');
      expected = { pid: answer.pid, bytes: receiver.bytes };
    }
    if (expected?.bytes !== receiver.bytes) throw new Error('The snapshot was not written whole.');
    // On disk before it takes the name of a backup.
    const file = await open(partial, 'r+');
    try {
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw new Error(`No backup was written: ${messageOf(error)}`);
  }
  return { serverPid: expected.pid, bytes: expected.bytes, written: (await stat(out)).size };
}

export interface RestoreResult {
  /** Where the data that was in DATA_DIR went (kept, never deleted); undefined when DATA_DIR was empty. */
  aside: string | undefined;
}

/**
 * Checks that `from` is whole and is what backup() writes, a gzip-compressed tar archive, before anything is
 * changed (PGlite's own unpacking would fail later and less clearly).
 */
async function checkArchive(from: string): Promise<void> {
  let first: Buffer | undefined;
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      first ??= Buffer.from(chunk.subarray(0, 512));
      bytes += chunk.length;
      callback();
    },
  });
  try {
    await pipeline(createReadStream(from), createGunzip(), sink);
  } catch (error) {
    throw new Error(`${from} is not a whole backup (gzip): ${messageOf(error)}`);
  }
  // A tar archive is made of 512-byte blocks; its first header says "ustar" at offset 257.
  if (bytes === 0 || bytes % 512 !== 0 || first?.subarray(257, 262).toString('latin1') !== 'ustar')
    throw new Error(`${from} is not a backup of Wasel's database (a tar archive inside the gzip).`);
}

const runningMessage = (dataDir: string, pid: number) =>
  `The server (pid ${pid}) is running on DATA_DIR ${dataDir}. Stop it first (systemctl stop wasel), then ` +
  `restore. (If none runs, remove ${channelPath(dataDir)}.)`;

/**
 * Restores a backup into a stopped server's DATA_DIR. The archive is loaded and migrated in a folder beside
 * DATA_DIR first (a bad file changes nothing); then DATA_DIR moves aside to DATA_DIR.before-restore-<time>
 * and the loaded folder takes its place.
 */
export async function restore(dataDir: string, from: string, now: Date): Promise<RestoreResult> {
  const target = resolve(dataDir);
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const staging = `${target}.restoring-${stamp}`;
  const aside = `${target}.before-restore-${stamp}`;
  const before = await findServer(dataDir);
  if (before !== undefined) throw new Error(runningMessage(dataDir, before.pid));
  if (!(await exists(from))) throw new Error(`There is no backup file ${from}.`);
  await checkArchive(from);
  if ((await exists(staging)) || (await exists(aside)))
    throw new Error(`${staging} or ${aside} already exists: try again in a second.`);
  try {
    // The backups this module writes are gzip-compressed; PGlite unpacks them itself.
    const loaded = await PGlite.create(staging, {
      loadDataDir: await openAsBlob(from, { type: 'application/gzip' }),
    });
    await loaded.close();
    // The copy holds the channel file of the server it was made in: that server is not running here.
    await rm(resolve(staging, CHANNEL_FILE), { force: true });
    // The restored database gets the schema of this version, as a server start would give it.
    const db = await openPglite(staging);
    try {
      await migrate(db);
      // The version numbers after the backup will be handed out again, for other changes: every device's
      // pull cursor is refused and it pulls again from the start.
      await renewSyncEpochs(db);
    } finally {
      await db.close();
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`${from} could not be restored (DATA_DIR is unchanged): ${messageOf(error)}`);
  }
  const after = await findServer(dataDir);
  if (after !== undefined) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(runningMessage(dataDir, after.pid));
  }
  const hadData = await exists(target);
  if (hadData) await rename(target, aside);
  try {
    await rename(staging, target);
  } catch (error) {
    // The data put aside goes back where it was: a restore that fails leaves DATA_DIR as it found it.
    if (hadData) await rename(aside, target);
    await rm(staging, { recursive: true, force: true });
    throw new Error(`${from} could not be put in place (DATA_DIR is unchanged): ${messageOf(error)}`);
  }
  return { aside: hadData ? aside : undefined };
}
