// Privacy on the device, in real Chromium: what a thief with the tablet's storage would find (nothing
// readable), the offline unlock, the idle lock, the remote wipe of a revoked device, and a beneficiary's
// rights (a copy of their data; its destruction, down to the devices).
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  apiLogin,
  newPerson,
  signIn,
  storedRows,
  unlocked,
  useRestartableServer,
  waitForControl,
  registerPerson,
  beneficiaryTab,
} from './harness';

const env = useRestartableServer();
const url = env.url;

/** Arabic letters only, so the name folds and searches like a real one. */
function arabicWord(length: number): string {
  const letters = 'بتثجحخدذرزسشصضطظعغفقكلمنهوي';
  return Array.from({ length }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
}

async function register(page: Page, fullName: string, nationalId: string, mobile: string) {
  await page.click('[data-section=beneficiaries]');
  await registerPerson(page, { name: fullName, nationalId, mobile });
  await page.waitForSelector(`[data-testid=beneficiary] >> text=${fullName}`);
}

/** A new person's ID and mobile, as register() takes them. */
function someone(): [string, string] {
  const { nationalId, mobile } = newPerson();
  return [nationalId, mobile];
}

interface Dump {
  databases: string[];
  stores: number;
  rows: number;
  bytes: number;
  cacheEntries: number;
  /** Where each needle was found, as "database/store" or "cache url". */
  hits: Record<string, string[]>;
}

/**
 * Every IndexedDB database and Cache Storage entry of the origin, serialised to bytes (strings as UTF-8
 * and as UTF-16, binary as it is) and searched for each needle in UTF-8 and UTF-16LE.
 */
function dumpAndSearch(page: Page, needles: string[]): Promise<Dump> {
  return page.evaluate(async (needles) => {
    const chunks = new Map<string, Uint8Array[]>();
    const add = (where: string, bytes: Uint8Array) => {
      chunks.set(where, [...(chunks.get(where) ?? []), bytes]);
    };
    const utf16 = (s: string) => {
      const out = new Uint8Array(s.length * 2);
      for (let i = 0; i < s.length; i++) {
        out[2 * i] = s.charCodeAt(i) & 0xff;
        out[2 * i + 1] = s.charCodeAt(i) >> 8;
      }
      return out;
    };
    const walk = (where: string, value: unknown, seen: Set<unknown>) => {
      if (value === null || value === undefined) return;
      if (typeof value === 'string') {
        add(where, new TextEncoder().encode(value));
        add(where, utf16(value));
      } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
        add(where, new TextEncoder().encode(String(value)));
      } else if (value instanceof ArrayBuffer) add(where, new Uint8Array(value));
      else if (ArrayBuffer.isView(value))
        add(where, new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      else if (value instanceof Blob) return;
      else if (typeof value === 'object' && !seen.has(value)) {
        seen.add(value);
        for (const [k, v] of Object.entries(value)) {
          walk(where, k, seen);
          walk(where, v, seen);
        }
      }
    };
    let stores = 0;
    let rows = 0;
    const databases: string[] = [];
    for (const { name } of await indexedDB.databases()) {
      if (name === undefined) continue;
      databases.push(name);
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => {
          resolve(open.result);
        };
        open.onerror = () => {
          reject(new Error(name));
        };
      });
      for (const store of Array.from(db.objectStoreNames)) {
        stores += 1;
        const [keys, values] = await Promise.all(
          ['getAllKeys', 'getAll'].map(
            (method) =>
              new Promise<unknown[]>((resolve, reject) => {
                const objectStore = db.transaction(store).objectStore(store);
                const request = method === 'getAll' ? objectStore.getAll() : objectStore.getAllKeys();
                request.onsuccess = () => {
                  resolve(request.result as unknown[]);
                };
                request.onerror = () => {
                  reject(new Error(store));
                };
              }),
          ),
        );
        rows += values?.length ?? 0;
        walk(`${name}/${store}`, keys, new Set());
        walk(`${name}/${store}`, values, new Set());
      }
      db.close();
    }
    let cacheEntries = 0;
    for (const cacheName of await caches.keys()) {
      const cache = await caches.open(cacheName);
      for (const request of await cache.keys()) {
        cacheEntries += 1;
        const response = await cache.match(request);
        add(`cache ${request.url}`, new TextEncoder().encode(request.url));
        if (response !== undefined) add(`cache ${request.url}`, new Uint8Array(await response.arrayBuffer()));
      }
    }
    const contains = (haystack: Uint8Array, needle: Uint8Array) => {
      outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
        for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
        return true;
      }
      return false;
    };
    let bytes = 0;
    const hits: Record<string, string[]> = {};
    for (const parts of chunks.values()) for (const part of parts) bytes += part.length;
    for (const needle of needles) {
      hits[needle] = [];
      const forms = [new TextEncoder().encode(needle), utf16(needle)];
      for (const [where, parts] of chunks) {
        if (parts.some((part) => forms.some((form) => contains(part, form)))) hits[needle].push(where);
      }
    }
    return { databases, stores, rows, bytes, cacheEntries, hits };
  }, needles);
}

