// The README's first command: `npm start` serves the app with demo data on :8080.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, requireBuild, root, signIn, waitForListening } from './harness';

let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  requireBuild();
  browser = await launchChromium();
  dataDir = await mkdtemp(join(tmpdir(), 'wasel-start-'));
});
afterAll(async () => {
  await browser.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('npm start listens on 8080 in demo mode, prints the accounts, and kadi.rep1 can log in', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.PORT;
  delete env.WASEL_DEMO;
  delete env.WASEL_STATIC_DIR;
  const child = spawn('npm', ['start'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const port = await waitForListening(child, () => out);
    expect(port).toBe(8080);
    expect(out).toContain('Demo accounts (password: wasel-demo)');
    expect(out).toMatch(/kadi\.rep1\s+representative\s+b1/);

    const page = await browser.newPage();
    await page.goto('http://localhost:8080/');
    await signIn(page, 'kadi.rep1');
    expect(await page.textContent('[data-testid=association-name]')).toBe('جمعية كادي');
    await page.close();
  } finally {
    const exited = new Promise((resolve) => child.on('exit', resolve));
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
});
