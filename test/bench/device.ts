// The representative's tablet at scale (issue 8): the app holding `households` households (each head a
// beneficiary, about half with a household member) pulled from the server, then reopened offline under
// Chromium's CPU throttling ×4 (a cheap tablet): time to the lock screen, time from the password to the
// worklist's first rows, and the page's JavaScript heap.
import { riyadhDate } from '../../src/domain/working-days';
import { launchChromium, signIn, startServer, waitForControl } from '../e2e/harness';
import { householdsOfRep1, seedWasel, storedInApp } from './replication';

export interface ColdStart {
  /** Navigation start to the shell (the lock screen) on screen. */
  shellMs: number;
  /** The unlock form sent (PBKDF2, keys unwrapped) to the worklist's first rows on screen. */
  unlockToWorklistMs: number;
  jsHeapMb: number;
}

export async function deviceFigures(options: { households: number; runs: number; throttle: number }) {
  const [server, browser] = await Promise.all([startServer({ demo: true }), launchChromium()]);
  try {
    const records = await householdsOfRep1(server, options.households, riyadhDate(Date.now()));
    await seedWasel(server, records);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForControl(page);
    await signIn(page, 'kadi.rep1');
    const pullStarted = performance.now();
    const deadline = Date.now() + 900_000;
    while ((await storedInApp(page)) < records.length) {
      if (Date.now() > deadline) throw new Error('the initial pull did not finish in 15 minutes');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const pullMs = performance.now() - pullStarted;
    // Reopened on the worklist, as a representative starting the day.
    await page.evaluate(() => {
      history.replaceState(null, '', '/s/worklist');
    });
    await context.setOffline(true);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');

    const runs: ColdStart[] = [];
    // One warm-up round, not counted (the first reload also settles the service worker's caches).
    for (let i = 0; i <= options.runs; i++) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.throttle });
      await page.reload();
      await page.waitForSelector('[data-testid=lock-screen]');
      const shellMs = await page.evaluate(
        () => performance.getEntriesByName('wasel:shell-rendered')[0]?.startTime ?? Number.NaN,
      );
      // Times taken in the page: when the form is sent, and when the first worklist row appears.
      await page.evaluate(() => {
        const marks = { submit: Number.NaN, worklist: Number.NaN };
        Object.assign(window, { benchMarks: marks });
        document.addEventListener(
          'submit',
          () => {
            marks.submit = performance.now();
          },
          { capture: true, once: true },
        );
        const observer = new MutationObserver(() => {
          if (document.querySelector('[data-testid=work-item]') === null) return;
          marks.worklist = performance.now();
          observer.disconnect();
        });
        observer.observe(document.body, { childList: true, subtree: true });
      });
      await page.fill('[data-testid=lock-screen] input[name=password]', 'wasel-demo');
      await page.click('[data-testid=lock-screen] button[type=submit]');
      await page.waitForSelector('[data-testid=work-item]', { timeout: 120_000 });
      const marks = await page.evaluate(
        () => (window as unknown as { benchMarks: { submit: number; worklist: number } }).benchMarks,
      );
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
      if (i > 0)
        runs.push({ shellMs, unlockToWorklistMs: marks.worklist - marks.submit, jsHeapMb: heap / 2 ** 20 });
    }
    await context.close();
    return { records: records.length, households: options.households, pullMs, runs };
  } finally {
    await browser.close();
    await server.stop();
  }
}
