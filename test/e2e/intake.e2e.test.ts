// The representative's request at the beneficiary's home, in Chromium, entirely offline after login, for
// two associations whose policies differ (Kadi: 15 working days from completion; Bakkah: not before two
// weeks from submission): start, leave, resume, photograph a document, verify, sign on the screen, submit,
// see the receipt; reload offline; then online, the server holds it once and the signature's data hash is
// that of the data stored. Screenshots of each step at 768 px (Kadi) and 360 px (Bakkah) go to
// .tmp/screenshots/.
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { declaredData } from '../../src/domain/declaration';
import {
  newPerson,
  screenshotDir,
  serverChanges,
  drawSignature,
  provideEverything,
  shot,
  signIn,
  unlocked,
  chooseService,
  openStep,
  stepDone,
  useRestartableServer,
  waitForControl,
  registerPerson,
  beneficiaryTab,
  saveProfile,
} from './harness';

const env = useRestartableServer();
const url = env.url;
const shots = screenshotDir;

/** A household member's four-part name, in the member form. */
async function fillName(page: Page, first: string) {
  const parts = { first, father: 'سعد', grandfather: 'محمد', family: 'العتيبي' };
  for (const [part, value] of Object.entries(parts))
    await page.fill(`[data-testid=member-form] input[name=${part}]`, value);
}

const cases = [
  {
    username: 'kadi.rep1',
    supervisor: 'kadi.supervisor',
    width: 768,
    height: 1024,
    deadline: 'dueBy',
    city: 'الرياض',
    // K-INFO-a: the first category is families, whose contact officer the receipt names.
    officer: 'مسؤول التواصل مع الأسر',
    // L-CONSENT: given by the head of household when registering the family.
    consentInFlow: false,
  },
  {
    username: 'bakkah.rep1',
    supervisor: 'bakkah.supervisor',
    width: 360,
    height: 740,
    deadline: 'notBefore',
    city: 'مكة المكرمة',
    // The common texts have no contact officers.
    officer: null,
    // L-CONSENT: not given at registration, so the request asks for it in its flow, before the declaration.
    consentInFlow: true,
  },
] as const;

