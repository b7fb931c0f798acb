// The complaint path in Chromium with the real server (K-CMPL-a..c, K-COMP-a..c): a complainant uses the
// public page on a phone, without an account, and gets a reference; the follow-up unit (kadi.supervisor)
// answers it and escalates it on its own device, offline; the committee keeps the compensation file
// offline on its own; each synced, and the complainant's status page follows. Screens checked with axe.
import { describe, expect, it } from 'vitest';
import { offlineDevices, serverChanges, shot, useRestartableServer } from './harness';

const env = useRestartableServer();
const url = env.url;
const { errors, offline: offlineDevice, syncBack } = offlineDevices(env);

describe('a complaint from the website to compensation', () => {
  it('K-CMPL-a K-CMPL-c K-COMP-a K-COMP-b K-COMP-c public page → follow-up unit → committee, each offline', async () => {
    await env.start();
    // The complainant, on a phone, with no account.
    const visitor = await env.browser().newContext({ viewport: { width: 360, height: 780 } });
    const phone = await visitor.newPage();
    await phone.goto(`${url()}/complaints/kadi`);
    await shot(phone, 'public-complaint-form-360');
    await phone.selectOption('select[name=kind]', 'complaint');
    await phone.fill('textarea[name=text]', 'قصير');
    await phone.click('button[type=submit]');
    // Refused: what was typed is still there, the fields at fault are named.
    expect(await phone.inputValue('textarea[name=text]')).toBe('قصير');
    expect(await phone.textContent('#consent-error')).toContain('الموافقة');
    await phone.fill('textarea[name=text]', 'تأخر صرف المساعدة المقررة لنا شهرين دون توضيح');
    await phone.fill('input[name=name]', 'أم خالد');
    await phone.fill('input[name=mobile]', '0501234567');
    await phone.check('input[name=consent]');
    await phone.click('button[type=submit]');
    const reference = (await phone.textContent('.reference'))?.trim() ?? '';
    expect(reference).toMatch(/^KADI-[2-9A-HJ-NP-Z]{10}$/);
    await shot(phone, 'public-complaint-receipt-360');

    // The follow-up unit, offline: the complaint arrived by sync; it answers, then escalates.
    const followUp = await offlineDevice('kadi.supervisor');
    await followUp.page.click('[data-section=complaints]');
    const item = followUp.page.locator(`[data-testid=complaint][data-reference="${reference}"]`);
    await item.locator('summary').click();
    expect(await item.getAttribute('data-state')).toBe('received');
    expect(await item.textContent()).toContain('رابط الموقع الإلكتروني');
    await item.locator('textarea[name=note]').fill('اتصلنا بها وشرحنا سبب التأخير');
    await item.locator('button', { hasText: 'تسجيل الرد' }).click();
    await followUp.page.waitForSelector(
      `[data-testid=complaint][data-reference="${reference}"][data-state=answered]`,
    );
    await item.locator('textarea[name=summary]').fill('ثبت خطأ في الإحالة؛ تُرفع للجنة للتعويض');
    await item.locator('button', { hasText: 'رفع إلى لجنة التحقيق' }).click();
    await followUp.page.waitForSelector(
      `[data-testid=complaint][data-reference="${reference}"][data-state=escalated] [data-testid=compensation]`,
    );
    await shot(followUp.page, 'kadi.supervisor-complaint-escalated-768');
    await syncBack(followUp.context, followUp.page);

    // The committee, offline: the compensation file — minutes, approvals, negotiation, settlement.
    const committee = await offlineDevice('kadi.committee');
    await committee.page.click('[data-section=complaints]');
    const file = committee.page.locator(`[data-testid=complaint][data-reference="${reference}"]`);
    await file.locator('summary').click();
    const compensation = file.locator('[data-testid=compensation]');
    await compensation.locator('textarea[name=harm]').fill('تأخر صرف المساعدة شهرين');
    await compensation.locator('button', { hasText: 'حفظ المحضر' }).click();
    expect(await compensation.locator('[data-testid=complaint-error]').textContent()).toContain('حجم الضرر');
    await compensation.locator('textarea[name=size]').fill('مساعدة شهرين');
    await compensation.locator('textarea[name=causes]').fill('خطأ في إحالة الطلب');
    await compensation.locator('button', { hasText: 'حفظ المحضر' }).click();
    await compensation.locator('input[name=member]').fill('رئيس لجنة التحقيق والمتابعة');
    await compensation.locator('button', { hasText: 'اعتماد' }).click();
    await committee.page.waitForSelector('[data-testid=approvals]:has-text("رئيس لجنة التحقيق والمتابعة")');
    await compensation.locator('textarea[name=negotiation]').fill('عُرض صرف المستحق مع الاعتذار، ووافقت');
    await compensation.locator('button', { hasText: 'إضافة' }).click();
    await compensation.locator('textarea[name=terms]').fill('صرف مساعدة الشهرين خلال أسبوع');
    await compensation.locator('button', { hasText: 'إغلاق الملف بالتسوية' }).click();
    await committee.page.waitForSelector('[data-testid=settlement]');
    await shot(committee.page, 'kadi.committee-compensation-768');
    await syncBack(committee.context, committee.page);

    expect(errors).toEqual([]);
    const server = await serverChanges(url(), 'kadi.supervisor');
    const complaint = server.find((c) => c.entity === 'complaint' && c.data?.reference === reference);
    expect(complaint?.data).toMatchObject({
      channel: 'public_form',
      complainant: { name: 'أم خالد', mobile: '+966501234567' },
      resolution: { outcome: 'escalated' },
      handling: [{ note: 'اتصلنا بها وشرحنا سبب التأخير' }],
    });
    const file2 = server.find(
      (c) => c.entity === 'compensation' && c.recordId === complaint?.data?.compensationId,
    );
    expect(file2?.data).toMatchObject({
      complaintId: complaint?.recordId,
      minutes: { size: 'مساعدة شهرين', approvals: [{ memberName: 'رئيس لجنة التحقيق والمتابعة' }] },
      negotiation: [{ note: 'عُرض صرف المستحق مع الاعتذار، ووافقت' }],
      settlement: { terms: 'صرف مساعدة الشهرين خلال أسبوع' },
    });

    // The complainant's status page follows, from the same phone.
    await phone.goto(`${url()}/complaints/kadi/status?reference=${reference}`);
    expect(await phone.textContent('[role=status]')).toContain('لجنة التحقيق والمتابعة');
    await shot(phone, 'public-complaint-status-360');
    await visitor.close();
  });
});
