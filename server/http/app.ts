// The HTTP application: public auth and health routes, then everything under /api behind a valid access
// token, then the PWA. Handlers are thin: parse → service → serialize.
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { parseAccept } from 'hono/utils/accept';
import { requestId } from 'hono/request-id';
import type { BlankInput } from 'hono/types';
import { secureHeaders } from 'hono/secure-headers';
import { rateLimiter } from 'hono-rate-limiter';
import {
  deviceIdSchema,
  loginRequestSchema,
  logoutRequestSchema,
  refreshRequestSchema,
  revokeDeviceRequestSchema,
} from '../../src/protocol/auth';
import { ErrorCode } from '../../src/protocol/errors';
import type { HealthResponse } from '../../src/protocol/health';
import type { Logger } from '../log';
import type { AuthContext, AuthService } from '../services/auth-service';
import { ServiceError } from '../services/errors';
import { ping, type DbKind, type Queryable } from '../store/db';
import type { AssociationService } from '../services/association-service';
import { mountAdminRoutes, mountIncidentRoutes } from './admin-routes';
import { mountImportRoutes } from './import-routes';
import type { ImportService } from '../services/import-service';
import { PASSWORD_PATH, PROFILE_PATH } from '../../src/protocol/admin';
import type { SyncService } from '../services/sync-service';
import type { AttachmentService } from '../services/attachment-service';
import type { RightsService } from '../services/rights-service';
import type { DuplicateService } from '../services/duplicate-service';
import type { ComplaintService } from '../services/complaint-service';
import type { DashboardService } from '../services/dashboard-service';
import type { StaffService } from '../services/staff-service';
import type { IncidentService } from '../services/incident-service';
import { STAFF_PATH } from '../../src/protocol/admin';
import { DASHBOARD_PATH } from '../../src/protocol/dashboard';
import { mountComplaintRoutes } from './complaint-routes';
import { DUPLICATES_PATH } from '../../src/protocol/duplicates';
import { duplicateCheckRequestSchema } from '../../src/protocol/duplicates-request';
import { destroyRequestSchema, RIGHTS_PATH } from '../../src/protocol/rights';
import { EXPORT_HTML_CSP, exportToHtml } from './export-html';
import { FILES_PATH, UPLOADS_PATH } from '../../src/protocol/attachments';
import { pushRequestSchema } from '../../src/protocol/push';
import { errorResponse, parseJson, serviceErrorResponse } from './errors';
import { mountStatic } from './static';
import { mountMetrics, type Metrics } from './metrics';
import { databaseRateStore } from '../store/rate-limits';
import { DIRECTORY_PATH } from '../../src/protocol/directory';
import { mountOpenApi } from '../openapi';

export interface AppDeps {
  auth: AuthService;
  sync: SyncService;
  attachments: AttachmentService;
  rights: RightsService;
  duplicates: DuplicateService;
  complaints: ComplaintService;
  dashboard: DashboardService;
  staff: StaffService;
  association: AssociationService;
  imports: ImportService;
  /** Lost devices' incidents (L-BREACH). */
  incidents: IncidentService;
  db: Queryable;
  log: Logger;
  dbKind: DbKind;
  version: string;
  demo: boolean;
  /** Built PWA to serve; undefined serves the API only (tests of the API). */
  staticDir: string | undefined;
  /** Prometheus metrics, served at /metrics to a scraper holding `metricsToken` (neither: no /metrics). */
  metrics?: Metrics;
  metricsToken?: string;
  /** True once the instance drains before stopping: readiness answers 503 so the proxy sends no more. */
  draining?: () => boolean;
  /** Behind one reverse proxy: a client's address is the last X-Forwarded-For entry (the proxy's view). */
  trustProxy?: boolean;
}

export type AppEnv = { Variables: { auth: AuthContext } };

/** What a user with a temporary password may call: who they are, the policy, and the password change. */
const passwordFirstPaths: ReadonlySet<string> = new Set(['/api/v1/me', PROFILE_PATH, PASSWORD_PATH]);

/** Largest JSON body the API accepts; attachments travel over tus, not here. */
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_PULL_LIMIT = 500;
/** Duplicate checks one user may make in a window: a busy day's registrations, not an enumeration. */
export const DUPLICATE_CHECKS_PER_WINDOW = 60;
export const DUPLICATE_CHECK_WINDOW_MS = 10 * 60 * 1000;

const gzipped = promisify(gzip);

