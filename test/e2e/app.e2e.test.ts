// Logging in as the demo accounts in Chromium, against the built app and the real server (demo mode).
import { describe, expect, it } from 'vitest';
import { signIn, unlocked, useServerAndBrowser } from './harness';

const { server, browser } = useServerAndBrowser();

describe('demo accounts in Chromium', () => {
  it('kadi.rep1 / wasel-demo logs in and sees Kadi, in Arabic, with the DEMO banner', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(server().url);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await signIn(page, 'kadi.rep1');
    // No script error and no Content-Security-Policy violation on the way.
    expect(problems).toEqual([]);
    expect(await page.textContent('[data-testid=association-name]')).toBe('جمعية كادي');
    expect(await page.textContent('[data-testid=role]')).toBe('مندوب المكتب الفرعي');
    expect(await page.textContent('[data-testid=demo-banner]')).toContain('DEMO');
    await context.close();
  });

  it("bakkah.rep1 sees Bakkah's name, not Kadi's", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(server().url);
    await signIn(page, 'bakkah.rep1');
    const name = await page.textContent('[data-testid=association-name]');
    expect(name).toBe('جمعية بكة للخدمات الإنسانية');
    expect(await page.textContent('body')).not.toContain('كادي');
    await context.close();
  });

  it('a wrong password is refused with a clear message, and the session survives a reload', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(server().url);
    await page.fill('input[name=username]', 'awn.researcher');
    await page.fill('input[name=password]', 'not-it');
    await page.click('button[type=submit]');
    const error = page.locator('[data-testid=login-error]');
    await error.waitFor();
    expect(await error.getAttribute('data-kind')).toBe('invalidCredentials');
    await signIn(page, 'awn.researcher');
    const sections = await page.$$eval('[data-section]', (links) =>
      links.map((a) => a.getAttribute('data-section')),
    );
    expect(sections[0]).toBe('research');
    await page.reload();
    await unlocked(page);
    await context.close();
  });

  it('is usable on a 360 px phone: nothing overflows sideways', async () => {
    const context = await browser().newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(server().url);
    await signIn(page, 'qalb.supervisor');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});
