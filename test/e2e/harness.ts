// End-to-end harness: the built app served by the real server process, driven in Debian's Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { tlsEnv } from '../tls';
import { DEMO_DATA_TEMPLATE } from './demo-data';
import { afterAll, beforeAll, expect } from 'vitest';
import { pullResponseSchema, type Change } from '../../src/protocol/sync';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const distDir = join(root, 'dist');
/** Where the browser tests leave their screenshots, for a person to look at. */
export const screenshotDir = join(root, '.tmp', 'screenshots');

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, ...extraArgs] });
}

/** The e2e tests run against `npm run build`'s output; say so plainly if it is missing. */
export function requireBuild(dir = distDir): string {
  if (!existsSync(join(dir, 'index.html')) || !existsSync(join(dir, 'sw.js'))) {
    throw new Error(`No build in ${dir}: run \`npm run build\` first (npm test does).`);
  }
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

export interface RunningServer {
  port: number;
  url: string;
  /** The server process, for the benchmarks' CPU and memory readings. */
  pid: number;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Waits for the server's "listening" log line and returns its port. */
export function waitForListening(
  child: ChildProcess,
  output: () => string,
  timeoutMs = 120_000,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not start in time:\n${output()}`));
    }, timeoutMs);
    const check = () => {
      const match = /"port":(\d+),"demo":(true|false),"msg":"listening"/.exec(output());
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        // Once: searched again at every line the server logs afterwards, the whole output grew into a
        // quadratic cost, a fifth of a core for the load generator at 2,000 mutations/s.
        child.stdout?.off('data', check);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${String(code)}:\n${output()}`));
    });
  });
}

/** Starts `server/main.ts` as its own process. */
/**
 * A new data folder: a copy of the seeded demo one (global-setup.ts, in e2e runs) when the demo is wanted,
 * else empty.
 */
async function freshDataDir(demo: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wasel-e2e-'));
  const template = process.env[DEMO_DATA_TEMPLATE];
  if (demo && template !== undefined && template !== '') await cp(template, dir, { recursive: true });
  return dir;
}

export async function startServer(options: {
  staticDir?: string;
  dataDir?: string;
  port?: number;
  demo?: boolean;
  /** More environment: DATABASE_URL, WASEL_SECRET, LOG_LEVEL (the benchmarks). */
  env?: Record<string, string>;
  /** Served over HTTPS with the test certificate (test/tls). */
  https?: boolean;
}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? (await freshDataDir(options.demo !== false));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      WASEL_DEMO: options.demo === false ? '0' : '1',
      WASEL_STATIC_DIR: requireBuild(options.staticDir),
      LOG_LEVEL: 'info',
      ...(options.https === true ? tlsEnv : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const port = await waitForListening(child, () => out);
  return {
    port,
    url: `${options.https === true ? 'https' : 'http'}://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      const code = await exited;
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/**
 * C-OBJ-2: offline, a reload opens the app from the service worker's cache, still signed in (unlocked in
 * this tab), and says it is offline.
 */
export async function expectOfflineReload(context: BrowserContext, page: Page) {
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('[data-shell=ready]');
  await unlocked(page);
  expect(await page.getAttribute('[role=status]', 'data-online')).toBe('false');
  expect(await page.textContent('[role=status]')).toContain('غير متصل');
  expect(await page.textContent('[data-testid=association-name]')).toBe('جمعية كادي');
}

/** Signs in through the login form and waits for the home screen. */
export async function signIn(page: Page, username: string, password = 'wasel-demo') {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=sections]');
}

/**
 * Waits for the app after a page load: the data is encrypted on the device, so a new page opens on the
 * lock screen and the password unlocks it (offline too).
 */
export async function unlocked(page: Page, password = 'wasel-demo') {
  // The sync indicator is in the header only while a user is signed in and unlocked.
  await page.waitForSelector('[data-testid=lock-screen], [data-testid=sync-indicator]');
  if ((await page.$('[data-testid=lock-screen]')) === null) return;
  await page.fill('[data-testid=lock-screen] input[name=password]', password);
  await page.click('[data-testid=lock-screen] button[type=submit]');
  await page.waitForSelector('[data-testid=sync-indicator]');
}

/** Every row of one table in every user's database on the device, as stored. */
export function storedRows(page: Page, table: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(async (table) => {
    const rows: Record<string, unknown>[] = [];
    for (const { name } of await indexedDB.databases()) {
      if (name?.startsWith('wasel-u-') !== true) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => {
          resolve(open.result);
        };
        open.onerror = () => {
          reject(new Error(`cannot open ${name}`));
        };
      });
      const all = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(table).objectStore(table).getAll();
        request.onsuccess = () => {
          resolve(request.result);
        };
        request.onerror = () => {
          reject(new Error(`cannot read ${table}`));
        };
      });
      db.close();
      rows.push(...(all as Record<string, unknown>[]));
    }
    return rows;
  }, table);
}

/** Resolves once a service worker controls the page. */
export async function waitForControl(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 30_000,
  });
}

/**
 * Registers beforeAll/afterAll that start a demo server and Chromium for the test file, and returns
 * getters for them (valid inside tests).
 */
export function useServerAndBrowser(): { server: () => RunningServer; browser: () => Browser } {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ demo: true }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    const code = await server?.stop();
    // A clean SIGTERM shutdown is part of what every e2e run checks; on failure, the server's last words.
    expect(code, server?.output().slice(-3000)).toBe(0);
  });
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started yet`);
    return value;
  };
  return { server: () => need(server, 'server'), browser: () => need(browser, 'browser') };
}

