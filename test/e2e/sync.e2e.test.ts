// Offline work and sync in Chromium, through the service worker. "Offline" means the page is offline AND
// the server is down, so that neither the page nor the worker can reach it.
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  newPerson,
  serverChanges,
  signIn,
  unlocked,
  useRestartableServer,
  waitForControl,
  registerPerson,
  beneficiaryTab,
} from './harness';

const env = useRestartableServer();
const url = env.url;

async function goOffline(...contexts: BrowserContext[]) {
  for (const c of contexts) await c.setOffline(true);
  await env.stop();
}

async function serverBack() {
  await env.start();
}

async function openApp(context: BrowserContext, username?: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url());
  if (username !== undefined) {
    await signIn(page, username);
    await waitForControl(page);
  } else {
    await unlocked(page);
  }
  return page;
}

async function openBeneficiaries(page: Page) {
  await page.click('[data-section=beneficiaries]');
  await page.waitForSelector('[data-testid=register-form]');
}

async function register(page: Page, fullName: string, nationalId: string, mobile: string) {
  await registerPerson(page, { name: fullName, nationalId, mobile });
  await page.waitForSelector(`[data-testid=beneficiary] >> text=${fullName}`);
}

async function waitSynced(page: Page) {
  await page.waitForSelector('[data-testid=sync-indicator][data-pending="0"][data-phase=idle]', {
    timeout: 60_000,
  });
}

