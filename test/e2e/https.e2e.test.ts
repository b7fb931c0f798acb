// Over HTTPS, as a phone reaches a real deployment: the server speaks TLS itself with a certificate from a test
// authority (test/tls), which Chromium is told to trust by the key, as if the authority were installed. The
// service worker registers (it needs a secure origin: over plain HTTP to a LAN address it would not), and
// the app works offline. Real Content-Security-Policy, as everywhere.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spkiHash } from '../tls';
import {
  expectOfflineReload,
  launchChromium,
  signIn,
  startServer,
  waitForControl,
  type RunningServer,
} from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startServer({ demo: true, https: true }),
    launchChromium([`--ignore-certificate-errors-spki-list=${spkiHash()}`]),
  ]);
});
afterAll(async () => {
  await browser.close();
  await server.stop();
});

describe('over HTTPS', () => {
  it('registers the service worker on the secure origin, signs in, and works offline after a reload', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const context = await browser.newContext();
    const page = await context.newPage();
    const first = await page.goto(server.url);
    expect(first?.status()).toBe(200);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await waitForControl(page);
    await signIn(page, 'kadi.rep1');
    await expectOfflineReload(context, page);
    await context.close();
  });
});
