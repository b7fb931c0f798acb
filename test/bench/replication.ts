// Initial sync and offline edits, side by side in one Chromium (issue 8): the same households
// (a) pulled by the Wasel app from the Wasel server, (b) replicated by PouchDB from PouchDB's
// CouchDB-protocol server, (c) put raw into IndexedDB (the floor); then 1,000 offline edits pushed by each.
// Every byte between browser and server goes through a counting proxy, the same for both. The PouchDB side
// is a package of its own (test/bench/pouchdb: its page, its server and their dependencies), which the app's
// `npm ci` does not install; run.ts installs it on first use, and without it (b) is left out.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { profileOf } from '../../src/domain/profiles/associations';
import {
  apiLogin,
  launchChromium,
  root,
  signIn,
  startServer,
  waitForControl,
  type RunningServer,
} from '../e2e/harness';
import { households, type BenchRecord } from './dataset';
import { countingProxy, type CountingProxy } from './proxy';

const pagesDir = join(root, '.tmp', 'bench-pages');
/** The PouchDB side's own package: its imports resolve from its own node_modules. */
export const pouchPackageDir = join(root, 'test/bench/pouchdb');

/** The page scripts (PouchDB's only when it is compared), bundled by Vite as plain scripts (IIFE). */
async function bundlePages(withPouch: boolean) {
  const { build } = await import('vite');
  const pages = [
    ['pouchdb/page.ts', 'pouch'],
    ['wasel-sync-page.ts', 'wasel-sync'],
  ] as const;
  for (const [entry, name] of pages.filter(([, name]) => withPouch || name !== 'pouch')) {
    // pouchdb-browser imports Node's `events`: the npm package of the same API stands in for it.
    await build({
      configFile: false,
      logLevel: 'warn',
      resolve: { alias: { events: join(pouchPackageDir, 'node_modules/events/events.js') } },
      build: {
        outDir: pagesDir,
        emptyOutDir: false,
        lib: {
          entry: join(root, 'test/bench', entry),
          formats: ['iife'],
          name: `${name.replace('-', '')}Bench`,
          fileName: () => `${name}.js`,
        },
      },
    });
  }
  await writeFile(
    join(pagesDir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>PouchDB bench</title><script src="/pouch.js"></script>\n',
  );
}

async function startPouchServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(pouchPackageDir, 'server.ts'), pagesDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`PouchDB server did not start:\n${out}`));
    }, 60_000);
    child.stdout.on('data', () => {
      const match = /listening (\d+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return {
    port,
    stop: async () => {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function json(url: string, method: string, body?: unknown, token?: string) {
  const response = await fetch(url, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as unknown;
}

/** The households into the Wasel server, as one device's pushes of 500; returns the time taken. */
export async function seedWasel(server: RunningServer, records: readonly BenchRecord[]) {
  const { accessToken } = await apiLogin(server.url, 'kadi.rep1');
  const clientId = randomUUID();
  const started = performance.now();
  for (let start = 0; start < records.length; start += 500) {
    const mutations = records.slice(start, start + 500).map((r, i) => ({
      id: randomUUID(),
      seq: start + i + 1,
      entity: r.entity,
      op: 'upsert',
      recordId: r.recordId,
      baseVersion: 0,
      patch: r.data,
      at: new Date().toISOString(),
    }));
    const answer = (await json(
      `${server.url}/api/v1/sync/push`,
      'POST',
      { clientId, mutations },
      accessToken,
    )) as {
      results: { status: string }[];
    };
    const refused = answer.results.filter((r) => r.status !== 'applied');
    if (refused.length > 0) throw new Error(`seeding refused: ${JSON.stringify(refused[0])}`);
  }
  return performance.now() - started;
}

/** `count` households of kadi.rep1's branch, as that association's profile names channels and categories. */
export async function householdsOfRep1(server: RunningServer, count: number, visitsOn?: string) {
  const rep = await apiLogin(server.url, 'kadi.rep1');
  const profile = profileOf('kadi');
  if (profile === undefined) throw new Error('no kadi profile');
  return households(count, {
    branchId: rep.user.branchId,
    userId: rep.user.id,
    channels: profile.channels.map((c) => c.id),
    categories: profile.categories.map((c) => c.id),
    ...(visitsOn === undefined ? {} : { visitsOn }),
  });
}

/** The same households into PouchDB's server, one document each (id = Wasel's record id). */
async function seedPouch(port: number, records: readonly BenchRecord[]) {
  const db = `http://127.0.0.1:${port}/db/households`;
  await json(db, 'PUT');
  for (let start = 0; start < records.length; start += 1000) {
    const docs = records
      .slice(start, start + 1000)
      .map((r) => ({ _id: r.recordId, entity: r.entity, ...r.data }));
    await json(`${db}/_bulk_docs`, 'POST', { docs });
  }
  return `/db/households`;
}

/** How many records the signed-in user's app database holds (src/db/database.ts), read raw. */
export function storedInApp(page: Page) {
  return page.evaluate(async () => {
    // No named functions in here: tsx would wrap them in a helper the page does not have.
    const name = (await indexedDB.databases()).map((d) => d.name).find((n) => n?.startsWith('wasel-u-'));
    if (name === undefined) return 0;
    return new Promise<number>((resolve) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('records')) {
          db.close();
          resolve(0);
          return;
        }
        const request = db.transaction('records').objectStore('records').count();
        request.onsuccess = () => {
          db.close();
          resolve(request.result);
        };
        request.onerror = () => {
          db.close();
          resolve(0);
        };
      };
      open.onerror = () => {
        resolve(0);
      };
    });
  });
}

/** Bytes through the proxy while `fn` runs. */
async function metered<T>(
  proxy: CountingProxy,
  fn: () => Promise<T>,
): Promise<[T, { up: number; down: number }]> {
  const before = proxy.bytes();
  const result = await fn();
  const after = proxy.bytes();
  return [result, { up: after.up - before.up, down: after.down - before.down }];
}

export interface ReplicationRun {
  wasel: { pullMs: number; pullFromLoginMs: number; bytes: { up: number; down: number } };
  waselEngine: { pullMs: number };
  /** PouchDB's side; null when it was not compared (its package not installed). */
  pouch: { pullMs: number; bytes: { up: number; down: number } } | null;
  floorMs: number;
  waselEdits: { editMs: number; pushMs: number; pullBackMs: number; bytes: { up: number; down: number } };
  pouchEdits: { editMs: number; pushMs: number; bytes: { up: number; down: number } } | null;
}

/** (b) PouchDB in a fresh profile, default replication settings: the initial sync, then `edits` pushed. */
async function pouchRun(
  browser: Browser,
  proxy: CountingProxy,
  url: string,
  name: string,
  total: number,
  edits: number,
) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(proxy.url);
  const [sync, bytes] = await metered(proxy, () =>
    page.evaluate(([u, n]) => window.pouchBench.initialSync(u, n), [url, name] as const),
  );
  if (sync.count !== total) throw new Error(`PouchDB replicated ${sync.count} of ${total}`);
  const edit = await page.evaluate((n) => window.pouchBench.edit(n), edits);
  const [push, pushBytes] = await metered(proxy, () => page.evaluate((u) => window.pouchBench.push(u), url));
  if (push.written !== edits) throw new Error(`PouchDB pushed ${push.written}`);
  await context.close();
  return {
    pouch: { pullMs: sync.ms, bytes },
    pouchEdits: { editMs: edit.ms, pushMs: push.ms, bytes: pushBytes },
  };
}

/** The side by side; PouchDB's side only when `pouchdb` (its package installed). */
export async function replicationFigures(options: {
  households: number;
  edits: number;
  runs: number;
  pouchdb: boolean;
}) {
  await mkdir(pagesDir, { recursive: true });
  await bundlePages(options.pouchdb);
  const waselScript = await readFile(join(pagesDir, 'wasel-sync.js'), 'utf8');
  let server: RunningServer | undefined;
  let pouch: Awaited<ReturnType<typeof startPouchServer>> | undefined;
  let browser: Browser | undefined;
  const proxies: CountingProxy[] = [];
  try {
    [server, pouch, browser] = await Promise.all([
      startServer({ demo: true }),
      options.pouchdb ? startPouchServer() : undefined,
      launchChromium(),
    ]);
    const wasel = server;
    const records = await householdsOfRep1(wasel, options.households);
    const seedMs = await seedWasel(wasel, records);
    const waselProxy = await countingProxy(wasel.port);
    proxies.push(waselProxy);
    let pouchSide: { proxy: CountingProxy; url: string } | undefined;
    if (pouch !== undefined) {
      const pouchPath = await seedPouch(pouch.port, records);
      const proxy = await countingProxy(pouch.port);
      proxies.push(proxy);
      pouchSide = { proxy, url: `${proxy.url}${pouchPath}` };
    }
    const total = records.length;

    const runs: ReplicationRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      // (a) The Wasel app itself, in a fresh profile: sign in, and its service worker pulls everything.
      const appContext = await browser.newContext();
      const app = await appContext.newPage();
      await app.goto(waselProxy.url);
      await waitForControl(app);
      const logFrom = wasel.output().length;
      const [fromLoginMs, appBytes] = await metered(waselProxy, async () => {
        const started = performance.now();
        await signIn(app, 'kadi.rep1');
        const deadline = Date.now() + 600_000;
        while ((await storedInApp(app)) < total) {
          if (Date.now() > deadline) throw new Error('the initial pull did not finish in 10 minutes');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return performance.now() - started;
      });
      const storedAt = Date.now();
      // From the first pull request's arrival at the server (its log line: time and duration) to all
      // stored: the pull itself, without the login and the first screen before it.
      const pullStarts = wasel
        .output()
        .slice(logFrom)
        .split('\n')
        .filter((line) => line.startsWith('{') && line.includes('/api/v1/sync/pull'))
        .map((line) => JSON.parse(line) as { time: string; ms: number })
        .map((entry) => Date.parse(entry.time) - entry.ms);
      const pullMs = storedAt - Math.min(...pullStarts);
      await appContext.close();

      // (b) PouchDB, when compared.
      const pouchFigures =
        pouchSide === undefined
          ? { pouch: null, pouchEdits: null }
          : await pouchRun(browser, pouchSide.proxy, pouchSide.url, `p${run}`, total, options.edits);

      // Wasel's engine in a plain page of the Wasel origin (no app, no service worker): offline edits
      // through the records repository, then the push; and (c) the floor in the same page.
      const engineContext = await browser.newContext();
      const enginePage = await engineContext.newPage();
      await enginePage.goto(`${waselProxy.url}/api/v1/health`);
      // Evaluated through the DevTools protocol: the page keeps its real CSP.
      await enginePage.evaluate(waselScript);
      const setup = await enginePage.evaluate(
        ([name]) => window.waselSyncBench.setup('kadi.rep1', 'wasel-demo', name),
        [`w${run}`] as const,
      );
      if (setup.count < total) throw new Error(`the engine pulled ${setup.count} of ${total}`);
      const waselEdit = await enginePage.evaluate((n) => window.waselSyncBench.edit(n), options.edits);
      const [waselPush, waselPushBytes] = await metered(waselProxy, () =>
        enginePage.evaluate(() => window.waselSyncBench.push()),
      );
      if (waselPush.written !== options.edits) throw new Error(`Wasel pushed ${waselPush.written}`);
      const pullBack = await enginePage.evaluate(() => window.waselSyncBench.pullBack());
      const floor = await enginePage.evaluate(([n, name]) => window.waselSyncBench.floor(n, name), [
        options.households,
        `floor${run}`,
      ] as const);
      if (floor.count !== total) throw new Error(`the floor stored ${floor.count} of ${total}`);
      await engineContext.close();

      runs.push({
        wasel: { pullMs, pullFromLoginMs: fromLoginMs, bytes: appBytes },
        waselEngine: { pullMs: setup.ms },
        pouch: pouchFigures.pouch,
        floorMs: floor.ms,
        waselEdits: {
          editMs: waselEdit.ms,
          pushMs: waselPush.ms,
          pullBackMs: pullBack.ms,
          bytes: waselPushBytes,
        },
        pouchEdits: pouchFigures.pouchEdits,
      });
    }
    return { records: total, beneficiaries: options.households, seedMs, runs };
  } finally {
    await Promise.all(proxies.map((p) => p.close()));
    await browser?.close();
    await pouch?.stop();
    await server?.stop();
  }
}
