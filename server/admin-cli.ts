// The administration commands of `npm run admin -- <command> [options]` (server/cli.ts), for real deployments,
// on the same database the server uses (DATA_DIR or DATABASE_URL). Passwords are read from standard input,
// never argv. Kept apart from the process (its arguments, streams and exit code) so tests run it in-process.
import { createInterface } from 'node:readline/promises';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { roleSchema } from '../src/protocol/auth';
import { backup, findServer, restore } from './backup';
import { loadConfig, type Config } from './config';
import { openDatabase } from './server';
import { createAdminService } from './services/admin-service';
import { ServiceError } from './services/errors';
import { migrate } from './store/migrate';
import { renewSyncEpochs } from './store/versions';

const usage = `Usage: npm run admin -- <command> [options]

  create-association --code CODE --name-ar NAME --name-en NAME [--template common|ld|bakkah|awn|qalb|kadi]
  create-branch      --association CODE --code CODE --name-ar NAME --name-en NAME
  create-user        --association CODE [--branch CODE] --username NAME --name "DISPLAY NAME" --role ROLE
                     (the password is read from standard input; roles: ${roleSchema.options.join(', ')})
  list-devices       --association CODE
  revoke-device      --association CODE --device DEVICE_ID [--reason TEXT]
  backup             --out FILE    a consistent copy of the embedded database (PGlite) in one file
                                   (gzip tar, mode 600); while the server runs, the server makes it
  restore            --from FILE   puts a backup in place of DATA_DIR; the server must be stopped, and
                                   the data it replaces is kept in DATA_DIR.before-restore-<time>
  restored                         after restoring PostgreSQL from a backup (pg_restore, point-in-time
                                   recovery): every device pulls again from the start (\`restore\` does this)

The database is the server's: DATA_DIR (PGlite, default ./data) or DATABASE_URL (PostgreSQL). With PGlite,
only backup works while the server runs (one process at a time may open DATA_DIR).`;

