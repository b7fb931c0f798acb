// The representative's task, as the issue 20 goal counts it: from the home screen to a submitted request for a
// returning beneficiary (registered earlier, with their details, address and household), two documents
// photographed, on a tablet slowed to a cheap one's speed (CPU ×4). Counted: every tap (a choice from a list
// is two: open, choose), and the time spent waiting for the app after each tap or search. Not counted:
// typing, drawing the signature, and taking the photos (the files are given at once).
import type { Page } from 'playwright-core';
import {
  documentPhoto,
  drawSignature,
  launchChromium,
  newPerson,
  registerReturning,
  signIn,
  startServer,
} from '../e2e/harness';

export interface TaskRun {
  /** The documents photographed. */
  documents: number;
  taps: number;
  waitingMs: number;
  /** Each wait, by what was waited for: where the time goes. */
  waits: Record<string, number>;
}

/** Taps and waits, counted as the user would feel them. */
function meter(page: Page) {
  const run: TaskRun = { documents: 0, taps: 0, waitingMs: 0, waits: {} };
  const waited = async (what: string, ready: () => Promise<unknown>) => {
    const started = performance.now();
    await ready();
    const ms = performance.now() - started;
    run.waitingMs += ms;
    run.waits[what] = (run.waits[what] ?? 0) + ms;
  };
  return {
    run,
    /** A tap, then the wait until `next` is there. */
    async tap(selector: string, next: string, what = next) {
      run.taps += 1;
      await page.click(selector);
      await waited(what, () => page.waitForSelector(next));
    },
    /** A choice from a list: two taps. */
    async choose(selector: string, index: number, next: string) {
      run.taps += 2;
      await page.selectOption(selector, { index });
      await waited(next, () => page.waitForSelector(next));
    },
    /** A photo taken (the camera's time is not the app's): one tap, then the wait for it to be kept. */
    async photograph(selector: string, photo: Buffer, next: string) {
      run.taps += 1;
      await page.setInputFiles(selector, { name: 'document.jpg', mimeType: 'image/jpeg', buffer: photo });
      await waited(next, () => page.waitForSelector(next, { timeout: 60_000 }));
    },
    waited,
  };
}

async function oneTask(page: Page, nationalId: string): Promise<TaskRun> {
  const photo = await documentPhoto(page);
  const m = meter(page);
  await m.tap('[data-section=request]', '[data-testid=start-search]');
  // Typing the ID is not counted; the wait for the match is.
  m.run.taps += 1; // the search box
  await page.fill('[data-testid=start-search]', nationalId);
  await m.waited('search', () => page.waitForSelector('[data-testid=start-person]'));
  await m.tap('[data-testid=start-person]', '[data-testid=start-new]');
  await m.tap('[data-testid=start-new]', '[data-step=reception]');
  await m.tap('[data-step=reception] button', '[data-progress=reception][data-done=true]');
  const service = (await page.$('[data-progress=requirements]')) === null ? 'completeness' : 'requirements';
  if ((await page.getAttribute('[aria-current=step]', 'data-progress')) !== service)
    await m.tap(`[data-progress=${service}]`, `[data-step=${service}]`);
  await m.choose(
    'select[name=service]',
    1,
    '[data-testid=checklist] li, [data-testid=requirements-explained]',
  );
  if (service === 'requirements') {
    await m.tap('[data-testid=requirements-explained]', '[data-progress=requirements][data-done=true]');
    if ((await page.getAttribute('[aria-current=step]', 'data-progress')) !== 'completeness')
      await m.tap('[data-progress=completeness]', '[data-step=completeness]');
  }
  // Fields on record are ticked already; each document is photographed.
  const documents = await page.$$eval('[data-testid=checklist] li', (items) =>
    items
      .filter((li) => li.querySelector('input[type=file]') !== null)
      .map((li) => li.getAttribute('data-item')),
  );
  for (const item of documents)
    await m.photograph(
      `[data-testid=photo-${item ?? ''}]`,
      photo,
      `[data-item=${item ?? ''}][data-provided=true]`,
    );
  await m.tap('[data-testid=step-next]', '[data-step=verification]');
  m.run.taps += 1; // the expiry date field (typing not counted)
  await page.fill('[data-step=verification] input[name=idExpiry]', '2030-06-30');
  await m.tap('[data-testid=verify]', '[data-progress=verification][data-done=true]');
  if ((await page.getAttribute('[aria-current=step]', 'data-progress')) !== 'declaration')
    await m.tap('[data-progress=declaration]', '[data-step=declaration]');
  await drawSignature(page);
  await m.tap('[data-testid=sign]', '[data-progress=declaration][data-done=true]');
  if ((await page.getAttribute('[aria-current=step]', 'data-progress')) !== 'submission')
    await m.tap('[data-progress=submission]', '[data-step=submission]');
  await m.tap('[data-testid=submit-request]', '[data-testid=request][data-status=submitted]');
  m.run.documents = documents.length;
  return m.run;
}

export async function taskFigures(options: { runs: number }): Promise<TaskRun[]> {
  const [server, browser] = await Promise.all([startServer({ demo: true }), launchChromium()]);
  try {
    const results: TaskRun[] = [];
    for (let i = 0; i < options.runs; i++) {
      const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
      const page = await context.newPage();
      await page.goto(server.url);
      await signIn(page, 'kadi.rep1');
      // Set up, not counted: the beneficiary registered on an earlier visit, with what a request needs.
      const person = { ...newPerson(), name: `سارة فهد ناصر ${String(i)}ع`, channel: 'phone' };
      await registerReturning(page, person);
      await page.click('[data-testid=back]');
      await page.click('[data-testid=back]');
      await page.waitForSelector('[data-testid=sections]');
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      results.push(await oneTask(page, person.nationalId));
      await context.close();
    }
    return results;
  } finally {
    await browser.close();
    await server.stop();
  }
}
