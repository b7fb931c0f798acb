// The import of an association's caseload (issue 19): a file of 10,000 beneficiaries read as the browser reads
// it (papaparse, read-excel-file), then its dry run and its import against the server in this process (the
// HTTP app, its services and the database: PGlite in a temporary directory, or a fresh schema of the
// PostgreSQL of DATABASE_URL). Each run imports new people, so every import creates its 10,000 records.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createApp } from '../../server/http/app';
import { createLogger } from '../../server/log';
import { createAdminService } from '../../server/services/admin-service';
import { createAssociationService } from '../../server/services/association-service';
import { createAttachmentService } from '../../server/services/attachment-service';
import { createAuthService } from '../../server/services/auth-service';
import { createComplaintService } from '../../server/services/complaint-service';
import { createDashboardService } from '../../server/services/dashboard-service';
import { createDuplicateService } from '../../server/services/duplicate-service';
import { createIncidentService } from '../../server/services/incident-service';
import { createImportService } from '../../server/services/import-service';
import { createRightsService } from '../../server/services/rights-service';
import { createStaffService } from '../../server/services/staff-service';
import { createSyncService } from '../../server/services/sync-service';
import { openPglite, openPostgres, type Db } from '../../server/store/db';
import { migrate } from '../../server/store/migrate';
import { IMPORT_PATH, importResponseSchema } from '../../src/protocol/import';
import { toCsv, type Cell } from '../../src/ui/csv';
import { autoMap, mapRows, parseCsv, parseXlsx } from '../../src/ui/import-file';
import { xlsxOf } from '../xlsx-writer';
import { mobileOf, nationalIdOf } from './dataset';

const SECRET = 'bench-secret-that-is-long-enough-0123456789';
const header = [
  'رقم الهوية',
  'الاسم الرباعي',
  'رقم الجوال',
  'الفرع',
  'الفئة',
  'الدخل الشهري',
  'تاريخ الميلاد',
];
const firsts = ['نورة', 'محمد', 'فاطمة', 'عبد الله', 'سارة', 'خالد', 'هند', 'فهد'];
const families = ['العتيبي', 'القحطاني', 'الغامدي', 'آل سعود', 'الشهري', 'الدوسري'];

/** `count` people from `from` on, as an association's sheet lists them (the mobile written locally). */
function sheet(from: number, count: number): Cell[][] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return [
      nationalIdOf(i),
      `${firsts[i % 8] ?? ''} ${firsts[(i + 3) % 8] ?? ''} سعد ${families[i % 6] ?? ''}`,
      mobileOf(i).replace('+966', '0'),
      i % 2 === 0 ? 'b1' : 'b2',
      'الأسر',
      String(1000 + (i % 9000)),
      `19${String(50 + (i % 50))}-0${String(1 + (i % 9))}-1${String(i % 10)}`,
    ];
  });
}

export interface ImportRun {
  /** Reading the file into rows, as the browser does: CSV and XLSX. */
  csvMs: number;
  xlsxMs: number;
  dryRunMs: number;
  importMs: number;
}

export interface ImportFigures {
  db: 'pglite' | 'postgres';
  rows: number;
  /** The request's JSON, against the API's 4 MB limit. */
  bodyBytes: number;
  runs: ImportRun[];
}

