// The import of an association's caseload over HTTP (issue 19): a dry run, then the import, of the rows of a
// spreadsheet mapped on the administrator's device. Its administrators only: the refusal comes before the
// body (up to the API's 4 MB) is even read.
import type { Hono } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import type { Queryable } from '../store/db';
import { databaseRateStore } from '../store/rate-limits';
import { ErrorCode } from '../../src/protocol/errors';
import { IMPORT_PATH, importRequestSchema } from '../../src/protocol/import';
import type { ImportService } from '../services/import-service';
import type { AppEnv } from './app';
import { errorResponse, parseJson } from './errors';

/**
 * Imports (dry runs included) one administrator may send in a window: enough to fix a mapping many times
 * over, not a way around the duplicate check's limit to look up national IDs by the thousand.
 */
export const IMPORTS_PER_WINDOW = 20;
export const IMPORT_WINDOW_MS = 10 * 60 * 1000;

export function mountImportRoutes(app: Hono<AppEnv>, imports: ImportService, db: Queryable) {
  const limit = rateLimiter<AppEnv>({
    windowMs: IMPORT_WINDOW_MS,
    limit: IMPORTS_PER_WINDOW,
    // Counted in the database: every instance counts the same imports.
    store: databaseRateStore(db, 'imports'),
    keyGenerator: (c) => c.get('auth').sub,
    standardHeaders: 'draft-6',
    handler: (c) => errorResponse(c, ErrorCode.tooManyAttempts, 'Too many imports; try again later.'),
  });
  app.post(IMPORT_PATH, async (c, next) => {
    // Refused before it counts against anyone: only an administrator's imports are limited.
    imports.assertMayImport(c.get('auth'));
    return limit(c, next);
  });
  app.post(IMPORT_PATH, async (c) => {
    const body = await parseJson(c, importRequestSchema);
    if (!body.ok) return body.response;
    return c.json(await imports.run(c.get('auth'), body.data));
  });
}
