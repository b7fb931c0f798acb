// Staff sign-off and the administrator's screen, in Chromium with the real server (K-RESP, K-REL-d):
// kadi.rep1 reads the policy and signs the acknowledgement offline on their tablet; once synced, the
// administrator sees it, and who has not signed; the administrator revokes a device from the screen.
import { describe, expect, it } from 'vitest';
import { offlineDevices, shot, useRestartableServer } from './harness';

const env = useRestartableServer();
const { errors, offline: offlineDevice, online: onlineDevice, syncBack } = offlineDevices(env);

describe('staff sign-off and the administrator', () => {
  it('K-RESP K-REL-d signed offline on the tablet, seen by the administrator; a device revoked from the screen', async () => {
    const rep = await offlineDevice('kadi.rep1');
    await rep.page.click('[data-section=policy]');
    const signOff = rep.page.locator('[data-testid=sign-off]');
    expect(await signOff.getAttribute('data-signed')).toBe('false');
    await signOff.locator('input[name=agreed]').check();
    const pad = signOff.locator('canvas');
    const box = await pad.boundingBox();
    if (box === null) throw new Error('no signature pad');
    await rep.page.mouse.move(box.x + 20, box.y + 40);
    await rep.page.mouse.down();
    await rep.page.mouse.move(box.x + 120, box.y + 60, { steps: 8 });
    await rep.page.mouse.move(box.x + 200, box.y + 30, { steps: 8 });
    await rep.page.mouse.up();
    await signOff.locator('[data-testid=sign-policy]').click();
    await rep.page.waitForSelector('[data-testid=sign-off][data-signed=true]');
    await syncBack(rep.context, rep.page);

    const { context, page } = await onlineDevice('kadi.admin');
    await page.click('[data-section=users]');
    await page.waitForSelector('[data-testid=admin][data-state=ready]');
    await page.click('[data-tab=devices]');
    await page.waitForSelector('[data-testid=admin-devices][data-state=ready]');
    const staff = (username: string) => `[data-testid=staff] [data-username="${username}"]`;
    expect(await page.getAttribute(staff('kadi.rep1'), 'data-signed')).toBe('true');
    expect(await page.getAttribute(staff('kadi.rep2'), 'data-signed')).toBe('false');
    // Six demo accounts; one has signed.
    expect(await page.getAttribute('[data-testid=not-signed]', 'data-count')).toBe('5');
    await shot(page, 'kadi.admin-staff-768');

    // The representative's tablet, revoked from the screen with its reason.
    const device = page.locator('[data-testid=devices] li', { hasText: 'kadi.rep1' }).first();
    await device.locator('input[name=reason]').fill('فُقد الجهاز في زيارة ميدانية');
    await device.locator('button').click();
    await page.waitForSelector('[data-testid=devices] li:has-text("kadi.rep1"):has-text("أُلغي")');
    await page.setViewportSize({ width: 360, height: 780 });
    await shot(page, 'kadi.admin-staff-360');
    await context.close();
    expect(errors).toEqual([]);
  });
});
