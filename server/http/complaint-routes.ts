// The public complaint channel's routes (K-CMPL-a), before any token is asked for: the JSON API and the
// small HTML form that posts to itself. Both are limited per client address, sharing one count, so that
// the open door cannot be used to flood the follow-up unit.
import { getConnInfo } from '@hono/node-server/conninfo';
import { bodyLimit } from 'hono/body-limit';
import type { Context, Hono } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { normalizeSaudiMobile } from '../../src/domain/phone';
import {
  associationCodeSchema,
  COMPLAINT_PAGE_PATH,
  complaintReferenceSchema,
  PUBLIC_COMPLAINT_WINDOW_MS,
  PUBLIC_COMPLAINTS_PATH,
  PUBLIC_COMPLAINTS_PER_WINDOW,
  publicComplaintRequestSchema,
  STATUS_CHECKS_PER_WINDOW,
} from '../../src/protocol/complaints';
import { ErrorCode } from '../../src/protocol/errors';
import type { AssociationNames, ComplaintService } from '../services/complaint-service';
import { ServiceError } from '../services/errors';
import {
  COMPLAINT_PAGE_CSP,
  complaintFormPage,
  complaintLimitPage,
  complaintReceiptPage,
  complaintStatusPage,
  pageLang,
  type FormValues,
} from './complaint-page';
import { errorResponse, parseJson } from './errors';
import type { AppEnv } from './app';
import type { Queryable } from '../store/db';
import { databaseRateStore } from '../store/rate-limits';

/**
 * The address a request came from: the socket's peer or, behind a reverse proxy the server is told to trust,
 * the last X-Forwarded-For entry — the one the proxy itself added. Earlier entries are whatever the client
 * sent, so they are never believed; and without the trust, the header is ignored entirely.
 */
export function clientAddress(c: Context, trustProxy = false): string {
  if (trustProxy) {
    const forwarded = (c.req.header('X-Forwarded-For') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '')
      .at(-1);
    if (forwarded !== undefined) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not over a socket: the in-process requests of tests
  }
}

const emptyForm: FormValues = { kind: 'complaint', text: '', name: '', mobile: '', consent: false };

