// Installability as Chromium judges it, and the manifest the product promises.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath, startServer, waitForControl, type RunningServer } from './harness';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ demo: true });
});
afterAll(async () => {
  expect(await server.stop(), server.output().slice(-3000)).toBe(0);
});

it('C-OBJ-2 Chromium reports no installability errors', async () => {
  // A real profile: Chromium never offers installation in an incognito context.
  const profile = await mkdtemp(join(tmpdir(), 'wasel-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumArgs,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.url);
  await waitForControl(page);
  const cdp = await context.newCDPSession(page);
  const result = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };
  expect(result.installabilityErrors).toEqual([]);
  await context.close();
  await rm(profile, { recursive: true, force: true });
});

it('the manifest is Arabic, right to left, standalone, with 192/512/maskable icons and screenshots that exist', async () => {
  const response = await fetch(`${server.url}/manifest.webmanifest`);
  const manifest = (await response.json()) as {
    lang: string;
    dir: string;
    display: string;
    short_name: string;
    start_url: string;
    scope: string;
    icons: { src: string; sizes: string; purpose: string }[];
    screenshots: { src: string; form_factor: string }[];
  };
  expect(manifest).toMatchObject({
    lang: 'ar',
    dir: 'rtl',
    display: 'standalone',
    short_name: 'واصل',
    start_url: '/',
    scope: '/',
  });
  expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(
    expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']),
  );
  expect(manifest.screenshots.map((s) => s.form_factor).sort()).toEqual(['narrow', 'wide']);
  for (const file of [...manifest.icons, ...manifest.screenshots]) {
    const asset = await fetch(server.url + file.src);
    expect(asset.status, file.src).toBe(200);
  }
});