/**
 * Like useServerAndBrowser, for offline tests: the server can be stopped and started again on the same
 * port with the same data, as when a tablet loses and finds the network.
 */
export function useRestartableServer() {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let dataDir = '';
  let port = 0;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wasel-e2e-restartable-'));
    port = await freePort();
    [server, browser] = await Promise.all([startServer({ dataDir, port }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    browser: (): Browser => {
      if (browser === undefined) throw new Error('browser is not started yet');
      return browser;
    },
    url: () => `http://127.0.0.1:${port}`,
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async start() {
      server ??= await startServer({ dataDir, port });
    },
  };
}

/**
 * One person's device at a time, each acting offline and then synced (the casework and complaint paths):
 * `offline` signs a user in on a fresh device (online: it pulls), then takes device and server offline;
 * `syncBack` restarts the server, brings the device online and waits until it has sent everything. A page
 * that throws fails the test: its errors are collected in `errors`.
 */
export function offlineDevices(env: ReturnType<typeof useRestartableServer>) {
  const errors: string[] = [];
  /** A device signed in online (also the server's screens: the dashboard, the administration). */
  const online = async (username: string): Promise<{ context: BrowserContext; page: Page }> => {
    await env.start();
    const context = await env.browser().newContext({ viewport: { width: 768, height: 1024 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      errors.push(error.message);
    });
    await page.goto(env.url());
    await signIn(page, username);
    return { context, page };
  };
  return {
    errors,
    online,
    offline: async (username: string): Promise<{ context: BrowserContext; page: Page }> => {
      const { context, page } = await online(username);
      await waitForControl(page);
      await page.waitForSelector('[data-testid=sync-indicator][data-phase=idle]', { timeout: 60_000 });
      await context.setOffline(true);
      await env.stop();
      return { context, page };
    },
    syncBack: async (context: BrowserContext, page: Page) => {
      await env.start();
      await context.setOffline(false);
      await page.waitForSelector('[data-testid=sync-indicator][data-pending="0"][data-phase=idle]', {
        timeout: 60_000,
      });
      await context.close();
    },
  };
}

/** Signs a demo user in over HTTP (not through the app): their access token and branch. */
export interface ApiSession {
  accessToken: string;
  user: { id: string; branchId: string };
}

export async function apiLogin(url: string, username: string): Promise<ApiSession> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'wasel-demo', deviceId: randomUUID(), deviceName: 'test' }),
  });
  if (response.status !== 200) throw new Error(`login of ${username} failed: ${response.status}`);
  return (await response.json()) as ApiSession;
}

/** Everything a demo user may see on the server, pulled page by page over HTTP. */
export async function serverChanges(url: string, username: string): Promise<Change[]> {
  const { accessToken } = await apiLogin(url, username);
  const changes: Change[] = [];
  let cursor = '';
  for (;;) {
    const response = await fetch(`${url}/api/v1/sync/pull?cursor=${cursor}&limit=1000`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    const page = pullResponseSchema.parse(await response.json());
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return changes;
  }
}

/**
 * A new person's national ID (valid: prefix 1, Luhn check digit) and mobile, different in every call, so
 * that the app's duplicate check does not take one test's beneficiary for another's.
 */
export function newPerson(): { nationalId: string; mobile: string; mobileE164: string } {
  const body = `1${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[i]) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  const nationalId = `${body}${(10 - (sum % 10)) % 10}`;
  const local = `55${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  return { nationalId, mobile: `0${local}`, mobileE164: `+966${local}` };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * A full-page screenshot, and axe-core's check of the screen: no serious or critical violation. axe is
 * evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern, so the
 * app is checked under its real CSP (no context bypasses it).
 */
export async function shot(page: Page, name: string) {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const { passes, violations } = await page.evaluate(async () => {
    type Rule = { id: string; impact: string | null; nodes: { target: unknown }[] };
    const { axe } = window as unknown as {
      axe: { run: () => Promise<{ passes: Rule[]; violations: Rule[] }> };
    };
    const result = await axe.run();
    return {
      passes: result.passes.length,
      // The elements at fault, so that a failure says where to look.
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => JSON.stringify(n.target)),
      })),
    };
  });
  // It did check the page…
  expect(passes, name).toBeGreaterThan(10);
  // …and found nothing serious.
  expect(
    violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    name,
  ).toEqual([]);
}

