// Issue 7's path in Chromium, each person on their own device and offline while they act, then synced: a
// request registered and submitted by kadi.rep1 is researched by kadi.researcher (C-PROC-3), decided by
// kadi.committee with its reason (C-PROC-5, K-PROC-e), reaches kadi.rep1's worklist as a decision to tell
// and is told through the beneficiary's agreed channel; the service is delivered, the beneficiary rates it
// anonymously in kiosk mode (C-OBJ-5, C-OBJ-6), and kadi.supervisor's dashboard counts it. Screens go to
// .tmp/screenshots/.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  newPerson,
  offlineDevices,
  root,
  serverChanges,
  shot,
  takeRequest,
  unlocked,
  useRestartableServer,
} from './harness';

const env = useRestartableServer();
const url = env.url;
const shots = join(root, '.tmp', 'screenshots');
const { errors, offline: offlineDevice, online: onlineDevice, syncBack } = offlineDevices(env);

describe('research, decision and the decision told, each offline on its own device', () => {
  it('kadi: registered, researched, decided, told, delivered, rated in the kiosk, counted — each offline on its own device', async () => {
    await mkdir(shots, { recursive: true });
    const fullName = `لطيفة عبدالله محمد ${randomUUID().slice(0, 6)}`;
    const person = newPerson();
    // The representative, offline at the beneficiary's home: registration and a complete request, signed
    // and submitted (each step and its refusals: intake.e2e.test.ts).
    const intake = await offlineDevice('kadi.rep1');
    const caseId = await takeRequest(intake.page, {
      name: fullName,
      nationalId: person.nationalId,
      mobile: person.mobile,
      channel: 'phone',
    });
    await syncBack(intake.context, intake.page);

    // The research officer, offline: the queue, the request, the report of the home visit.
    const researcher = await offlineDevice('kadi.researcher');
    await researcher.page.click('[data-section=research]');
    await researcher.page.locator('[data-testid=queue-item]', { hasText: fullName }).click();
    const form = researcher.page.locator('[data-testid=research-form]');
    await form.locator('textarea[name=needs]').fill('سلة غذائية شهرية');
    await form.locator('button').click();
    // Refused with the missing field named; nothing typed is lost.
    expect(await researcher.page.textContent('[data-testid=casework-error]')).toContain('نتائج الزيارة');
    await form.locator('textarea[name=findings]').fill('أسرة من خمسة أفراد في شقة مستأجرة');
    await form.locator('button').click();
    await researcher.page.waitForSelector('[data-testid=request][data-status=awaitingDecision]');
    await researcher.page.waitForSelector('[data-testid=research-report]');
    await researcher.page.screenshot({ path: join(shots, 'kadi.researcher-report-768.png'), fullPage: true });
    await syncBack(researcher.context, researcher.page);

    // The committee, offline: the decision queue, the report, the decision with its reason.
    const committee = await offlineDevice('kadi.committee');
    await committee.page.click('[data-section=decisions]');
    await committee.page.locator('[data-testid=queue-item]', { hasText: fullName }).click();
    expect(await committee.page.textContent('[data-testid=recommendation]')).toBe('قبول الطلب');
    await committee.page.selectOption('[data-testid=decision-form] select[name=outcome]', 'accepted');
    await committee.page.fill('[data-testid=decision-form] textarea[name=reason]', 'مستوفٍ لمعايير الخدمة');
    // Aid as data: the decision grants an amount (typed in Arabic-Indic digits) and items.
    await committee.page.fill('[data-testid=decision-form] input[name=aidAmount]', '١٥٠٠٫٥٠');
    await committee.page.fill('[data-testid=decision-form] textarea[name=aidItems]', 'سلة غذائية');
    await committee.page.click('[data-testid=decision-form] button');
    await committee.page.waitForSelector('[data-testid=request][data-status=accepted]');
    await committee.page.screenshot({ path: join(shots, 'kadi.committee-decision-768.png'), fullPage: true });
    await syncBack(committee.context, committee.page);

    // The representative, offline: the decision to tell, told by phone, the channel agreed with them.
    const rep = await offlineDevice('kadi.rep1');
    await rep.page.click('[data-section=worklist]');
    await rep.page
      .locator('[data-kind=decisionToTell] [data-testid=work-item]', { hasText: fullName })
      .click();
    expect(await rep.page.inputValue('[data-testid=notify] select[name=notifyChannel]')).toBe('phone');
    // The decision's words are prefilled, naming the beneficiary; the user adds the delivery's day.
    const prefilled = await rep.page.inputValue('[data-testid=notify] textarea[name=notifyText]');
    expect(prefilled).toContain(fullName);
    await rep.page.fill(
      '[data-testid=notify] textarea[name=notifyText]',
      `${prefilled} وسنتواصل لموعد التسليم`,
    );
    // The agreed channel is the phone: the call is offered first. Opened in the phone's app, the message is
    // recorded only once the user says it went: "no" records nothing.
    expect(
      await rep.page.getAttribute('[data-testid=notify] [data-testid=send-links] a >> nth=0', 'data-send'),
    ).toBe('call');
    const whatsapp = await rep.page.getAttribute('[data-testid=notify] [data-send=whatsapp]', 'href');
    expect(whatsapp).toMatch(/^https:\/\/wa\.me\/9665\d{8}\?text=/);
    expect(decodeURIComponent(whatsapp ?? '')).toContain('وسنتواصل لموعد التسليم');
    // The links open the phone's own apps; here the popup is closed unopened.
    rep.context.on('page', (popup) => void popup.close());
    await rep.page.click('[data-testid=notify] [data-send=whatsapp]');
    await rep.page.click('[data-testid=send-confirm] >> text=لا، لم يتم');
    expect(await rep.page.$('text=✓ أُبلغ المستفيد بالقرار.')).toBeNull();
    await rep.page.click('[data-testid=notify] [data-send=call]');
    await rep.page.click('[data-testid=send-confirmed]');
    await rep.page.waitForSelector('text=✓');
    // Still offline: the service is delivered (C-PROC-7), and the tablet handed to the beneficiary, who
    // rates it in kiosk mode, without their name (C-OBJ-5, C-OBJ-6); the app then locks (staff mode).
    await rep.page.fill('textarea[name=delivery]', 'سلة غذائية شهرية');
    await rep.page.click('button:has-text("تسجيل تقديم الخدمة")');
    await rep.page.click('[data-testid=kiosk-start]');
    expect(await rep.page.textContent('[data-testid=kiosk-right]')).toContain('ليس للمحاسبة أو التشهير');
    expect(await rep.page.isChecked('[data-testid=kiosk] input[name=anonymous]')).toBe(true);
    for (const [question, score] of [
      ['staff', 5],
      ['ease', 4],
      ['time', 4],
      ['overall', 5],
    ] as const)
      await rep.page.click(`[data-question=${question}] label:has(input[value="${score}"])`);
    await shot(rep.page, 'kadi.rep1-kiosk-768');
    await rep.page.click('[data-testid=kiosk-send]');
    await rep.page.waitForSelector('[data-testid=kiosk-done]');
    await rep.page.click('[data-testid=kiosk-give-back]');
    await rep.page.waitForSelector('[data-testid=lock-screen]');
    await unlocked(rep.page);
    await syncBack(rep.context, rep.page);

    expect(errors).toEqual([]);
    const server = await serverChanges(url(), 'kadi.supervisor');
    const of = (entity: string) => server.filter((c) => c.entity === entity && c.data?.caseId === caseId);
    expect(of('research_report').map((c) => c.data?.recommendation)).toEqual(['accept']);
    expect(of('decision').map((c) => [c.data?.outcome, c.data?.reason])).toEqual([
      ['accepted', 'مستوفٍ لمعايير الخدمة'],
    ]);
    expect(of('notification').map((c) => c.data?.channel)).toEqual(['phone']);
    const request = server.find((c) => c.entity === 'case' && c.recordId === caseId)?.data;
    expect(request).toMatchObject({
      status: 'delivered',
      researchReportId: of('research_report')[0]?.recordId,
      decisionTold: { channel: 'phone', notificationId: of('notification')[0]?.recordId },
    });
    // The answer reached the server without naming the beneficiary or the request.
    const answers = server.filter((c) => c.entity === 'survey_response' && c.data?.serviceTypeId === 'aid');
    expect(answers.map((c) => [c.data?.beneficiaryId, c.data?.caseId, c.data?.answers])).toEqual([
      [null, null, { staff: 5, ease: 4, time: 4, overall: 5 }],
    ]);

    // The supervisor's dashboard counts it (the figures are counted on the server: online).
    const { context: supervisor, page: board } = await onlineDevice('kadi.supervisor');
    await board.click('[data-section=dashboard]');
    await board.waitForSelector('[data-testid=dashboard][data-state=ready]');
    await board.waitForSelector('[data-testid=deadlines] [data-testid=chart] canvas');
    const row = (table: string, first: string) =>
      board.$$eval(
        `[data-testid=table-${table}] tbody tr`,
        (rows, name) =>
          rows.map((r) => [...r.children].map((c) => c.textContent)).find((cells) => cells[0] === name) ??
          null,
        first,
      );
    // On time: decided today, 40 days before its due date.
    expect((await row('deadlines', 'الفرع الأول'))?.[1]).toBe('1');
    expect(await row('satisfaction-service', 'صرف مساعدة')).toEqual(['صرف مساعدة', '1', '4.5']);
    expect(await board.textContent('[data-testid=satisfaction-responses]')).toContain('1');
    // Aid as data: the 1,500.50 riyals granted, and handed over (the delivery offers what was granted), are
    // counted by service (one accepted request).
    // (Shown grouped, in the digits chosen; the CSV keeps the plain number.)
    expect(await row('aid-service', 'صرف مساعدة')).toEqual(['صرف مساعدة', '1', '1,500.5', '1,500.5']);
    const download = board.waitForEvent('download');
    await board.click('[data-testid=csv-satisfaction-service]');
    expect((await download).suggestedFilename()).toBe('wasel-satisfaction-service.csv');
    await shot(board, 'kadi.supervisor-dashboard-768');
    await board.setViewportSize({ width: 360, height: 780 });
    await shot(board, 'kadi.supervisor-dashboard-360');
    await supervisor.close();
    expect(errors).toEqual([]);
  });
});