it('K-REL-b after registering a beneficiary, neither their ID nor their name is anywhere in IndexedDB or Cache Storage; search still finds them after unlock', async () => {
  const context = await env.browser().newContext();
  const page = await context.newPage();
  await page.goto(url());
  await signIn(page, 'kadi.rep1');
  await waitForControl(page);
  const family = arabicWord(7);
  const fullName = `نورة خالد عبدالرحمن ${family}`;
  const { nationalId, mobile } = newPerson();
  await register(page, fullName, nationalId, mobile);
  // Sent and pulled back: the record has been through every table it can be in.
  await page.waitForSelector('[data-testid=sync-indicator][data-pending="0"][data-phase=idle]', {
    timeout: 60_000,
  });
  const href = await page.locator('[data-testid=beneficiary]', { hasText: fullName }).getAttribute('href');
  expect(href).toMatch(/^\/b\/[0-9a-f-]{36}$/);
  const recordId = (href ?? '').slice(3);

  const dump = await dumpAndSearch(page, [nationalId, family, fullName, 'wasel-demo', recordId]);
  // The scan saw the data: the record's id (kept in the clear as its key) is found, and much else.
  expect(dump.hits[recordId]?.length).toBeGreaterThan(0);
  expect(dump.databases.some((name) => name.startsWith('wasel-u-'))).toBe(true);
  expect(dump.rows).toBeGreaterThan(3);
  expect(dump.cacheEntries).toBeGreaterThan(5);
  // …and found neither the ID, nor the name, nor the password, in UTF-8 or UTF-16.
  expect(dump.hits[nationalId]).toEqual([]);
  expect(dump.hits[family]).toEqual([]);
  expect(dump.hits[fullName]).toEqual([]);
  // The password is nowhere in the user's data (the demo build's own code shows it on the sign-in page).
  expect(dump.hits['wasel-demo']?.filter((where) => !where.startsWith('cache '))).toEqual([]);

  // A reload locks; after unlocking, the name is found by its first letters (the blind index).
  await page.reload();
  await page.waitForSelector('[data-testid=lock-screen]');
  // Back where it was: the list of beneficiaries.
  await unlocked(page);
  await page.fill('input[type=search]', family.slice(0, 4));
  await page.waitForSelector(`[data-testid=beneficiary] >> text=${fullName}`);
  expect(await page.$$eval('[data-testid=beneficiary]', (links) => links.length)).toBe(1);
  await page.fill('input[type=search]', nationalId.slice(0, 7));
  await page.waitForSelector(`[data-testid=beneficiary] >> text=${fullName}`);
  await context.close();
});