const options = {
  code: { type: 'string' },
  template: { type: 'string' },
  profile: { type: 'string' },
  'name-ar': { type: 'string' },
  'name-en': { type: 'string' },
  association: { type: 'string' },
  branch: { type: 'string' },
  username: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  device: { type: 'string' },
  reason: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function required(values: Values, name: keyof Values): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required.`);
  return value.trim();
}

class UsageError extends Error {}

/** Where a command reads and writes: the process's own streams, or a test's. */
export interface AdminIo {
  env: NodeJS.ProcessEnv;
  /** Standard input, where the password of `create-user` is read. */
  stdin: Readable & { isTTY?: boolean };
  /** A line of the command's output. */
  print(line: string): void;
  /** A line saying why the command failed. */
  printError(line: string): void;
  /** A prompt, when standard input is a terminal. */
  prompt?: NodeJS.WritableStream;
}

async function readPassword(io: AdminIo): Promise<string> {
  const tty = io.stdin.isTTY === true;
  const rl = createInterface({ input: io.stdin, output: tty ? io.prompt : undefined });
  try {
    return (await rl.question(tty ? 'Password: ' : '')).trim();
  } finally {
    rl.close();
  }
}

/** Runs one command; resolves to the exit code, having printed the result or the error. */
export async function runAdmin(argv: string[], io: AdminIo): Promise<number> {
  try {
    await run(argv, io);
    return 0;
  } catch (error: unknown) {
    if (error instanceof UsageError) io.printError(`${error.message}\n\n${usage}`);
    else if (error instanceof ServiceError) io.printError(`${error.code}: ${error.message}`);
    else io.printError(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

async function run(argv: string[], io: AdminIo): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  const command = positionals[0];
  if (values.help === true || command === undefined) {
    io.print(usage);
    return;
  }
  const config = loadConfig(io.env);
  if (command === 'backup' || command === 'restore') {
    await backupOrRestore(command, values, config, io);
    return;
  }
  if (config.databaseUrl === undefined) {
    const running = await findServer(config.dataDir);
    if (running !== undefined)
      throw new Error(
        `The server (pid ${running.pid}) is running on DATA_DIR ${config.dataDir}, and PGlite allows one process ` +
          "per data directory: stop it first (systemctl stop wasel), or do this in the app's administrator console.",
      );
  }
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const admin = createAdminService(db);
    switch (command) {
      case 'create-association': {
        const id = await admin.createAssociation({
          code: required(values, 'code'),
          nameAr: required(values, 'name-ar'),
          nameEn: required(values, 'name-en'),
          profileCode: values.template ?? values.profile,
        });
        io.print(`Association created: ${id}`);
        break;
      }
      case 'create-branch': {
        const id = await admin.createBranch({
          associationCode: required(values, 'association'),
          code: required(values, 'code'),
          nameAr: required(values, 'name-ar'),
          nameEn: required(values, 'name-en'),
        });
        io.print(`Branch created: ${id}`);
        break;
      }
      case 'create-user': {
        const role = roleSchema.safeParse(required(values, 'role'));
        if (!role.success) throw new UsageError(`--role must be one of: ${roleSchema.options.join(', ')}.`);
        const input = {
          associationCode: required(values, 'association'),
          branchCode: values.branch,
          username: required(values, 'username'),
          displayName: required(values, 'name'),
          role: role.data,
        };
        const id = await admin.createUser({ ...input, password: await readPassword(io) });
        io.print(`User created: ${id}`);
        break;
      }
      case 'list-devices': {
        const devices = await admin.listDevices(required(values, 'association'));
        for (const d of devices) {
          const state = d.revoked_at === null ? 'active' : `revoked ${d.revoked_at.toISOString()}`;
          io.print(
            `${d.id}  ${d.name}  last seen ${d.last_seen_at.toISOString()} by ${d.last_user ?? '—'}  ${state}`,
          );
        }
        if (devices.length === 0) io.print('No devices.');
        break;
      }
      case 'revoke-device': {
        await admin.revokeDevice(
          required(values, 'association'),
          required(values, 'device'),
          new Date(),
          values.reason ?? 'revoked by an administrator',
        );
        io.print('Device revoked: its sessions have ended and it will wipe its data at its next contact.');
        break;
      }
      case 'restored': {
        const renewed = await renewSyncEpochs(db);
        io.print(
          `A new sync epoch for ${String(renewed)} association(s): each device sends again what the backup lacks ` +
            'of its work, and pulls again from the start, at its next sync.',
        );
        break;
      }
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } finally {
    await db.close();
  }
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function backupOrRestore(
  command: 'backup' | 'restore',
  values: Values,
  config: Config,
  io: AdminIo,
): Promise<void> {
  if (config.databaseUrl !== undefined)
    throw new Error(
      `${command} is for the embedded database (PGlite, DATA_DIR). With DATABASE_URL the data is in your ` +
        'PostgreSQL: back it up with pg_dump -Fc and restore it with pg_restore, or set up continuous archiving ' +
        '(docs/operations.md, "Backups and restore").',
    );
  if (command === 'backup') {
    const out = required(values, 'out');
    const made = await backup(config.dataDir, out);
    const by =
      made.serverPid === undefined
        ? 'made directly (no server was running)'
        : `made by the running server (pid ${made.serverPid})`;
    io.print(
      `Backup written to ${out}: ${megabytes(made.written)} (${megabytes(made.bytes)} unpacked), ${by}.`,
    );
    return;
  }
  const from = required(values, 'from');
  const restored = await restore(config.dataDir, from, new Date());
  io.print(
    [
      `Restored ${from} into DATA_DIR ${config.dataDir}.`,
      ...(restored.aside === undefined
        ? []
        : [`The data it replaced is kept in ${restored.aside}: remove it once you no longer need it.`]),
      'Start the server: each device sends again what the backup lacks of its work when it next syncs a change',
      '(docs/operations.md, "Backups and restore").',
    ].join('\n'),
  );
}