/**
 * zlib's level for answers compressed at once, on the event loop: on pull pages of the benchmark's households
 * (30 to 88 records), level 3 takes the time of level 1 (0.13–0.29 ms) for output 6–11% smaller, and level 6
 * takes up to 0.5 ms for output 10–13% smaller again. Larger answers go to the thread pool at zlib's default
 * level (6): a first sync's pages, where the bytes on a weak link count most (8.5× smaller, against 6.4× at
 * level 1).
 */
const GZIP_AT_ONCE_OPTIONS = { level: 3 };

/** Answers up to this many bytes are compressed at once: a job on the thread pool costs more than the work. */
const GZIP_AT_ONCE = 256 * 1024;

/**
 * A sync answer (JSON text), gzipped for a device that accepts gzip. Sync answers are the bulk of what a
 * device downloads, often over a weak mobile link: gzip shrinks a pull about thirteenfold (issue 8's benchmark;
 * PouchDB's server compresses too). The answer is whole before it is sent, so it is compressed in one call:
 * Hono's compress middleware streamed it through a CompressionStream, and with every device accepting gzip
 * the server fell behind at 2,000 mutations/s with pulls. A large answer (a first sync's pages) is
 * compressed on the thread pool, so the event loop is not held. Answers under 1 KB go as they are (gzip
 * saves little there; Hono's middleware compressed them too). Only sync: a login or token answer is small and
 * carries secrets, which are better not compressed alongside other content.
 */
async function syncAnswer(c: Context, json: string): Promise<Response> {
  const headers = { 'Content-Type': 'application/json', Vary: 'Accept-Encoding' };
  const bytes = Buffer.byteLength(json);
  if (bytes < 1024 || !acceptsGzip(c.req.header('Accept-Encoding'))) return c.body(json, 200, headers);
  const body = bytes <= GZIP_AT_ONCE ? gzipSync(json, GZIP_AT_ONCE_OPTIONS) : await gzipped(json);
  return c.body(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), 200, {
    ...headers,
    'Content-Encoding': 'gzip',
  });
}

/**
 * Does an Accept-Encoding header admit gzip: named with a weight above 0, or not named and `*` admitted
 * (RFC 9110, 12.5.3)? Every browser names it.
 */
function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  const accepted = parseAccept(header);
  const weight = (type: string) => accepted.find((a) => a.type.toLowerCase() === type)?.q;
  return (weight('gzip') ?? weight('*') ?? 0) > 0;
}

