// Once per run of the browser suite: a data folder with the demo associations migrated and seeded, which each
// file's server starts from (a copy), instead of running PGlite's initdb, every migration and the demo's 30
// password hashes again (about 5 s of a 2-core machine per server). The servers still migrate and check the
// demo at start, and find both done.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemo } from '../../server/demo';
import { createAdminService } from '../../server/services/admin-service';
import { openPglite } from '../../server/store/db';
import { migrate } from '../../server/store/migrate';
import { DEMO_DATA_TEMPLATE } from './demo-data';

export default async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'wasel-e2e-demo-'));
  const db = await openPglite(dir);
  await migrate(db);
  await seedDemo(createAdminService(db));
  await db.close();
  // Read by startServer in the test workers, which start after this and inherit the environment.
  process.env[DEMO_DATA_TEMPLATE] = dir;
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
