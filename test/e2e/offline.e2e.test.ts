// The service worker in Chromium: control after first load, the app shell offline, /api never as HTML.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectOfflineReload, signIn, unlocked, useServerAndBrowser, waitForControl } from './harness';

const { server, browser } = useServerAndBrowser();
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  context = await browser().newContext();
  page = await context.newPage();
});

describe('offline', () => {
  it('the page is controlled by the service worker after the first load, its scripts sent compressed', async () => {
    // What the first load fetches from the server itself (the network, not a cache): every script in brotli.
    const scripts: { url: string; encoding: string | undefined }[] = [];
    page.on('response', (response) => {
      if (/\/assets\/[^/]+\.js$/.test(response.url()) && !response.fromServiceWorker())
        scripts.push({ url: response.url(), encoding: response.headers()['content-encoding'] });
    });
    await page.goto(server().url);
    await waitForControl(page);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => s.encoding !== 'br')).toEqual([]);
    const scriptURL = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    expect(scriptURL).toBe(`${server().url}/sw.js`);
  });

  it('C-OBJ-2 offline, a reload still shows the app shell with the offline indicator, and the session', async () => {
    await signIn(page, 'kadi.rep1');
    await expectOfflineReload(context, page);
  });

  it('offline, a client-side route deep link loads from the cached shell', async () => {
    await page.goto(`${server().url}/s/complaints`);
    await unlocked(page);
    await page.waitForSelector('[data-testid=complaints]');
  });

  it('offline, /api/* requests fail as network errors, never as index.html', async () => {
    const results = await page.evaluate(async () => {
      const out: string[] = [];
      for (const path of ['/api/v1/health', '/api/v1/me', '/api/v1/sync/pull']) {
        try {
          const response = await fetch(path);
          out.push(`answered ${response.status} ${response.headers.get('content-type') ?? ''}`);
        } catch (error) {
          out.push(error instanceof TypeError ? 'network error' : String(error));
        }
      }
      return out;
    });
    expect(results).toEqual(['network error', 'network error', 'network error']);

    // A navigation to an API address is not answered with the shell either.
    const navigation = await page.goto(`${server().url}/api/v1/health`).then(
      (response) => `answered ${String(response?.status())}`,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(navigation).toMatch(/ERR_INTERNET_DISCONNECTED/);
  });

  it('back online, the indicator says so', async () => {
    await context.setOffline(false);
    await page.goto(server().url);
    await page.waitForSelector('[role=status][data-online=true]');
  });
});