export function createApp(deps: AppDeps) {
  const { auth, log } = deps;
  const app = new Hono<AppEnv>();

  // Every answer carries an id (the proxy's X-Request-Id when it sends one), and so does every log line
  // about it: a user's report, the proxy's log and ours meet on it.
  app.use('*', requestId());
  app.use('*', async (c: Context<AppEnv, '*', BlankInput>, next) => {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    const who = c.get('auth') as AuthContext | undefined;
    // Path only: query strings may carry search terms with personal data.
    log.info(
      {
        reqId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(ms),
        user: who?.sub,
      },
      'request',
    );
    deps.metrics?.observe(c, ms / 1000);
  });

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
      },
      crossOriginEmbedderPolicy: false,
      // A response that sets its own policy (the printable export) keeps it.
      overwrite: false,
    }),
  );

  // The API's description (OpenAPI 3.1): public, and before the API's no-store, so that it can be cached.
  mountOpenApi(app);

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_JSON_BODY_BYTES,
      onError: (c) => errorResponse(c, ErrorCode.payloadTooLarge, 'The request body is too large.'),
    }),
  );
  app.use('/api/*', async (c, next) => {
    await next();
    // On the answer's own headers, as secureHeaders sets its own: c.header() after the answer is made
    // copies it into a new one whose body is a web stream, which the Node adapter then sends chunk by chunk
    // (a few percent of the server's work under load) instead of writing the text at once.
    c.res.headers.set('Cache-Control', 'no-store');
  });

  // Liveness: the process answers. A supervisor restarts an instance that stops answering this.
  app.get('/api/v1/health', (c) => {
    const body: HealthResponse = { status: 'ok', db: deps.dbKind, version: deps.version, demo: deps.demo };
    return c.json(body);
  });
  // Readiness: this instance should be sent requests — its database answers and it is not draining. A
  // proxy or orchestrator stops sending to an instance that answers 503 here.
  app.get('/api/v1/ready', async (c) => {
    if (deps.draining?.() === true) return c.json({ status: 'draining' }, 503);
    try {
      await ping(deps.db);
    } catch (error) {
      log.error({ err: error, reqId: c.get('requestId') }, 'readiness: the database does not answer');
      return c.json({ status: 'database_unavailable' }, 503);
    }
    return c.json({ status: 'ready' });
  });
  mountMetrics(app, deps.metrics, deps.metricsToken);

  app.post('/api/v1/auth/login', async (c) => {
    const body = await parseJson(c, loginRequestSchema);
    if (!body.ok) return body.response;
    try {
      return c.json(await auth.login(body.data));
    } catch (error) {
      if (error instanceof ServiceError && error.code === ErrorCode.invalidCredentials) {
        log.warn({ reqId: c.get('requestId'), username: body.data.username }, 'login failed');
      }
      throw error;
    }
  });

  app.post('/api/v1/auth/refresh', async (c) => {
    const body = await parseJson(c, refreshRequestSchema);
    if (!body.ok) return body.response;
    try {
      return c.json(await auth.refresh(body.data));
    } catch (error) {
      if (error instanceof ServiceError && error.code === ErrorCode.refreshTokenReused) {
        log.warn(
          { reqId: c.get('requestId'), deviceId: body.data.deviceId },
          'refresh token reused: session revoked',
        );
      }
      throw error;
    }
  });

  app.post('/api/v1/auth/logout', async (c) => {
    const body = await parseJson(c, logoutRequestSchema);
    if (!body.ok) return body.response;
    await auth.logout(body.data);
    return c.body(null, 204);
  });

  // The public complaint channel (K-CMPL-a): no account needed, limited per address.
  mountComplaintRoutes(app, deps.complaints, deps.db, deps.trustProxy === true);

  // Every other API call needs a valid access token — including ones that do not exist, so that an
  // unauthenticated caller cannot even map the API.
  app.use('/api/*', async (c, next) => {
    const header = c.req.header('Authorization');
    const token = header?.startsWith('Bearer ') === true ? header.slice('Bearer '.length).trim() : '';
    if (token === '') return errorResponse(c, ErrorCode.unauthorized, 'An access token is required.');
    const who = await auth.authenticate(token);
    c.set('auth', who);
    // A temporary password is changed before anything else; knowing who one is and what the policy says
    // is all that comes first.
    if (who.mustChangePassword === true && !passwordFirstPaths.has(c.req.path))
      return errorResponse(c, ErrorCode.passwordChangeRequired, 'Change the temporary password first.');
    await next();
    return undefined;
  });

  app.get('/api/v1/me', async (c) => c.json(await auth.profile(c.get('auth').sub)));

  app.post('/api/v1/sync/push', async (c) => {
    const body = await parseJson(c, pushRequestSchema);
    if (!body.ok) return body.response;
    return syncAnswer(c, JSON.stringify(await deps.sync.push(c.get('auth'), body.data)));
  });

  app.get('/api/v1/sync/pull', async (c) => {
    const limit = Number(c.req.query('limit') ?? DEFAULT_PULL_LIMIT);
    if (!Number.isInteger(limit) || limit < 1)
      return errorResponse(c, ErrorCode.invalidRequest, 'limit must be a positive integer.');
    // Written as JSON by the service, which passes the records' data on as the database holds it.
    return syncAnswer(c, await deps.sync.pull(c.get('auth'), c.req.query('cursor'), limit));
  });

  // Attachment files: tus uploads, created at the collection and continued at their own URL. Hono routes
  // HEAD as GET, so GET is registered for an upload and a real GET refused: uploads in progress are not for
  // reading (finished files are read below, by hash).
  const tus = (c: Context<AppEnv>) => deps.attachments.handleUpload(c.req.raw, c.get('auth'));
  app.on(['POST', 'OPTIONS'], UPLOADS_PATH, tus);
  app.on(['GET', 'PATCH', 'DELETE', 'OPTIONS'], `${UPLOADS_PATH}/:id`, (c) =>
    c.req.method === 'GET'
      ? errorResponse(c, ErrorCode.notFound, 'Uploads are not readable; read the file by its hash.')
      : tus(c),
  );
  app.on(['GET', 'HEAD'], `${FILES_PATH}/:sha256`, async (c) => {
    const head = c.req.method === 'HEAD';
    const file = await deps.attachments.read(c.get('auth'), c.req.param('sha256'), !head);
    c.header('Content-Type', file.mimeType);
    c.header('Content-Length', String(file.size));
    // Cache-Control stays no-store (as for all of /api): the app keeps files in its own store, and the
    // browser's HTTP cache is no place for a beneficiary's documents.
    c.header('X-Content-Type-Options', 'nosniff');
    return head ? c.body(null, 200) : c.body(file.data as Uint8Array<ArrayBuffer>, 200);
  });

  // Devices, for the association's administrator: a lost tablet is revoked here, and erases itself at
  // its next contact.
  app.get('/api/v1/admin/devices', async (c) => c.json({ devices: await auth.listDevices(c.get('auth')) }));
  // A device id that is not a UUID names no device.
  app.use('/api/v1/admin/devices/:deviceId/*', async (c, next) => {
    if (!deviceIdSchema.safeParse(c.req.param('deviceId')).success)
      return errorResponse(c, ErrorCode.notFound, 'No such device.');
    await next();
    return undefined;
  });
  app.get('/api/v1/admin/devices/:deviceId/records', async (c) =>
    c.json({ records: await auth.recordsOfDevice(c.get('auth'), c.req.param('deviceId')) }),
  );
  app.post('/api/v1/admin/devices/:deviceId/revoke', async (c) => {
    const body = await parseJson(c, revokeDeviceRequestSchema);
    if (!body.ok) return body.response;
    await auth.revokeDevice(c.get('auth'), c.req.param('deviceId'), body.data.reason);
    return c.body(null, 204);
  });

  // The duplicate check at registration: the whole association's answer, which a device cannot give from
  // its own branch's records. Limited per user (counted in the database, across instances), so that it
  // cannot be used to sweep national IDs; what it names is audited.
  app.post(
    DUPLICATES_PATH,
    rateLimiter<AppEnv>({
      windowMs: DUPLICATE_CHECK_WINDOW_MS,
      limit: DUPLICATE_CHECKS_PER_WINDOW,
      store: databaseRateStore(deps.db, 'duplicate-checks'),
      keyGenerator: (c) => c.get('auth').sub,
      standardHeaders: 'draft-6',
      handler: (c) =>
        errorResponse(c, ErrorCode.tooManyAttempts, 'Too many duplicate checks; try again later.'),
    }),
    async (c) => {
      const body = await parseJson(c, duplicateCheckRequestSchema);
      if (!body.ok) return body.response;
      return c.json(await deps.duplicates.check(c.get('auth'), body.data));
    },
  );

  // A beneficiary's rights (L-RIGHTS): a copy of everything held about them, as JSON or a printable page,
  // and the destruction of their file everywhere.
  app.get(`${RIGHTS_PATH}/:id/export`, async (c) => {
    const format = c.req.query('format') ?? 'json';
    if (format !== 'json' && format !== 'html')
      return errorResponse(c, ErrorCode.invalidRequest, 'format is json or html.');
    const doc = await deps.rights.exportFile(c.get('auth'), c.req.param('id'));
    c.header('Content-Disposition', `attachment; filename="beneficiary-${doc.beneficiaryId}.${format}"`);
    if (format === 'json') return c.json(doc);
    c.header('Content-Security-Policy', EXPORT_HTML_CSP);
    return c.html(exportToHtml(doc));
  });
  app.post(`${RIGHTS_PATH}/:id/destroy`, async (c) => {
    const body = await parseJson(c, destroyRequestSchema);
    if (!body.ok) return body.response;
    return c.json(await deps.rights.destroyFile(c.get('auth'), c.req.param('id'), body.data.reason));
  });

  // The staff and their sign-off of the current policy version (K-RESP), for the administrator.
  app.get(STAFF_PATH, async (c) => c.json(await deps.staff.list(c.get('auth'))));
  // The branches, and the researchers a request may be referred to by name (C-PROC-3): for all staff.
  app.get(DIRECTORY_PATH, async (c) => c.json(await deps.staff.directory(c.get('auth'))));

  // The supervisor's dashboard: the association's counts and means (supervisors and the administrator).
  app.get(DASHBOARD_PATH, async (c) => c.json(await deps.dashboard.read(c.get('auth'))));

  // The association's branches, people and policy profile (and the profile every device follows).
  mountAdminRoutes(app, deps.association, auth);
  mountIncidentRoutes(app, deps.incidents);
  mountImportRoutes(app, deps.imports, deps.db);

  app.all('/api/*', (c) => errorResponse(c, ErrorCode.notFound, 'No such API route.'));

  if (deps.staticDir !== undefined) mountStatic(app, deps.staticDir, log);

  // The one place a service's refusal becomes its response; anything else is a bug, logged as a 500.
  app.onError((error, c) => {
    if (error instanceof ServiceError) return serviceErrorResponse(c, error);
    log.error({ err: error, reqId: c.get('requestId'), path: c.req.path }, 'unhandled error');
    return errorResponse(c, ErrorCode.internal, 'Internal error.');
  });

  return app;
}
