// Starts the backend: opens the database, migrates, seeds the demo if asked, serves HTTP, and stops cleanly.
import { readFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { serve } from '@hono/node-server';
import { openAdminChannel } from './backup';
import type { Config } from './config';
import { formatDemoAccounts, seedDemo } from './demo';
import { createApp } from './http/app';
import { createMetrics } from './http/metrics';
import type { Logger } from './log';
import { createAdminService } from './services/admin-service';
import { createAuthService } from './services/auth-service';
import { createSyncService } from './services/sync-service';
import { createAttachmentService } from './services/attachment-service';
import { createRightsService } from './services/rights-service';
import { createComplaintService } from './services/complaint-service';
import { createDashboardService } from './services/dashboard-service';
import { createAssociationService } from './services/association-service';
import { createIncidentService } from './services/incident-service';
import { createImportService } from './services/import-service';
import { createStaffService } from './services/staff-service';
import { createDuplicateService } from './services/duplicate-service';
import { resolveSecret } from './services/secret';
import { openPglite, openPostgres, type Db } from './store/db';
import { migrate } from './store/migrate';

export const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** How long an idle connection is kept open for the device's next request (Keep-Alive: timeout=65). */
export const KEEP_ALIVE_MS = 65_000;

export interface RunningServer {
  port: number;
  db: Db;
  /**
   * Readiness answers 503 from now on (the proxy stops sending requests here), and this resolves after the
   * configured drain time; requests keep being answered meanwhile.
   */
  drain(): Promise<void>;
  /** Stops accepting connections, lets requests in flight finish, then closes the database. */
  close(): Promise<void>;
}

export function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Db> {
  return config.databaseUrl === undefined
    ? openPglite(config.dataDir)
    : Promise.resolve(openPostgres({ connectionString: config.databaseUrl }));
}

export async function startServer(
  config: Config,
  log: Logger,
  print: (text: string) => void = console.log,
): Promise<RunningServer> {
  // PGlite: the admin channel (backups, and the sign that DATA_DIR is taken) opens first, so that a second
  // server on the same DATA_DIR stops before it opens the database.
  const admin = config.databaseUrl === undefined ? await openAdminChannel(config.dataDir, log) : undefined;
  const pglite = admin === undefined ? undefined : await openPglite(config.dataDir);
  const db = pglite ?? (await openDatabase(config));
  const applied = await migrate(db);
  log.info({ db: db.kind, applied }, 'database ready');
  if (pglite !== undefined) admin?.serve(() => pglite.snapshot());

  const { secret, source } = await resolveSecret(db, config.secret);
  if (source === 'database')
    log.warn('WASEL_SECRET is not set: using a generated secret stored in the database');

  if (config.demo) {
    const seeded = await seedDemo(createAdminService(db));
    if (seeded.length > 0) print(formatDemoAccounts(seeded));
    else log.info('demo mode: database already has data, nothing seeded');
  }

  const now = () => Date.now();
  const attachments = createAttachmentService({
    db,
    now,
    log,
  });
  const rights = createRightsService({ db, now });
  const duplicates = createDuplicateService({ db, now });
  const metrics = config.metricsToken === undefined ? undefined : createMetrics();
  let draining = false;
  const auth = createAuthService({ db, secret, now });
  const app = createApp({
    auth,
    sync: createSyncService({ db, now }),
    attachments,
    rights,
    duplicates,
    complaints: createComplaintService({ db, now }),
    dashboard: createDashboardService({ db, now }),
    staff: createStaffService({ db }),
    association: createAssociationService({ db, now: now }),
    imports: createImportService({ db, now }),
    incidents: createIncidentService({ db, auth, now }),
    db,
    log,
    dbKind: db.kind,
    version,
    demo: config.demo,
    staticDir: config.staticDir,
    ...(metrics === undefined ? {} : { metrics, metricsToken: config.metricsToken }),
    draining: () => draining,
    trustProxy: config.trustProxy,
  });

  // HTTPS when given a certificate: the PWA's service worker (offline work) needs a secure origin.
  const tls =
    config.tls === undefined
      ? undefined
      : { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const options = { fetch: app.fetch, port: config.port, hostname: config.host };
    const s = serve(
      tls === undefined ? options : { ...options, createServer: createHttpsServer, serverOptions: tls },
      () => {
        resolve(s);
      },
    );
  });
  // A device syncs every few seconds to a minute: it keeps its connection (and, reaching this server over
  // HTTPS without a proxy, its TLS session) between syncs instead of a handshake each time. With Node's default
  // of 5 s, a connection could be closed by the server just as a device reused it, and that request failed.
  // Shutdown is not held by kept-alive connections: Node's close() ends each one after its answer in flight.
  if ('keepAliveTimeout' in server) server.keepAliveTimeout = KEEP_ALIVE_MS;
  // At shutdown, once no request is being answered, the connections still open are closed. A connection on
  // which nothing was sent yet (a browser opens some ahead of its requests; over HTTPS, one still in its
  // handshake) is not idle to Node, and would hold close() until the grace period ran out and the process
  // exited 1.
  const connections = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  let inFlight = 0;
  let whenNoneInFlight: (() => void) | undefined;
  server.on('request', (_req: unknown, res: { once(event: 'close', listener: () => void): unknown }) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) whenNoneInFlight?.();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ https: tls !== undefined, trustProxy: config.trustProxy, port, demo: config.demo }, 'listening');

  // Daily: uploads abandoned for longer than the expiry (a device lost mid-upload) are removed, and records
  // whose retention period has ended are destroyed (L-RETAIN).
  const purge = () => {
    attachments.purgeExpiredUploads().then(
      (removed) => {
        if (removed > 0) log.info({ removed }, 'expired uploads removed');
      },
      (err: unknown) => {
        log.error({ err }, 'purging expired uploads failed');
      },
    );
    rights.purgeExpired().then(
      (destroyed) => {
        for (const d of destroyed) log.info(d, 'records past their retention destroyed');
      },
      (err: unknown) => {
        log.error({ err }, 'the retention job failed');
      },
    );
  };
  purge();
  const purgeTimer = setInterval(purge, 24 * 60 * 60 * 1000);
  purgeTimer.unref();

  return {
    port,
    db,
    async drain() {
      draining = true;
      metrics?.setDraining(true);
      log.info({ seconds: config.drainSeconds }, 'draining: readiness now answers 503');
      await new Promise((resolve) => setTimeout(resolve, config.drainSeconds * 1000));
    },
    async close() {
      clearInterval(purgeTimer);
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        // Keep-alive connections with no request in flight would hold close() open.
        if ('closeIdleConnections' in server) server.closeIdleConnections();
        // Ended, not destroyed: a connection with bytes still unread (a body never read, a request on its way)
        // would be reset at once, and an answer just handed to the system could be lost. A peer that does not
        // close its side within a second is cut.
        whenNoneInFlight = () => {
          for (const socket of connections) {
            socket.end();
            setTimeout(() => socket.destroy(), 1000).unref();
          }
        };
        if (inFlight === 0) whenNoneInFlight();
      });
      await db.close();
      // Only now: until the database is closed, DATA_DIR is taken.
      await admin?.close();
      log.info('stopped');
    },
  };
}