/** A photographed document: a small JPEG drawn in the page. */
export async function documentPhoto(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(1200, 800);
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('no 2d context');
    ctx.fillStyle = '#f4efe1';
    ctx.fillRect(0, 0, 1200, 800);
    ctx.fillStyle = '#1d2a33';
    ctx.font = '48px sans-serif';
    for (let y = 100; y < 800; y += 90) ctx.fillText('صورة الهوية الوطنية 1000000008', 60, y);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    let binary = '';
    for (const b of new Uint8Array(await blob.arrayBuffer())) binary += String.fromCharCode(b);
    return btoa(binary);
  });
  return Buffer.from(base64, 'base64');
}

/** Draws a signature on the pad with the mouse, as a finger would. */
export async function drawSignature(page: Page) {
  const pad = await page.waitForSelector('[data-testid=signature-pad]');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (box == null) throw new Error('no signature pad');
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++)
    await page.mouse.move(
      box.x + box.width * (0.2 + i * 0.03),
      box.y + box.height * (0.6 - Math.sin(i / 3) * 0.25),
    );
  await page.mouse.up();
}

/**
 * Fills the registration form: the four-part name from `name` (given, father, grandfather, and the rest as the
 * family name), the national ID and the mobile. The name must have at least four words.
 */
export async function fillRegistration(
  scope: Page | Locator,
  person: { name: string; nationalId: string; mobile: string },
) {
  const form = scope.locator('[data-testid=register-form]');
  const words = person.name.split(/\s+/);
  if (words.length < 4) throw new Error(`a four-part name is needed: ${person.name}`);
  const parts = {
    first: words[0],
    father: words[1],
    grandfather: words[2],
    family: words.slice(3).join(' '),
  };
  for (const [part, value] of Object.entries(parts))
    await form.locator(`input[name=${part}]`).fill(value ?? '');
  await form.locator('input[name=nationalId]').fill(person.nationalId);
  await form.locator('input[name=mobile]').fill(person.mobile);
}

/** Fills the registration form (as fillRegistration) and sends it. */
export async function registerPerson(
  scope: Page | Locator,
  person: { name: string; nationalId: string; mobile: string },
) {
  await fillRegistration(scope, person);
  await scope.locator('[data-testid=register-form] button[type=submit]').click();
}

/** A draft shows one step at a time: opens step `id` from the progress list. */
export async function openStep(page: Page, id: string) {
  await page.click(`[data-progress=${id}]`);
  await page.waitForSelector(`[data-step=${id}]`);
}

/** Waits until the stepper marks step `id` done. */
export async function stepDone(page: Page, id: string) {
  await page.waitForSelector(`[data-progress=${id}][data-done=true]`);
}

/** Chooses the first service, in the procedure's own "requirements" step or else in the checklist's. */
export async function chooseService(page: Page) {
  await openStep(
    page,
    (await page.$('[data-progress=requirements]')) === null ? 'completeness' : 'requirements',
  );
  await page.selectOption('select[name=service]', { index: 1 });
}

/** The request's checklist, every item provided: fields ticked, documents photographed (kept offline). */
export async function provideEverything(page: Page) {
  await openStep(page, 'completeness');
  await page.waitForSelector('[data-testid=checklist] li');
  const photo = await documentPhoto(page);
  for (const item of await page.$$eval('[data-testid=checklist] li', (items) =>
    items.map((li) => ({
      id: li.getAttribute('data-item') ?? '',
      document: li.querySelector('input[type=file]') !== null,
    })),
  )) {
    if (item.document)
      await page.setInputFiles(`[data-testid=photo-${item.id}]`, {
        name: `${item.id}.jpg`,
        mimeType: 'image/jpeg',
        buffer: photo,
      });
    else await page.check(`[data-item=${item.id}] input[type=checkbox]`);
    await page.waitForSelector(`[data-item=${item.id}][data-provided=true]`);
  }
}