it('offline, after a reload: a wrong password does not unlock, the right one does, and the data is there', async () => {
  const context = await env.browser().newContext();
  const page = await context.newPage();
  await page.goto(url());
  await signIn(page, 'kadi.rep1');
  await waitForControl(page);
  const fullName = `سارة فهد ناصر ${arabicWord(6)}`;
  await register(page, fullName, ...someone());

  await context.setOffline(true);
  await env.stop();
  try {
    await offlineUnlock(page, fullName);
  } finally {
    await env.start();
  }
  await context.close();
});

async function offlineUnlock(page: Page, fullName: string) {
  await page.reload();
  await page.waitForSelector('[data-testid=lock-screen]');
  await page.fill('[data-testid=lock-screen] input[name=password]', 'not-the-password');
  await page.click('[data-testid=lock-screen] button[type=submit]');
  const error = page.locator('[data-testid=login-error]');
  await error.waitFor();
  expect(await error.getAttribute('data-kind')).toBe('invalidCredentials');
  expect(await page.$('[data-testid=sections]')).toBeNull();

  // Back where it was: the list of beneficiaries.
  await unlocked(page);
  await page.waitForSelector(`[data-testid=beneficiary] >> text=${fullName}`);
  expect(await page.getAttribute('[role=status]', 'data-online')).toBe('false');
}

it('locks by itself after 5 minutes without use; use postpones it', async () => {
  const context = await env.browser().newContext();
  const page = await context.newPage();
  await page.clock.install();
  await page.goto(url());
  await signIn(page, 'kadi.rep1');
  // Four minutes of reading: still open.
  await page.clock.runFor('04:00');
  expect(await page.$('[data-testid=lock-screen]')).toBeNull();
  // Use resets the clock; then five quiet minutes lock it.
  await page.mouse.click(5, 5);
  await page.clock.runFor('04:30');
  expect(await page.$('[data-testid=lock-screen]')).toBeNull();
  await page.clock.runFor('01:00');
  await page.waitForSelector('[data-testid=lock-screen]');
  expect(await page.$('[data-testid=sections]')).toBeNull();
  await context.close();
});

async function deviceIdOf(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('wasel-device');
        open.onsuccess = () => {
          const request = open.result.transaction('meta').objectStore('meta').get('deviceId');
          request.onsuccess = () => {
            open.result.close();
            resolve((request.result as { value: string }).value);
          };
        };
        open.onerror = () => {
          reject(new Error('no device database'));
        };
      }),
  );
}

async function storageOf(page: Page) {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
}

