// Writes docs/openapi.json, the API's OpenAPI document (server/openapi.ts), formatted as the repository's
// Prettier formats it: `npm run openapi` after a route or a protocol schema changes. The server test
// test/integration/openapi.test.ts fails while the copy differs from what the code describes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { openApiDocument } from './openapi';

const OPENAPI_DOC_FILE = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));

const options = await resolveConfig(OPENAPI_DOC_FILE);
const text = await format(JSON.stringify(openApiDocument()), { ...options, filepath: OPENAPI_DOC_FILE });
writeFileSync(OPENAPI_DOC_FILE, text);
console.log(`Wrote ${OPENAPI_DOC_FILE}.`);