describe('offline work in Chromium', () => {
  it('a beneficiary and contacts made offline survive closing the page, and reach the server exactly once', async () => {
    const context = await env.browser().newContext();
    let page = await openApp(context, 'kadi.rep1');
    await goOffline(context);

    await openBeneficiaries(page);
    const name = `سارة علي محمد ${randomUUID().slice(0, 6)}`;
    const person = newPerson();
    // Typed in Arabic-Indic digits, as a tablet's Arabic keyboard gives them.
    const arabicDigits = person.nationalId.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)] ?? d);
    await register(page, name, arabicDigits, person.mobile);
    await page.click(`[data-testid=beneficiary] >> text=${name}`);
    await beneficiaryTab(page, 'contacts');
    for (const summary of ['زيارة منزلية للتعريف بالخدمات', 'اتصال للمتابعة']) {
      await page.fill('[data-testid=contact-form] textarea[name=summary]', summary);
      await page.click('[data-testid=contact-form] button[type=submit]');
      await page.waitForSelector(`[data-testid=contact] >> text=${summary}`);
    }
    expect(await page.getAttribute('[data-testid=sync-indicator]', 'data-pending')).toBe('3');

    // Close the page and open the app again, still offline.
    await page.close();
    page = await openApp(context);
    await openBeneficiaries(page);
    await page.waitForSelector(`[data-testid=beneficiary] >> text=${name}`);
    expect(await page.getAttribute('[data-testid=sync-indicator]', 'data-pending')).toBe('3');

    // The network comes back.
    await serverBack();
    await context.setOffline(false);
    await waitSynced(page);

    const records = await serverChanges(url(), 'kadi.supervisor');
    const mine = records.filter((r) => r.entity === 'beneficiary' && r.data?.fullName === name);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.data).toMatchObject({ nationalId: person.nationalId, mobile: person.mobileE164 });
    const contacts = records.filter(
      (r) => r.entity === 'interaction' && r.data?.beneficiaryId === mine[0]?.recordId,
    );
    expect(contacts.map((c) => c.data?.summary).sort()).toEqual(
      ['اتصال للمتابعة', 'زيارة منزلية للتعريف بالخدمات'].sort(),
    );
    await context.close();
  });

  it('two staff of one branch edit the same beneficiary offline: the conflict appears on the sync screen', async () => {
    const contextA = await env.browser().newContext();
    const contextB = await env.browser().newContext();
    const a = await openApp(contextA, 'kadi.rep1');
    const b = await openApp(contextB, 'kadi.researcher');

    await openBeneficiaries(a);
    const name = `نورة سعد علي ${randomUUID().slice(0, 6)}`;
    const person = newPerson();
    await register(a, name, person.nationalId, person.mobile);
    await waitSynced(a);
    await openBeneficiaries(b);
    await b.click('[data-testid=sync-indicator]');
    await b.click('text=مزامنة الآن');
    await b.goBack();
    await b.waitForSelector(`[data-testid=beneficiary] >> text=${name}`, { timeout: 30_000 });

    await goOffline(contextA, contextB);
    for (const [page, mobile] of [
      [a, '0552222222'],
      [b, '0553333333'],
    ] as const) {
      await page.click(`[data-testid=beneficiary] >> text=${name}`);
      await page.fill('[data-testid=profile-form] input[name=mobile]', mobile);
      await page.click('[data-testid=profile-save]');
      await page.waitForSelector('[data-testid=sync-indicator][data-pending="1"]');
    }

    await serverBack();
    await contextA.setOffline(false);
    await waitSynced(a);
    await contextB.setOffline(false);
    await b.waitForSelector('[data-testid=sync-attention]', { timeout: 60_000 });
    await b.click('[data-testid=sync-indicator]');
    await b.waitForSelector('[data-testid=conflict]');
    expect(await b.textContent('[data-testid=conflict-mine]')).toBe('+966553333333');
    expect(await b.textContent('[data-testid=conflict-server]')).toBe('+966552222222');
    // The server kept the first value; nothing was silently overwritten.
    const record = (await serverChanges(url(), 'kadi.supervisor')).find(
      (r) => r.entity === 'beneficiary' && r.data?.fullName === name,
    );
    expect(record?.data?.mobile).toBe('+966552222222');
    await contextA.close();
    await contextB.close();
  });

  it("online, registering someone another branch already registered is stopped by the server's answer", async () => {
    const contextA = await env.browser().newContext();
    const contextB = await env.browser().newContext();
    const other = await openApp(contextB, 'kadi.rep2');
    await openBeneficiaries(other);
    const name = `هند فهد سالم ${randomUUID().slice(0, 6)}`;
    const person = newPerson();
    await register(other, name, person.nationalId, person.mobile);
    await waitSynced(other);

    // Branch 1's representative never receives branch 2's records: only the server can tell.
    const page = await openApp(contextA, 'kadi.rep1');
    await openBeneficiaries(page);
    await registerPerson(page, {
      name: `${name} أخرى`,
      nationalId: person.nationalId,
      mobile: newPerson().mobile,
    });
    const warning = await page.waitForSelector('[data-testid=duplicates]');
    expect(await warning.textContent()).toContain('ملف في الفرع الثاني');
    // Another branch's file is named by its branch only.
    expect(await warning.textContent()).not.toContain(name);
    expect(await warning.$$('a')).toHaveLength(0);
    await page.click('[data-testid=register-form] button[type=submit]');
    // No wait to prove the absence: someone else is registered next, from the same form, and synced. A save
    // the refused submit had started would have begun before that one, and the device is synced only once
    // its outbox is empty, so it would be on the server by then.
    const next = newPerson();
    const nextName = `سعاد فهد سالم ${randomUUID().slice(0, 6)}`;
    await register(page, nextName, next.nationalId, next.mobile);
    await waitSynced(page);
    const beneficiaries = (await serverChanges(url(), 'kadi.supervisor')).filter(
      (r) => r.entity === 'beneficiary',
    );
    expect(beneficiaries.filter((r) => r.data?.nationalId === next.nationalId)).toHaveLength(1);
    const same = beneficiaries.filter((r) => r.data?.nationalId === person.nationalId);
    expect(same.map((r) => r.data?.fullName)).toEqual([name]);
    expect(await page.getAttribute('[data-testid=sync-indicator]', 'data-pending')).toBe('0');
    await contextA.close();
    await contextB.close();
  });
});
