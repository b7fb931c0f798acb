// The import of an association's caseload over HTTP (issue 19): a dry run, then the import, of the rows of a
// spreadsheet mapped on the administrator's device. Its administrators only: the refusal comes before the
// body (up to the API's 4 MB) is even read.
import type { Hono } from 'hono';
import { IMPORT_PATH, importRequestSchema } from '../../src/protocol/import';
import type { ImportService } from '../services/import-service';
import type { AppEnv } from './app';
import { parseJson } from './errors';

export function mountImportRoutes(app: Hono<AppEnv>, imports: ImportService) {
  app.post(IMPORT_PATH, async (c) => {
    imports.assertMayImport(c.get('auth'));
    const body = await parseJson(c, importRequestSchema);
    if (!body.ok) return body.response;
    return c.json(await imports.run(c.get('auth'), body.data));
  });
}