describe('a request taken offline', () => {
  for (const c of cases) {
    it(`${c.username} at ${c.width} px: start, resume, photograph, verify, sign, submit, receipt — then once on the server`, async () => {
      // The previous test may have ended with the server stopped.
      await env.start();
      const context: BrowserContext = await env.browser().newContext({
        viewport: { width: c.width, height: c.height },
      });
      const page = await context.newPage();
      await page.goto(url());
      await signIn(page, c.username);
      await waitForControl(page);
      // Offline from here on: neither the page nor its worker can reach the server.
      await context.setOffline(true);
      await env.stop();

      const name = `منيرة عبدالله صالح ${randomUUID().slice(0, 6)}`;
      await page.click('[data-section=beneficiaries]');
      const someone = newPerson();
      await registerPerson(page, { name, nationalId: someone.nationalId, mobile: someone.mobile });
      await page.locator('[data-testid=beneficiary]', { hasText: name }).waitFor();
      // The same national ID again: refused as the same person, with a link to their record.
      await registerPerson(page, {
        name: `${name} ثانية`,
        nationalId: someone.nationalId,
        mobile: newPerson().mobile,
      });
      await page.waitForSelector(`[data-testid=duplicates] >> text=${name}`);
      expect(await page.locator('[data-testid=beneficiary]', { hasText: name }).count()).toBe(1);
      // Offline, the warning says the server was not asked.
      expect(await page.textContent('[data-testid=duplicates]')).toContain('على هذا الجهاز فقط');
      // The list filtered to files with details missing: the new beneficiary is one of them.
      await page.selectOption('[data-testid=filters] select[name=file]', 'incomplete');
      await page.locator('[data-testid=beneficiary]', { hasText: name }).waitFor();
      await shot(page, `${c.username}-0-beneficiaries-${c.width}`);
      await page.selectOption('[data-testid=filters] select[name=file]', '');
      await page.locator('[data-testid=beneficiary]', { hasText: name }).click();

      // Two household members, collected through the head of household.
      await beneficiaryTab(page, 'household');
      await page.click('[data-testid=household] summary');
      for (const [first, relation, birthDate] of [
        ['ريم', 'daughter', '2014-03-01'],
        ['خالد', 'son', '2016-09-15'],
      ] as const) {
        await fillName(page, first);
        await page.selectOption('[data-testid=member-form] select[name=relation]', relation);
        await page.fill('[data-testid=member-form] input[name=birthDate]', birthDate);
        await page.click('[data-testid=member-form] button[type=submit]');
        await page.waitForSelector(`[data-testid=member] >> text=${first} سعد`);
      }
      // A wrong national ID for a member is refused with the reason.
      await fillName(page, 'سارة');
      await page.fill('[data-testid=member-form] input[name=birthDate]', '2018-01-01');
      await page.fill('[data-testid=member-form] input[name=memberNationalId]', '1000000000');
      await page.click('[data-testid=member-form] button[type=submit]');
      expect(await page.textContent('[data-testid=member-form] [role=alert]')).toContain('10 أرقام');
      expect(await page.$$('[data-testid=member]')).toHaveLength(2);

      // Category, preferred channel, consent to the privacy notice and the National Address: one form,
      // one save. The income is typed in Arabic-Indic digits, and so are the address's numbers.
      await beneficiaryTab(page, 'profile');
      await page.selectOption('[data-testid=details] select[name=category]', { index: 1 });
      await page.fill('[data-testid=details] input[name=monthlyIncome]', '٣٥٠٠');
      await page.selectOption('[data-testid=details] select[name=preferredChannel]', { index: 2 });
      if (!c.consentInFlow) await page.check('[data-testid=details] input[name=consent]');
      for (const [field, value] of [
        ['buildingNumber', '٢٩٢٩'],
        ['street', 'طريق الملك فهد'],
        ['district', 'العليا'],
        ['city', c.city],
        ['postalCode', '1234'],
        ['additionalNumber', '٧٢٢٣'],
      ] as const)
        await page.fill(`[data-testid=address] input[name=${field}]`, value);
      // A short postal code is refused, naming it; nothing is saved and nothing typed is lost.
      await page.click('[data-testid=profile-save]');
      expect(await page.textContent('[data-testid=address] [role=alert]')).toContain('الرمز البريدي 5 أرقام');
      await page.waitForSelector('[data-testid=profile-errors]');
      expect(await page.inputValue('[data-testid=details] input[name=monthlyIncome]')).toBe('٣٥٠٠');
      await page.fill('[data-testid=address] input[name=postalCode]', '12345');
      await saveProfile(page);
      // Saved: the income reads back as a number, in Western digits.
      await page.waitForFunction(
        () =>
          document.querySelector<HTMLInputElement>('[data-testid=details] input[name=monthlyIncome]')
            ?.value === '3500',
      );
      expect(await page.inputValue('[data-testid=address] input[name=buildingNumber]')).toBe('2929');
      if (!c.consentInFlow) await page.waitForSelector('[data-testid=details] .done');

      await beneficiaryTab(page, 'contacts');
      // A phone call: an inquiry, the answer given, a follow-up date.
      await page.selectOption('[data-testid=contact-form] select[name=channel]', 'phone');
      await page.selectOption('[data-testid=contact-form] select[name=kind]', 'inquiry');
      await page.fill('[data-testid=contact-form] [name=summary]', 'سألت عن موعد صرف السلة');
      await page.fill('[data-testid=contact-form] [name=answer]', 'يوم الأحد من الأسبوع القادم');
      await page.click('[data-testid=contact-form] button[type=submit]');
      await page.waitForSelector('[data-testid=contact] >> text=سألت عن موعد صرف السلة');
      await shot(page, `${c.username}-0-beneficiary-${c.width}`);

      // A visit planned for today puts the beneficiary on the worklist.
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Riyadh' }).format(new Date());
      await page.fill('[data-testid=visit-form] input[name=nextVisitOn]', today);
      await page.click('[data-testid=visit-form] button[type=submit]');
      await page.waitForFunction(
        (d) =>
          document.querySelector<HTMLInputElement>('[data-testid=visit-form] input[name=nextVisitOn]')
            ?.value === d,
        today,
      );
      const beneficiaryPath = new URL(page.url()).pathname;
      await page.goto(`${url()}/s/worklist`);
      await unlocked(page);
      await page.waitForSelector(`[data-kind=visitToday] [data-testid=work-item] >> text=${name}`);
      // K-REL-c: a reminder of the visit, prefilled with the name, ready to go from the phone.
      const visit = page.locator('[data-kind=visitToday] li', { hasText: name });
      await visit.locator('[data-testid=remind]').click();
      expect(await visit.locator('[name=reminderText]').inputValue()).toContain(name);
      expect(await visit.locator('[data-send=whatsapp]').getAttribute('href')).toMatch(
        /^https:\/\/wa\.me\/966/,
      );
      await shot(page, `${c.username}-0-worklist-${c.width}`);
      // C-TOOL K-TOOL: the association's policy, in full, read offline from the library.
      await page.goto(`${url()}/s/policy`);
      await unlocked(page);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=policy-text] p').length > 20);
      expect(await page.$$('[data-testid=tools] li')).not.toHaveLength(0);
      await shot(page, `${c.username}-0-library-${c.width}`);
      await page.goto(`${url()}${beneficiaryPath}`);
      await unlocked(page);
      await beneficiaryTab(page, 'requests');
      await page.waitForSelector('[data-testid=new-request]');

      await page.click('[data-testid=new-request]');
      await page.waitForSelector('[data-testid=request][data-status=draft]');
      // One step at a time: the draft opens at its first step, which done, gives way to the next.
      await page.waitForSelector('[data-progress=reception][aria-current=step]');
      await page.click('[data-step=reception] button');
      await stepDone(page, 'reception');
      await chooseService(page);
      // Choosing the service ticks the fields already on record; a document waits for its photo (issue 18).
      await openStep(page, 'completeness');
      await page.waitForSelector('[data-item=national_id][data-provided=true]');
      await page.waitForSelector('[data-item=mobile][data-provided=true]');
      expect(await page.getAttribute('[data-item=id_copy]', 'data-provided')).toBe('false');
      await shot(page, `${c.username}-1-service-${c.width}`);

      // Left half-way, and resumed from the beneficiary's screen: the draft is as it was.
      await page.goBack();
      await page.click('[data-testid=request-link]');
      // Resumed where it was left: reception done, the first step still to do is open.
      await stepDone(page, 'reception');
      expect(await page.getAttribute('[aria-current=step]', 'data-progress')).not.toBe('reception');
      await chooseService(page);
      expect(await page.$eval('select[name=service]', (s) => (s as HTMLSelectElement).value)).not.toBe('');

      // Submitting now is refused, naming what is missing.
      await openStep(page, 'submission');
      await page.click('[data-testid=submit-request]');
      const refused = await page.textContent('[data-step=submission] [data-testid=intake-error]');
      expect(refused).toMatch(/ناقصة: .+/);

      // The checklist: fields ticked, documents photographed (compressed and kept offline).
      await provideEverything(page);
      await shot(page, `${c.username}-2-checklist-${c.width}`);

      await openStep(page, 'verification');
      await page.fill('[data-step=verification] input[name=idExpiry]', '2030-06-30');
      await page.click('[data-testid=verify]');
      await stepDone(page, 'verification');

      await openStep(page, 'declaration');
      if (c.consentInFlow) {
        // The declaration waits for consent to the privacy notice, read out in the flow (L-CONSENT).
        await page.waitForSelector('[data-step=declaration] [data-testid=consent-step]');
        await shot(page, `${c.username}-3-consent-${c.width}`);
        await page.click('[data-testid=consent-given]');
      }
      await drawSignature(page);
      await shot(page, `${c.username}-3-signature-${c.width}`);
      await page.click('[data-testid=sign]');
      await stepDone(page, 'declaration');
      await openStep(page, 'submission');
      await page.click('[data-testid=submit-request]');
      await page.waitForSelector('[data-testid=request][data-status=submitted]');
      // The receipt, at the top, has the focus the submit button had at the bottom.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'receipt-focus',
      );
      const deadline = await page.getAttribute('[data-testid=receipt-deadline]', 'data-date');
      expect(deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const number = await page.textContent('[data-testid=receipt-number]');
      if (c.officer === null) expect(await page.$('[data-testid=receipt-officer]')).toBeNull();
      else expect(await page.textContent('[data-testid=receipt-officer]')).toContain(c.officer);
      await shot(page, `${c.username}-4-request-${c.width}`);
      await page
        .locator('[data-testid=receipt]')
        .screenshot({ path: join(shots, `${c.username}-5-receipt-${c.width}.png`) });

      // A reload, still offline: locked, then everything is there.
      await page.reload();
      await unlocked(page);
      await page.waitForSelector('[data-testid=request][data-status=submitted]');
      expect(await page.textContent('[data-testid=receipt-number]')).toBe(number);

      // Online again: one sync later the server has the request, once, as signed.
      await env.start();
      await context.setOffline(false);
      await page.click('[data-testid=sync-indicator]');
      await page.click('text=مزامنة الآن');
      await page.waitForSelector(
        '[data-testid=sync-indicator][data-pending="0"][data-files="0"][data-phase=idle]',
        {
          timeout: 60_000,
        },
      );
      const server = await serverChanges(url(), c.supervisor);
      const requests = server.filter((r) => r.entity === 'case' && r.data?.number === number);
      expect(requests).toHaveLength(1);
      const request = requests[0]?.data ?? {};
      expect(request).toMatchObject({ status: 'submitted', deadline: { kind: c.deadline, date: deadline } });
      const person = server.find((r) => r.entity === 'beneficiary' && r.recordId === request.beneficiaryId);
      const members = server.filter(
        (r) => r.entity === 'household_member' && r.data?.beneficiaryId === request.beneficiaryId,
      );
      expect(members).toHaveLength(2);
      expect(person?.data).toMatchObject({
        consent: { noticeVersion: '2026-11', viaHeadOfHousehold: !c.consentInFlow },
        monthlyIncome: 3500,
      });
      // The receipt now shows the server's deadline (it derived it; the device's was an estimate).
      await page.goto(`${url()}/r/${String(requests[0]?.recordId)}`);
      await unlocked(page);
      expect(await page.getAttribute('[data-testid=receipt-deadline]', 'data-date')).toBe(
        (request.deadline as { date?: string } | undefined)?.date,
      );
      expect(person?.data?.address).toMatchObject({
        buildingNumber: '2929',
        postalCode: '12345',
        city: c.city,
      });
      // The phone call, once, with the answer given.
      const calls = server.filter(
        (r) => r.entity === 'interaction' && r.data?.beneficiaryId === request.beneficiaryId,
      );
      expect(calls.map((r) => r.data)).toEqual([
        expect.objectContaining({ channel: 'phone', kind: 'inquiry', answer: 'يوم الأحد من الأسبوع القادم' }),
      ]);
      const declared = declaredData({
        beneficiary: person?.data ?? {},
        members: members.map((m) => ({ id: m.recordId, data: m.data ?? {} })),
        request: {
          serviceTypeId: request.serviceTypeId as string,
          providedItems: request.providedItems as string[],
        },
      });
      const declaration = request.declaration as { dataHash: string; signatureHash: string };
      expect(createHash('sha256').update(declared).digest('hex')).toBe(declaration.dataHash);
      // The signature is on the server too, named by its hash, as is each document photographed.
      const signature = server.find(
        (r) =>
          r.entity === 'attachment' &&
          r.data?.kind === 'signature' &&
          r.data.caseId === requests[0]?.recordId,
      );
      expect(signature?.data?.sha256).toBe(declaration.signatureHash);
      await context.close();
    });
  }
});
