// Issue 19's acceptance, from nothing, in Chromium against the real server process: the CLI creates the
// association "nour" (no template named: the common text) and its first administrator; everything after
// that happens in the app. The administrator adds a branch and two people, edits a service and the reply
// rule, adds a holiday and a contact officer, uploads a library document, imports a 500-row CSV of which
// three rows are refused with their reasons. Nour's representative signs in
// on a fresh device, changes the temporary password, takes a request offline under Nour's profile; after
// sync the receipt names the contact officer and a deadline that skips the added holiday. The
// administrator disables the representative: at the next contact the device is shut out, its unsent work
// kept sealed. Screenshots at 768 px (administrator) and 360 px (representative) in .tmp/screenshots/.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDeadline } from '../../src/domain/deadline';
import { holidayTable } from '../../src/domain/holidays';
import { addWorkingDays, riyadhDate } from '../../src/domain/working-days';
import {
  launchChromium,
  newPerson,
  root,
  shot,
  startServer,
  storedRows,
  takeRequest,
  waitForControl,
  type RunningServer,
  registerPerson,
} from './harness';

let dataDir = '';
let server: RunningServer | undefined;
let browser: Browser | undefined;
const errors: string[] = [];

/** `npm run admin -- …` on the server's data directory, the password on standard input. */
function cli(args: string[], stdin = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end(stdin);
    child.on('exit', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`cli ${args.join(' ')} failed (${String(code)}):\n${out}`));
    });
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wasel-e2e-nour-'));
  // From nothing: the association and its first administrator, as the README shows.
  expect(
    await cli(['create-association', '--code', 'nour', '--name-ar', 'جمعية نور', '--name-en', 'Nour']),
  ).toMatch(/Association created/);
  await cli(
    [
      'create-user',
      '--association',
      'nour',
      '--username',
      'nour.admin',
      '--name',
      'مدير نور',
      '--role',
      'admin',
    ],
    'admin-password-1\n',
  );
  [server, browser] = await Promise.all([startServer({ dataDir, demo: false }), launchChromium()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const need = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('not started');
  return value;
};

async function device(width: number, height: number) {
  const context = await need(browser).newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    errors.push(`${error.name}: ${error.message} ${error.stack ?? ''} @ ${page.url()}`.trim());
  });
  await page.goto(need(server).url);
  return { context, page };
}

async function signInAs(page: Page, username: string, password: string) {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

/** A CSV of `n` beneficiaries, as an association keeps them: three rows are wrong (a checksum, a mobile, a repeat). */
function caseload(n: number): string {
  const lines = ['رقم الهوية,الاسم,الجوال,الفئة'];
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const person = newPerson();
    ids.push(person.nationalId);
    let { nationalId } = person;
    let mobile = person.mobile;
    if (i === 10) nationalId = `${nationalId.slice(0, 9)}${String((Number(nationalId[9]) + 1) % 10)}`;
    if (i === 20) mobile = '0123';
    if (i === 30) nationalId = ids[29] ?? nationalId;
    lines.push(`${nationalId},مستفيد رقم ${String(i + 1)},${mobile},family`);
  }
  return `${lines.join('\n')}\n`;
}

const synced = (page: Page) =>
  page.waitForSelector('[data-testid=sync-indicator][data-pending="0"][data-phase=idle]', {
    timeout: 60_000,
  });

