// The field day as a new user meets it, at a phone's 360 px and a tablet's 768 px, under the app's real
// Content-Security-Policy: every home section of every role opens a working screen (no placeholder, no
// sideways scroll, no serious accessibility fault), the back control and the browser's back button lead
// home, the header leaves the screen to the work, and a "support request" runs from the tile: a name too
// long for the record is refused on the form, the beneficiary registered, the request started.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { exportDocumentSchema, RIGHTS_PATH } from '../../src/protocol/rights';
import { sectionsByRole } from '../../src/ui/navigation';
import {
  apiLogin,
  newPerson,
  shot,
  signIn,
  useServerAndBrowser,
  fillRegistration,
  registerPerson,
  unlocked,
} from './harness';

const { server, browser } = useServerAndBrowser();

const roles = ['rep1', 'researcher', 'committee', 'supervisor', 'admin'] as const;
const widths = [360, 768] as const;

/** What no screen a user reaches may say (the old placeholder), in either language. */
const unfinished = /قيد الإنشاء|being built|under construction/i;

async function openEverySection(page: Page, label: string, checkAccessibility: boolean) {
  const sections = await page.$$eval('[data-section]', (links) =>
    links.map((a) => a.getAttribute('data-section') ?? ''),
  );
  expect(sections.length, label).toBeGreaterThan(1);
  for (const section of sections) {
    await page.click(`[data-section=${section}]`);
    // Each section's screen has a heading once its code and data are there.
    await page.waitForSelector('main h1');
    const main = (await page.textContent('main')) ?? '';
    expect(main, `${label} ${section}`).not.toMatch(unfinished);
    expect(await page.$('[data-testid=screen-error]'), `${label} ${section}`).toBeNull();
    expect(await page.$('[data-testid=error-notice]'), `${label} ${section}`).toBeNull();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${label} ${section} overflows sideways`).toBeLessThanOrEqual(0);
    if (checkAccessibility) await shot(page, `field-${label}-${section}`);
    // The header's back control leads home.
    await page.click('[data-testid=back]');
    await page.waitForSelector('[data-testid=sections]');
  }
  return sections;
}

describe('every home section of every role', () => {
  for (const width of widths)
    it(`opens a working screen for each role at ${width} px, and comes back`, async () => {
      for (const role of roles) {
        const context = await browser().newContext({
          viewport: { width, height: width === 360 ? 740 : 1024 },
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        await page.goto(server().url);
        await signIn(page, `kadi.${role}`);
        const sections = await openEverySection(page, `${role}-${width}`, width === 360);
        // Every section the representative's home shows was opened (the unit test pins which they are).
        if (role === 'rep1') expect(sections).toEqual(sectionsByRole.representative);
        expect(errors, `${role} at ${width} px`).toEqual([]);
        await context.close();
      }
    });
});

describe('a phone’s screen is for the work', () => {
  it('the header takes at most 12% of a 360×740 screen, and the browser’s back button works', async () => {
    const context = await browser().newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(server().url);
    await signIn(page, 'kadi.rep1');
    const header = await page.$eval('header', (h) => h.getBoundingClientRect().height);
    expect(header).toBeLessThanOrEqual(740 * 0.12);
    // Language, lock and sign-out are behind the menu on a phone, and reachable.
    await page.click('[data-testid=header-menu]');
    expect(await page.isVisible('[data-testid=lock]')).toBe(true);
    await page.click('[data-testid=header-menu]');
    await page.click('[data-section=beneficiaries]');
    await page.waitForSelector('[data-testid=register-form]');
    await page.goBack();
    await page.waitForSelector('[data-testid=sections]');
    await page.goForward();
    await page.waitForSelector('[data-testid=register-form]');
    // A reload on a section keeps it; back from there leads home, not out of the app.
    await page.reload();
    await page.fill('[data-testid=lock-screen] input[name=password]', 'wasel-demo');
    await page.click('[data-testid=lock-screen] button[type=submit]');
    await page.waitForSelector('[data-testid=register-form]');
    await page.click('[data-testid=back]');
    await page.waitForSelector('[data-testid=sections]');
    expect(new URL(page.url()).pathname).toBe('/');
    await context.close();
  });
});

describe('one digit system, chosen by the user', () => {
  it('Arabic-Indic digits once chosen: the sync screen’s date and time, kept after a reload', async () => {
    const context = await browser().newContext({ viewport: { width: 768, height: 1024 } });
    const page = await context.newPage();
    await page.goto(server().url);
    await signIn(page, 'kadi.rep1');
    await page.click('[data-testid=sync-indicator]');
    await page.click('text=مزامنة الآن');
    await page.waitForSelector('[data-testid=sync-indicator][data-phase=idle]');
    const lastSync = () => page.textContent('[data-testid=sync-last]');
    expect(await lastSync()).toMatch(/آخر مزامنة: .*\d{4}/);
    await page.selectOption('[data-testid=digits]', 'arab');
    await page.waitForFunction(() =>
      /[٠-٩]{4}/.test(document.querySelector('[data-testid=sync-last]')?.textContent ?? ''),
    );
    expect(await lastSync()).not.toMatch(/[0-9]/);
    await page.reload();
    await unlocked(page);
    await page.waitForSelector('[data-testid=digits]');
    expect(await page.inputValue('[data-testid=digits]')).toBe('arab');
    await page.waitForFunction(() =>
      /[٠-٩]{4}/.test(document.querySelector('[data-testid=sync-last]')?.textContent ?? ''),
    );
    await context.close();
  });
});

describe('a support request from the home tile', () => {
  for (const width of widths)
    it(`at ${width} px: a too-long name refused on the form, then registered, a request started, and discarded`, async () => {
      const context = await browser().newContext({ viewport: { width, height: width === 360 ? 740 : 1024 } });
      const page = await context.newPage();
      await page.goto(server().url);
      await signIn(page, 'kadi.rep1');
      await page.click('[data-section=request]');
      await page.click('[data-testid=start-register]');
      const person = newPerson();
      const form = page.locator('[data-testid=register-form]');
      // The name in four parts, like household members'; one far too long.
      await fillRegistration(page, {
        name: `${'م'.repeat(600)} عبدالله صالح الدوسري`,
        nationalId: person.nationalId,
        mobile: person.mobile,
      });
      // The limit shows while typing, and the form refuses what the server would.
      expect(await page.textContent('[data-testid=length-first]')).toContain('600/60');
      await form.locator('button[type=submit]').click();
      const refusal = form.locator('[role=alert]');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain('60');
      expect(await page.$('[data-testid=start-chosen]')).toBeNull();
      if (width === 360) await shot(page, 'field-request-name-too-long-360');
      await form.locator('input[name=first]').fill('منيرة');
      await form.locator('button[type=submit]').click();
      await page.waitForSelector('[data-testid=start-chosen]');
      expect(await page.textContent('[data-testid=start-chosen]')).toContain(person.nationalId);
      await shot(page, `field-request-chosen-${width}`);
      await page.click('[data-testid=start-new]');
      await page.waitForSelector('[data-testid=request][data-status=draft]');
      // Back on the tile, the same person offers the draft to continue instead of a duplicate.
      await page.click('[data-testid=back]');
      await page.waitForSelector('[data-testid=start-request]');
      await page.fill('[data-testid=start-search]', person.nationalId);
      await page.click('[data-testid=start-person]');
      await page.waitForSelector('[data-testid=start-resume]');
      expect(await page.$$('[data-testid=start-resume]')).toHaveLength(1);
      // The draft was opened by mistake: discarded, with the reason, and no longer offered.
      await page.click('[data-testid=start-resume]');
      await page.click('[data-testid=discard] summary');
      await page.fill('[data-testid=discard] textarea[name=discardReason]', 'فُتح مرتين');
      await page.click('[data-testid=discard-confirm]');
      await page.waitForSelector('[data-testid=discarded]');
      expect(await page.textContent('[data-testid=discarded]')).toContain('فُتح مرتين');
      expect(await page.$('[data-testid=receipt]')).toBeNull();
      await page.click('[data-testid=back]');
      await page.fill('[data-testid=start-search]', person.nationalId);
      await page.click('[data-testid=start-person]');
      await page.waitForSelector('[data-testid=start-new]');
      expect(await page.$$('[data-testid=start-resume]')).toHaveLength(0);
      await context.close();
    });
});

describe('fast unlock with a passkey', () => {
  it('set up after sign-in, it opens the data after a reload with a touch, offline too; the password stays', async () => {
    const context = await browser().newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    // WebAuthn needs a domain for its relying party, not an IP address: the same server, as localhost.
    const url = server().url.replace('127.0.0.1', 'localhost');
    await page.goto(url);
    // A platform authenticator that verifies its user and supports PRF, as a phone's fingerprint reader.
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        ctap2Version: 'ctap2_1',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        hasPrf: true,
        automaticPresenceSimulation: true,
      },
    });
    await signIn(page, 'kadi.rep1');
    await page.waitForSelector('[data-testid=passkey][data-state=none]');
    await shot(page, 'field-passkey-offer-360');
    await page.fill('input[name=passkey-password]', 'wasel-demo');
    await page.click('[data-testid=passkey-enable]');
    await page.waitForSelector('[data-testid=passkey][data-state=set]');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    // The wrapped keys are stored; nothing of the PRF output or the keys is in the clear.
    const vaults = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('wasel-device');
        open.onsuccess = () => {
          resolve(open.result);
        };
        open.onerror = () => {
          reject(new Error('no device database'));
        };
      });
      const rows = await new Promise<{ passkey?: { data: { ct: ArrayBuffer } } }[]>((resolve) => {
        const request = db.transaction('vaults').objectStore('vaults').getAll();
        request.onsuccess = () => {
          resolve(request.result as { passkey?: { data: { ct: ArrayBuffer } } }[]);
        };
      });
      db.close();
      return rows.map((r) => (r.passkey === undefined ? 0 : r.passkey.data.ct.byteLength));
    });
    // An AES-256 key wrapped with AES-GCM: 32 bytes and the 16-byte tag.
    expect(vaults).toEqual([48]);

    // A reload (a tab the tablet killed): locked, and one touch opens it — no password typed.
    await page.reload();
    await page.waitForSelector('[data-testid=lock-screen]');
    await shot(page, 'field-passkey-lock-360');
    await page.click('[data-testid=unlock-passkey]');
    await page.waitForSelector('[data-testid=sections]');

    // Offline, the same.
    await context.setOffline(true);
    await page.click('[data-testid=header-menu]');
    await page.click('[data-testid=lock]');
    await page.click('[data-testid=unlock-passkey]');
    await page.waitForSelector('[data-testid=sections]');

    // A finger the device does not accept opens nothing; the password still does.
    await page.click('[data-testid=header-menu]');
    await page.click('[data-testid=lock]');
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    await page.click('[data-testid=unlock-passkey]');
    await page.waitForSelector('[data-testid=login-error][data-kind=passkey]');
    expect(await page.$('[data-testid=sections]')).toBeNull();
    await page.fill('[data-testid=lock-screen] input[name=password]', 'wasel-demo');
    await page.click('[data-testid=lock-screen] button[type=submit]');
    await page.waitForSelector('[data-testid=sections]');
    await context.close();
  });
});

describe('L-SENSITIVE health data in Awn', () => {
  it('the researcher records a condition; the representative’s device never receives it; the supervisor’s export says it was withheld', async () => {
    const condition = 'قصور في عضلة القلب — متابعة دورية';
    const person = newPerson();
    const researcher = await browser().newContext({ viewport: { width: 360, height: 740 } });
    const page = await researcher.newPage();
    await page.goto(server().url);
    await signIn(page, 'awn.researcher');
    await page.click('[data-section=beneficiaries]');
    await registerPerson(page, {
      name: 'هند سالم مطر العنزي',
      nationalId: person.nationalId,
      mobile: person.mobile,
    });
    await page.click('[data-testid=beneficiary]');
    await page.click('[data-testid=sensitive] summary');
    await page.fill('textarea[name=sensitive-medical_condition]', condition);
    await shot(page, 'field-sensitive-researcher-360');
    await page.click('[data-testid=sensitive-save]');
    await page.waitForSelector('[data-testid=sensitive-saved]');
    await page.waitForSelector('[data-testid=sync-indicator][data-pending="0"][data-phase=idle]', {
      timeout: 60_000,
    });
    await researcher.close();

    // The representative of the same branch: every byte the server sends this device, and the screen.
    const rep = await browser().newContext({ viewport: { width: 360, height: 740 } });
    const repPage = await rep.newPage();
    const received: Promise<string>[] = [];
    repPage.on('response', (response) => {
      if (response.url().includes('/api/v1/')) received.push(response.text().catch(() => ''));
    });
    await repPage.goto(server().url);
    await signIn(repPage, 'awn.rep1');
    await repPage.waitForSelector('[data-testid=sync-indicator][data-phase=idle]', { timeout: 60_000 });
    await repPage.click('[data-section=beneficiaries]');
    await repPage.fill('input[type=search]', person.nationalId);
    await repPage.click('[data-testid=beneficiary]');
    await repPage.waitForSelector('[data-testid=beneficiary-name]');
    expect(await repPage.$('[data-testid=sensitive]')).toBeNull();
    expect(await repPage.textContent('main')).not.toContain(condition);
    const bodies = await Promise.all(received);
    // The record itself arrived (its name is there), its health data did not.
    expect(bodies.some((b) => b.includes('هند سالم مطر العنزي'))).toBe(true);
    expect(bodies.some((b) => b.includes(condition))).toBe(false);
    await rep.close();

    // The supervisor answers an access request: the export names what their role could not include.
    const supervisor = await apiLogin(server().url, 'awn.supervisor');
    const beneficiary = await (async () => {
      const rows = await fetch(`${server().url}/api/v1/sync/pull?cursor=&limit=1000`, {
        headers: { Authorization: `Bearer ${supervisor.accessToken}` },
      });
      const page = (await rows.json()) as {
        changes: { entity: string; recordId: string; data?: { nationalId?: string } }[];
      };
      return page.changes.find((c) => c.entity === 'beneficiary' && c.data?.nationalId === person.nationalId);
    })();
    if (beneficiary === undefined) throw new Error('the supervisor does not see the beneficiary');
    const exported = exportDocumentSchema.parse(
      await (
        await fetch(`${server().url}${RIGHTS_PATH}/${beneficiary.recordId}/export`, {
          headers: { Authorization: `Bearer ${supervisor.accessToken}` },
        })
      ).json(),
    );
    expect(exported.withheld).toEqual(['sensitive']);
    expect(JSON.stringify(exported)).not.toContain(condition);
  });
});

describe('a refusal is loud', () => {
  it('a step forged on the way (a modified client) is refused by the server, said in Arabic, never "synced"', async () => {
    // No service worker: the page syncs by itself, so its push can be changed on the way.
    const context = await browser().newContext({
      viewport: { width: 360, height: 740 },
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    await page.goto(server().url);
    await signIn(page, 'kadi.rep1');
    await page.click('[data-section=request]');
    await page.click('[data-testid=start-register]');
    const person = newPerson();
    await registerPerson(page, {
      name: 'سلمى ناصر محمد الحربي',
      nationalId: person.nationalId,
      mobile: person.mobile,
    });
    await page.click('[data-testid=start-new]');
    await page.waitForSelector('[data-testid=request][data-status=draft]');
    await page.waitForSelector('[data-testid=sync-indicator][data-pending="0"][data-phase=idle]', {
      timeout: 60_000,
    });
    // On its way to the server, "reception done" becomes "submit": a request submitted without its steps.
    let forged = 0;
    await context.route('**/api/v1/sync/push', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as {
        mutations?: { event?: Record<string, unknown> }[];
      };
      for (const m of body.mutations ?? [])
        if (m.event?.type === 'receptionDone') {
          m.event = { type: 'submit' };
          forged += 1;
        }
      await route.continue({ postData: JSON.stringify(body) });
    });
    await page.click('[data-step=reception] button');
    const indicator = page.locator('[data-testid=sync-indicator][data-attention="1"]');
    await indicator.waitFor({ timeout: 60_000 });
    expect(forged).toBe(1);
    // The header asks for a review instead of saying "synced".
    expect(await indicator.textContent()).toContain('راجع المزامنة');
    expect(await indicator.textContent()).not.toContain('تمت المزامنة');
    await indicator.click();
    const refusal = page.locator('[data-testid=rejected]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('case_reception_missing');
    expect(await refusal.textContent()).toContain('لم يُسجَّل استقبال المستفيد');
    expect(await refusal.textContent()).toContain('افتح الطلب');
    await shot(page, 'field-refusal-360');
    await context.close();
  });
});
