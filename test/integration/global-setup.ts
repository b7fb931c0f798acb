// Once per run of the server suite: an empty, migrated PGlite database copied to a file, so that each test
// file's database starts from it instead of running PGlite's initdb and every migration again (about 1.4 s
// each, ~45 times a run). createTestDb still runs `migrate` on the copy, which finds nothing to do.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../../server/store/db';
import { migrate } from '../../server/store/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated PGlite copy: empty on PostgreSQL, missing in projects without this setup. */
    pgliteTemplate?: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '') {
    project.provide('pgliteTemplate', '');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'wasel-pglite-template-'));
  const db = await openPglite(undefined);
  await migrate(db);
  const file = join(dir, 'migrated.tar');
  await writeFile(file, new Uint8Array(await (await db.snapshot()).arrayBuffer()));
  await db.close();
  project.provide('pgliteTemplate', file);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