/** A database for the benchmark: PGlite in a temporary directory, or a fresh schema; dropped afterwards. */
async function benchDb(databaseUrl: string | undefined): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (databaseUrl === undefined) {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasel-bench-import-'));
    const db = await openPglite(dataDir);
    return {
      db,
      drop: async () => {
        await db.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `wasel_bench_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = openPostgres({ connectionString: databaseUrl, schema, max: 4 });
  return {
    db,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** The server's HTTP app over `db`, wired as server/server.ts wires it. */
function appOver(db: Db) {
  const now = () => Date.now();
  const log = createLogger('silent');
  const auth = createAuthService({ db, secret: SECRET, now });
  return createApp({
    auth,
    sync: createSyncService({ db, now }),
    attachments: createAttachmentService({ db, now, log }),
    rights: createRightsService({ db, now }),
    duplicates: createDuplicateService({ db, now }),
    complaints: createComplaintService({ db, now }),
    dashboard: createDashboardService({ db, now }),
    staff: createStaffService({ db }),
    association: createAssociationService({ db, now }),
    imports: createImportService({ db, now }),
    incidents: createIncidentService({ db, auth, now }),
    db,
    log,
    dbKind: db.kind,
    version: 'bench',
    demo: false,
    staticDir: undefined,
  });
}

export async function importFigures(options: {
  databaseUrl: string | undefined;
  rows: number;
  runs: number;
}): Promise<ImportFigures> {
  const { db, drop } = await benchDb(options.databaseUrl);
  try {
    await migrate(db);
    const admin = createAdminService(db, { N: 2 ** 10, r: 8, p: 1 });
    await admin.createAssociation({ code: 'kadi', nameAr: 'جمعية كادي', nameEn: 'Kadi Association' });
    for (const code of ['b1', 'b2'])
      await admin.createBranch({
        associationCode: 'kadi',
        code,
        nameAr: `فرع ${code}`,
        nameEn: `Branch ${code}`,
      });
    await admin.createUser({
      associationCode: 'kadi',
      username: 'kadi.admin',
      displayName: 'مدير',
      role: 'admin',
      password: 'bench-password',
    });
    const app = appOver(db);
    const login = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        username: 'kadi.admin',
        password: 'bench-password',
        deviceId: randomUUID(),
        deviceName: 'bench',
      }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const post = async (body: string) => {
      const started = performance.now();
      const response = await app.request(IMPORT_PATH, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
        body,
      });
      if (response.status !== 200) throw new Error(`import: ${response.status} ${await response.text()}`);
      const answer = importResponseSchema.parse(await response.json());
      return { ms: performance.now() - started, answer };
    };

    /** One file of `count` new people: read, checked, imported. */
    const run = async (
      from: number,
      count: number,
      fileSha256: string,
    ): Promise<ImportRun & { bytes: number }> => {
      const people = sheet(from, count);
      const csv = toCsv(header, people);
      const csvStarted = performance.now();
      const file = parseCsv(csv);
      const rows = mapRows(file, autoMap(file.header));
      const csvMs = performance.now() - csvStarted;
      const workbook = xlsxOf([header, ...people]);
      const xlsxStarted = performance.now();
      const fromXlsx = await parseXlsx(workbook.buffer);
      const xlsxMs = performance.now() - xlsxStarted;
      if (fromXlsx.rows.length !== count) throw new Error(`xlsx: ${String(fromXlsx.rows.length)} rows`);

      const request = (dryRun: boolean) =>
        JSON.stringify({ fileSha256, fileName: 'المستفيدون.csv', dryRun, rows });
      const dry = await post(request(true));
      const real = await post(request(false));
      for (const { answer } of [dry, real])
        if (answer.accepted !== count || answer.refused.length > 0)
          throw new Error(`import refused rows: ${JSON.stringify(answer.refused.slice(0, 3))}`);
      if (real.answer.created.beneficiaries !== count) throw new Error('import created too few records');
      return { csvMs, xlsxMs, dryRunMs: dry.ms, importMs: real.ms, bytes: Buffer.byteLength(request(false)) };
    };

    const sha = (n: number) => n.toString(16).padStart(64, '0');
    // Not counted: the first import of a fresh server pays for its warm-up (JIT, caches).
    await run(5_000_000, 200, sha(0));
    const runs: ImportRun[] = [];
    let bodyBytes = 0;
    for (let i = 0; i < options.runs; i++) {
      const { bytes, ...figures } = await run(6_000_000 + i * options.rows, options.rows, sha(i + 1));
      bodyBytes = bytes;
      runs.push(figures);
    }
    return { db: db.kind, rows: options.rows, bodyBytes, runs };
  } finally {
    await drop();
  }
}