/** Opens one tab of the open beneficiary's page (profile, household, requests, documents, contacts, rights). */
export async function beneficiaryTab(page: Page, tab: string) {
  await page.click(`[role=tab][data-tab=${tab}]`);
  await page.waitForSelector(`[data-testid=beneficiary-page][data-tab=${tab}]`);
}

/** Saves the open beneficiary's form (one save for name, mobile, details and address) and waits for it. */
export async function saveProfile(page: Page) {
  await page.click('[data-testid=profile-save]');
  await page.waitForSelector('[data-testid=profile-saved]');
}

/** Types a valid National Address on the open beneficiary's form (unsaved). */
export async function typeAddress(page: Page, city = 'الرياض') {
  for (const [field, value] of [
    ['buildingNumber', '2929'],
    ['street', 'طريق الملك فهد'],
    ['district', 'العليا'],
    ['city', city],
    ['postalCode', '12345'],
    ['additionalNumber', '7223'],
  ] as const)
    await page.fill(`[data-testid=address] input[name=${field}]`, value);
}

/**
 * A beneficiary as a returning one stands: registered, with category, income, preferred channel and consent,
 * National Address and a household member — what a request needs on record. Leaves their page open.
 */
export async function registerReturning(
  page: Page,
  person: { name: string; nationalId: string; mobile: string; channel: string },
) {
  await page.click('[data-section=beneficiaries]');
  await fillRegistration(page, person);
  await page.click('[data-testid=register-form] button[type=submit]');
  await page.locator('[data-testid=beneficiary]', { hasText: person.name }).click();
  // The fields a request needs are recorded first: only what is on record can be ticked (issue 18).
  // Details and address are one form with one save.
  await page.selectOption('[data-testid=details] select[name=category]', { index: 1 });
  await page.fill('[data-testid=details] input[name=monthlyIncome]', '3500');
  await page.selectOption('[data-testid=details] select[name=preferredChannel]', person.channel);
  await page.check('[data-testid=details] input[name=consent]');
  await typeAddress(page);
  await saveProfile(page);
  await page.waitForSelector('[data-testid=details] .done');
  await beneficiaryTab(page, 'household');
  await page.click('[data-testid=household] summary');
  for (const [part, value] of Object.entries({
    first: 'ريم',
    father: 'سعد',
    grandfather: 'محمد',
    family: 'العتيبي',
  }))
    await page.fill(`[data-testid=member-form] input[name=${part}]`, value);
  await page.selectOption('[data-testid=member-form] select[name=relation]', 'daughter');
  await page.fill('[data-testid=member-form] input[name=birthDate]', '2014-03-01');
  await page.click('[data-testid=member-form] button[type=submit]');
  await page.waitForSelector('[data-testid=member]');
}

/**
 * The representative's intake of a complete request for a new beneficiary, on the open (offline) page:
 * registration with the preferred channel and consent, reception, the first service, every required item
 * (documents photographed), verification, the signed declaration, submission. Returns the request's id.
 * (intake.e2e.test.ts proves each of these steps in detail, with its refusals.)
 */
export async function takeRequest(
  page: Page,
  person: { name: string; nationalId: string; mobile: string; channel: string },
): Promise<string> {
  await registerReturning(page, person);
  await beneficiaryTab(page, 'requests');
  await page.click('[data-testid=new-request]');
  await page.waitForSelector('[data-testid=request][data-status=draft]');
  await page.click('[data-step=reception] button');
  await stepDone(page, 'reception');
  await chooseService(page);
  await provideEverything(page);
  await openStep(page, 'verification');
  await page.fill('[data-step=verification] input[name=idExpiry]', '2030-06-30');
  await page.click('[data-testid=verify]');
  await stepDone(page, 'verification');
  await openStep(page, 'declaration');
  await drawSignature(page);
  await page.click('[data-testid=sign]');
  await page.waitForSelector('[data-testid=signed], [data-progress=declaration][data-done=true]');
  await openStep(page, 'submission');
  await page.click('[data-testid=submit-request]');
  await page.waitForSelector('[data-testid=request][data-status=submitted], [data-testid=intake-error]');
  const refused = await page.$$eval('[data-testid=intake-error]', (es) =>
    es.map((e) => e.textContent).join(' | '),
  );
  if (refused !== '') throw new Error(`the request was refused: ${refused}`);
  const id = /^\/r\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)?.[1];
  if (id === undefined) throw new Error(`not on a request's page: ${page.url()}`);
  return id;
}