it('a device the admin revokes erases its databases and caches at its next contact', async () => {
  const context = await env.browser().newContext();
  const page = await context.newPage();
  await page.goto(url());
  await signIn(page, 'kadi.rep1');
  await waitForControl(page);
  await register(page, `ليلى سعد محمد ${arabicWord(6)}`, ...someone());
  await page.waitForSelector('[data-testid=sync-indicator][data-pending="0"][data-phase=idle]', {
    timeout: 60_000,
  });
  const before = await storageOf(page);
  expect(before.databases).toContain('wasel-device');
  expect(before.caches.length).toBeGreaterThan(0);

  const deviceId = await deviceIdOf(page);
  const admin = await apiLogin(url(), 'kadi.admin');
  const revoked = await fetch(`${url()}/api/v1/admin/devices/${deviceId}/revoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ reason: `lost ${randomUUID().slice(0, 4)}` }),
  });
  expect(revoked.status).toBe(204);

  // The next contact: a sync asked for from the sync screen. A request made while the previous sync is
  // still finishing is folded into it, so it is asked again until the device hears of the revocation.
  await page.click('[data-testid=sync-indicator]');
  for (let attempt = 0; (await page.$('[data-testid=wiped]')) === null; attempt++) {
    if (attempt === 6) throw new Error('the revoked device was not wiped');
    await page.click('text=مزامنة الآن').catch(() => undefined);
    await page.waitForSelector('[data-testid=wiped]', { timeout: 5000 }).catch(() => undefined);
  }
  const after = await storageOf(page);
  expect(after).toEqual({ databases: [], caches: [], workers: 0 });
  await context.close();
});

it("a beneficiary's rights from the supervisor's screen: a printable copy, then destruction that reaches the representative's tablet", async () => {
  const rep = await (await env.browser().newContext()).newPage();
  await rep.goto(url());
  await signIn(rep, 'kadi.rep1');
  await waitForControl(rep);
  const fullName = `هيا سعد محمد ${arabicWord(7)}`;
  await register(rep, fullName, ...someone());
  await rep.waitForSelector('[data-testid=sync-indicator][data-pending="0"][data-phase=idle]', {
    timeout: 60_000,
  });
  const path =
    (await rep.locator('[data-testid=beneficiary]', { hasText: fullName }).getAttribute('href')) ?? '';
  expect(path).toMatch(/^\/b\/[0-9a-f-]{36}$/);
  await rep.click(`[data-testid=beneficiary] >> text=${fullName}`);
  await rep.waitForSelector('[data-testid=beneficiary-name]');
  // The representative has no rights tab, and no rights panel.
  await rep.waitForSelector('[role=tab][data-tab=documents]');
  expect(await rep.$('[role=tab][data-tab=rights]')).toBeNull();
  expect(await rep.$('[data-testid=rights]')).toBeNull();

  const supervisor = await (await env.browser().newContext()).newPage();
  await supervisor.goto(url());
  await signIn(supervisor, 'kadi.supervisor');
  await waitForControl(supervisor);
  await supervisor.click('[data-testid=sync-indicator]');
  await supervisor.click('text=مزامنة الآن');
  await supervisor.waitForSelector('[data-testid=sync-indicator][data-pending="0"][data-phase=idle]', {
    timeout: 60_000,
  });
  await supervisor.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await supervisor.waitForSelector(`[data-testid=beneficiary-name] >> text=${fullName}`);
  await beneficiaryTab(supervisor, 'rights');

  // The copy is saved as a file: a page of its own, in Arabic, with the name and the correction history.
  const [download] = await Promise.all([
    supervisor.waitForEvent('download'),
    supervisor.click('[data-testid=export-html]'),
  ]);
  expect(download.suggestedFilename()).toBe(`beneficiary-${path.slice(3)}.html`);
  const saved = await download.path();
  const html = await readFile(saved, 'utf8');
  expect(html).toContain('<html lang="ar" dir="rtl">');
  expect(html).toContain(fullName);
  expect(html).toContain('سجل التصحيحات');

  // Destruction: a reason and an explicit confirmation.
  await supervisor.click('[data-testid=rights] summary');
  await supervisor.fill('[data-testid=destroy-form] textarea[name=reason]', 'طلب إتلاف رقم 7');
  await supervisor.check('[data-testid=destroy-form] input[name=confirm]');
  await supervisor.click('[data-testid=destroy-form] button[type=submit]');
  // The supervisor's own copy goes at once (the panel asks for a sync), and with it the panel and its
  // message (shown in the unit test): the screen says the file was destroyed.
  await supervisor.waitForSelector('[data-testid=beneficiary-removed]', { timeout: 30_000 });

  // The representative's tablet, at its next sync: the open screen says so, and the record holds nothing.
  await rep.click('[data-testid=sync-indicator]');
  await rep.click('text=مزامنة الآن');
  await rep.waitForSelector('[data-testid=sync-indicator][data-pending="0"][data-phase=idle]', {
    timeout: 60_000,
  });
  await rep.goBack();
  await rep.waitForSelector('[data-testid=beneficiary-removed]');
  const rows = await storedRows(rep, 'records');
  const row = rows.find((r) => r.key === `beneficiary:${path.slice(3)}`);
  expect(row).toMatchObject({ deleted: true, sealed: null, tokens: [] });
  await rep.context().close();
  await supervisor.context().close();
});