export function mountComplaintRoutes(
  app: Hono<AppEnv>,
  complaints: ComplaintService,
  /** Where the limits' hits are counted: the database every instance shares. */
  db: Queryable,
  trustProxy = false,
) {
  const isPage = (c: Context) => c.req.path.startsWith(COMPLAINT_PAGE_PATH);

  /** Refused by a limit: a JSON error for the API, a page a person can read for the form. */
  const limited = (message: string) => (c: Context) => {
    if (!isPage(c)) return errorResponse(c, ErrorCode.tooManyAttempts, message);
    c.header('Content-Security-Policy', COMPLAINT_PAGE_CSP);
    return c.html(complaintLimitPage('rate', pageLang(c.req.query('lang'))), 429);
  };
  const perAddress = (scope: string, limit: number, message: string) =>
    rateLimiter<AppEnv>({
      windowMs: PUBLIC_COMPLAINT_WINDOW_MS,
      limit,
      store: databaseRateStore(db, scope),
      keyGenerator: (c) => clientAddress(c, trustProxy),
      standardHeaders: 'draft-6',
      handler: limited(message),
    });
  const submissions = perAddress(
    'complaint-submissions',
    PUBLIC_COMPLAINTS_PER_WINDOW,
    'Too many complaints from this address; try later.',
  );
  const statusChecks = perAddress(
    'complaint-status-checks',
    STATUS_CHECKS_PER_WINDOW,
    'Too many status checks; try later.',
  );
  // An open door reads small bodies only: a complaint is 4,000 characters at most, so 64 KB (not the API's
  // 4 MB) for the form and the JSON API alike; refused as a page or a JSON error, like the limits above.
  const smallBody = bodyLimit({
    maxSize: 64 * 1024,
    onError: (c) => {
      if (!isPage(c)) return errorResponse(c, ErrorCode.payloadTooLarge, 'The request body is too large.');
      c.header('Content-Security-Policy', COMPLAINT_PAGE_CSP);
      return c.html(complaintLimitPage('size', pageLang(c.req.query('lang'))), 413);
    },
  });

  app.post(PUBLIC_COMPLAINTS_PATH, smallBody, submissions, async (c) => {
    const body = await parseJson(c, publicComplaintRequestSchema);
    if (!body.ok) return body.response;
    return c.json(await complaints.submit(body.data), 201);
  });
  app.get(`${PUBLIC_COMPLAINTS_PATH}/:association/:reference`, statusChecks, async (c) => {
    const code = associationCodeSchema.safeParse(c.req.param('association'));
    const reference = complaintReferenceSchema.safeParse(c.req.param('reference'));
    if (!code.success || !reference.success)
      return errorResponse(c, ErrorCode.notFound, 'No complaint has this reference.');
    return c.json(await complaints.status(code.data, reference.data));
  });

  // The HTML form, for the association's website to link to.
  const association = async (c: Context): Promise<AssociationNames | null> => {
    const code = associationCodeSchema.safeParse(c.req.param('association'));
    if (!code.success) return null;
    try {
      return await complaints.association(code.data);
    } catch (error) {
      if (error instanceof ServiceError && error.code === ErrorCode.notFound) return null;
      throw error;
    }
  };
  const html = (c: Context, body: string, status: 200 | 201 | 400 | 404 = 200) => {
    c.header('Content-Security-Policy', COMPLAINT_PAGE_CSP);
    c.header('Cache-Control', 'no-store');
    return c.html(body, status);
  };
  const notFound = (c: Context) =>
    html(
      c,
      '<!doctype html><html lang="ar" dir="rtl"><meta charset="utf-8"><p>لا توجد جمعية بهذا الرابط · No such association.</p></html>',
      404,
    );

  app.get(`${COMPLAINT_PAGE_PATH}/:association`, async (c) => {
    const a = await association(c);
    return a === null
      ? notFound(c)
      : html(c, complaintFormPage(a, c.req.path, emptyForm, [], pageLang(c.req.query('lang'))));
  });
  app.post(`${COMPLAINT_PAGE_PATH}/:association`, smallBody, submissions, async (c) => {
    const a = await association(c);
    if (a === null) return notFound(c);
    const form = await c.req.parseBody();
    const lang = pageLang(c.req.query('lang'));
    const field = (name: string) => {
      const v = form[name];
      return typeof v === 'string' ? v : '';
    };
    const values: FormValues = {
      kind: field('kind'),
      text: field('text'),
      name: field('name'),
      mobile: field('mobile'),
      consent: field('consent') === 'yes',
    };
    const mobile = values.mobile.trim();
    const parsed = publicComplaintRequestSchema.safeParse({
      association: a.code,
      kind: values.kind,
      text: values.text,
      ...(values.name.trim() === '' ? {} : { name: values.name }),
      // Typed as the person writes it (05…, Arabic digits); stored as E.164.
      ...(mobile === '' ? {} : { mobile: normalizeSaudiMobile(mobile) ?? mobile }),
      consent: values.consent,
    });
    if (!parsed.success) {
      const errors = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))];
      return html(c, complaintFormPage(a, c.req.path, values, errors, lang), 400);
    }
    const receipt = await complaints.submit(parsed.data);
    return html(c, complaintReceiptPage(a, c.req.path, receipt.reference, lang), 201);
  });
  app.get(`${COMPLAINT_PAGE_PATH}/:association/status`, statusChecks, async (c) => {
    const a = await association(c);
    if (a === null) return notFound(c);
    const typed = (c.req.query('reference') ?? '').trim().toUpperCase();
    const lang = pageLang(c.req.query('lang'));
    if (typed === '')
      return html(c, complaintStatusPage(a, `${COMPLAINT_PAGE_PATH}/${a.code}`, '', null, lang));
    const reference = complaintReferenceSchema.safeParse(typed);
    let status: Awaited<ReturnType<ComplaintService['status']>> | 'not_found' = 'not_found';
    if (reference.success) {
      try {
        status = await complaints.status(a.code, reference.data);
      } catch (error) {
        if (!(error instanceof ServiceError && error.code === ErrorCode.notFound)) throw error;
      }
    }
    return html(
      c,
      complaintStatusPage(a, `${COMPLAINT_PAGE_PATH}/${a.code}`, typed, status, lang),
      status === 'not_found' ? 404 : 200,
    );
  });

  // Anything else under the form's path (a mistyped link) is a page a person can read, not a bare 404.
  app.all(`${COMPLAINT_PAGE_PATH}/*`, notFound);
}