describe('an association from nothing', () => {
  const today = riyadhDate(Date.now());
  // The association's own day off: the next working day, inside the reply period.
  const holiday = addWorkingDays(today, 1, holidayTable(today));
  const officer = 'نورة العتيبي';
  let repPassword = '';

  it('the administrator sets the association up in the app: branch, people, policy, holiday, officer, library', async () => {
    const { context, page } = await device(768, 1024);
    await signInAs(page, 'nour.admin', 'admin-password-1');
    await page.waitForSelector('[data-testid=sections]');
    await page.click('[data-section=users]');
    await page.waitForSelector('[data-testid=admin][data-state=ready]');

    // A branch.
    await page.click('[data-tab=branches]');
    await page.fill('[data-testid=new-branch] input[name=code]', 'north');
    await page.fill('[data-testid=new-branch] input[name=nameAr]', 'فرع الشمال');
    await page.fill('[data-testid=new-branch] input[name=nameEn]', 'North');
    await page.click('[data-testid=new-branch] button[type=submit]');
    await page.waitForSelector('[data-testid=branch][data-code=north]');

    // Two people, each with a temporary password.
    await page.click('[data-tab=people]');
    await page.click('[data-testid=add-person]');
    for (const [username, role] of [
      ['nour.rep', 'representative'],
      ['nour.researcher', 'researcher'],
    ] as const) {
      const form = page.locator('[data-testid=new-person]');
      await form.locator('input[name=username]').fill(username);
      await form
        .locator('input[name=name]')
        .fill(role === 'representative' ? 'سارة المندوبة' : 'خالد الباحث');
      await form.locator('select[name=role]').selectOption(role);
      await form.locator('select[name=branch]').selectOption({ label: 'فرع الشمال' });
      const password = await form.locator('input[name=password]').inputValue();
      if (role === 'representative') repPassword = password;
      await form.locator('button[type=submit]').click();
      await page.waitForSelector(`[data-testid=person][data-username="${username}"]`);
    }
    expect(repPassword).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    // A forgotten password: a new temporary one, shown to the administrator once.
    await page.click('[data-testid=person][data-username="nour.researcher"] [data-action=reset]');
    await page.waitForSelector('[data-testid=people-notice]:has-text("nour.researcher")');

    // The policy: a service's criteria, the reply rule (5 working days), a contact officer.
    await page.click('[data-tab=policy]');
    await page.waitForSelector('[data-testid=policy-editor][data-version="1"]');
    const service = page.locator('[data-testid=service][data-service=support]');
    await service.locator('summary').click();
    await service
      .locator('textarea[name=criteria-ar]')
      .fill('أسرة مقيمة في منطقة الحدود الشمالية\nدخل شهري دون حد الكفاية');
    await page.selectOption('select[name=reply-kind]', 'dueWithin');
    await page.fill('input[name=reply-days]', '5');
    await page.click('[data-testid=officers] button:has-text("إضافة مسؤول تواصل")');
    const row = page.locator('[data-testid=officers] [data-officer]').last();
    await row.locator('input[name=officer-name]').fill(officer);
    await row.locator('input[name=officer-phone]').fill('+966 14 662 0000');
    await row.locator('input[name=officer-hours-ar]').fill('الأحد–الخميس ٨–٢');
    await page.click('[data-action=save-policy]');
    await page.waitForSelector('[data-testid=policy-saved][data-version="2"]');
    await shot(page, 'nour.admin-policy-768');

    // The association's own holiday, recorded from the console and synced like any record.
    await page.fill('input[name=holiday-date]', holiday);
    await page.fill('input[name=holiday-ar]', 'يوم الجمعية');
    await page.click('[data-testid=holidays] button[type=submit]');
    await page.waitForSelector(`[data-testid=holidays] [data-holiday="${holiday}"]`);
    // A day added by mistake goes again.
    const mistaken = addWorkingDays(today, 20, holidayTable(today));
    await page.fill('input[name=holiday-date]', mistaken);
    await page.fill('input[name=holiday-ar]', 'يوم أُضيف خطأً');
    await page.click('[data-testid=holidays] button[type=submit]');
    await page.click(`[data-testid=holidays] [data-holiday="${mistaken}"] [data-action=remove-holiday]`);
    await page.waitForSelector(`[data-testid=holidays] [data-holiday="${mistaken}"]`, { state: 'detached' });
    await synced(page);

    // A library document, uploaded by the administrator.
    await page.click('[data-tab=library]');
    await page.waitForSelector('[data-testid=library-editor]');
    await page.setInputFiles('input[name=upload-bylaws]', {
      name: 'اللائحة الأساسية.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
    });
    await page.waitForSelector('[data-testid=library-message]:has-text("3")');
    await shot(page, 'nour.admin-library-768');

    // The caseload the association already has: 500 rows, three of them refused with their reasons.
    await page.click('[data-tab=import]');
    await page.setInputFiles('input[name=import-file]', {
      name: 'المستفيدون.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(caseload(500), 'utf8'),
    });
    await page.waitForSelector('[data-testid=import-summary]');
    const north = await page
      .locator('select[name=default-branch] option', { hasText: 'فرع الشمال' })
      .getAttribute('value');
    await page.selectOption('select[name=default-branch]', north ?? '');
    await page.click('[data-testid=import] .form > button.button');
    await page.waitForSelector('[data-testid=import-result][data-state=checked]', { timeout: 60_000 });
    const refusedRows = await page.$$eval('[data-testid=import-refused] tbody tr', (rows) =>
      rows.map((r) => r.querySelector('td, th')?.textContent.trim()),
    );
    // The file's own row numbers (the header is row 1): a checksum, a mobile, a repeat of the row before.
    expect(refusedRows).toEqual(['12', '22', '32']);
    await shot(page, 'nour.admin-import-768');
    await page.click('[data-testid=import-result][data-state=checked] button:has-text("(497)")');
    await page.waitForSelector('[data-testid=import-result][data-state=done]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=import-result]')).toContain('497');
    await page.setViewportSize({ width: 360, height: 780 });
    await page.click('[data-tab=people]');
    // The list of staff, not its loading mark, in the picture (and under the accessibility check).
    await page.waitForSelector('[data-testid=person]');
    await shot(page, 'nour.admin-people-360');
    await context.close();
  });

  it("the representative changes the temporary password, takes a request offline under Nour's profile, and after sync the receipt names the officer and skips the holiday", async () => {
    const { context, page } = await device(360, 740);
    await signInAs(page, 'nour.rep', repPassword);
    await page.waitForSelector('[data-testid=change-password]');
    await shot(page, 'nour.rep-change-password-360');
    await page.fill('input[name=current]', repPassword);
    await page.fill('input[name=next]', 'sara-own-password');
    await page.fill('input[name=repeat]', 'sara-own-password');
    await page.click('[data-testid=change-password] button[type=submit]');
    await page.waitForSelector('[data-testid=sections]');
    await waitForControl(page);
    await synced(page);
    // The library document is kept on the device for offline reading.
    await page.click('[data-section=policy]');
    await page.waitForSelector('[data-tool=bylaws] [data-testid=library-document]');
    await page.goBack();

    await context.setOffline(true);
    const person = newPerson();
    const requestId = await takeRequest(page, {
      name: 'منيرة سعد فهد الشمري',
      nationalId: person.nationalId,
      mobile: person.mobile,
      channel: 'phone',
    });
    await context.setOffline(false);
    await synced(page);
    await page.reload();
    await page.fill('[data-testid=lock-screen] input[name=password]', 'sara-own-password');
    await page.click('[data-testid=lock-screen] button[type=submit]');
    await page.waitForSelector(`[data-testid=request][data-status=submitted]`);
    expect(new URL(page.url()).pathname).toBe(`/r/${requestId}`);
    expect(await page.textContent('[data-testid=receipt-officer-name]')).toBe(officer);
    const expected = computeDeadline(
      { kind: 'dueWithin', workingDays: 5, from: 'completion' },
      today,
      holidayTable(today, [holiday]),
    );
    const without = computeDeadline(
      { kind: 'dueWithin', workingDays: 5, from: 'completion' },
      today,
      holidayTable(today),
    );
    expect(expected.date).not.toBe(without.date);
    expect(await page.getAttribute('[data-testid=receipt-deadline]', 'data-date')).toBe(expected.date);
    await shot(page, 'nour.rep-receipt-360');

    // Work not yet sent when the account is disabled: a beneficiary registered offline.
    await context.setOffline(true);
    await page.goto(need(server).url);
    await page.fill('[data-testid=lock-screen] input[name=password]', 'sara-own-password');
    await page.click('[data-testid=lock-screen] button[type=submit]');
    await page.click('[data-section=beneficiaries]');
    const other = newPerson();
    await registerPerson(page, {
      name: 'هيا سالم مطر العنزي',
      nationalId: other.nationalId,
      mobile: other.mobile,
    });
    await page.waitForSelector('[data-testid=beneficiary]:has-text("هيا سالم مطر العنزي")');
    const unsent = (await storedRows(page, 'outbox')).length;
    expect(unsent).toBeGreaterThan(0);

    // The administrator disables the account meanwhile.
    const admin = await device(768, 1024);
    await signInAs(admin.page, 'nour.admin', 'admin-password-1');
    await admin.page.waitForSelector('[data-testid=sections]');
    await admin.page.click('[data-section=users]');
    await admin.page.waitForSelector('[data-testid=person][data-username="nour.rep"]');
    const rep = admin.page.locator('[data-testid=person][data-username="nour.rep"]');
    await rep.locator('[data-action=disable]').click();
    await rep.locator('input[name=reason]').fill('انتهت خدمتها في الجمعية');
    await rep.locator('button[type=submit]').click();
    await admin.page.waitForSelector('[data-testid=person][data-username="nour.rep"][data-disabled=true]');
    await admin.context.close();

    // The device's next contact: shut out, told why; its data stays on the device, sealed.
    await context.setOffline(false);
    await page.evaluate(() => {
      window.dispatchEvent(new Event('online'));
    });
    await page.waitForSelector('[data-testid=login-error][data-kind=accountDisabled]', { timeout: 60_000 });
    await shot(page, 'nour.rep-disabled-360');
    // The unsent registration is still in the outbox, sealed like everything else on the device.
    const outbox = await storedRows(page, 'outbox');
    expect(outbox.length).toBe(unsent);
    const sealed = await storedRows(page, 'records');
    expect(sealed.length).toBeGreaterThan(0);
    expect(JSON.stringify([...sealed, ...outbox])).not.toContain('هيا');
    // Signing in again does not get past the server.
    await signInAs(page, 'nour.rep', 'sara-own-password');
    await page.waitForSelector('[data-testid=login-error][data-kind=accountDisabled]');
    await context.close();
    expect(errors).toEqual([]);
  });
});
