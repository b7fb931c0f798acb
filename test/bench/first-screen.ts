// The sign-in page as a phone first receives it, the way Lighthouse looks at it: each script the page asks
// for before its form is shown (the entry, what index.html preloads, any chunk loaded on the way), its
// bytes as sent over the network (compressed, by the server's content negotiation) and how much of its
// code the page runs by then (V8's block coverage in Chromium). What loads after the form (the database and
// the API client, fetched while the user types) is not part of it.
import { launchChromium, startServer } from '../e2e/harness';

export interface FirstScreenScript {
  path: string;
  /** Bytes as sent (the response body on the wire), and how they were encoded. */
  sentBytes: number;
  encoding: string;
  /** The share of the file's code (in characters) that ran by the time the sign-in form was shown. */
  usedShare: number;
}

declare global {
  interface Window {
    /** When the sign-in form was first in the page (performance.now()), set by the bench's init script. */
    waselFormShownAt?: number;
  }
}

/** V8's ranges, nested: an inner range overrides the one around it. */
interface Range {
  startOffset: number;
  endOffset: number;
  count: number;
}

/** How many characters of a script ran, from its functions' block ranges. */
export function usedLengthOf(length: number, functions: readonly { ranges: readonly Range[] }[]): number {
  const used = new Uint8Array(length);
  const ranges = functions
    .flatMap((f) => f.ranges)
    .sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset);
  for (const r of ranges) used.fill(r.count > 0 ? 1 : 0, r.startOffset, Math.min(r.endOffset, length));
  return used.reduce((sum, b) => sum + b, 0);
}

/** The scripts of the sign-in page's first screen, on a device that has never opened the app. */
export async function firstScreenFigures(): Promise<FirstScreenScript[]> {
  const [server, browser] = await Promise.all([startServer({ demo: true }), launchChromium()]);
  try {
    const context = await browser.newContext();
    // The moment the form is in the page, on the page's own clock (that of its resource timings).
    await context.addInitScript(() => {
      const observer = new MutationObserver(() => {
        if (document.querySelector('input[name=password]') === null) return;
        window.waselFormShownAt = performance.now();
        observer.disconnect();
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    const sent: Promise<{ path: string; bytes: number; encoding: string } | null>[] = [];
    page.on('requestfinished', (request) => {
      const path = new URL(request.url()).pathname;
      if (!path.endsWith('.js')) return;
      sent.push(
        Promise.all([request.sizes(), request.response()])
          .then(async ([sizes, response]) => ({
            path,
            bytes: sizes.responseBodySize,
            encoding: (await response?.allHeaders())?.['content-encoding'] ?? 'identity',
          }))
          // A script that finishes loading after the figures are taken (the lazy chunks the page fetches while
          // the user types) is not measured: its sizes are asked for as the browser closes, which fails, and
          // unhandled that failure ended the whole benchmark (CI, 2026-12-07).
          .catch(() => null),
      );
    });
    await page.coverage.startJSCoverage({ resetOnNavigation: false });
    await page.goto(server.url);
    await page.waitForLoadState('load');
    await page.waitForSelector('input[name=password]');
    const { shownAt, requested } = await page.evaluate(() => ({
      shownAt: window.waselFormShownAt ?? Number.NaN,
      requested: performance
        .getEntriesByType('resource')
        .map((e) => ({ path: new URL(e.name).pathname, startTime: e.startTime })),
    }));
    if (Number.isNaN(shownAt)) throw new Error('the sign-in form was not seen appearing');
    const paths = [
      ...new Set(requested.filter((r) => r.path.endsWith('.js') && r.startTime < shownAt).map((r) => r.path)),
    ];
    const coverage = await page.coverage.stopJSCoverage();
    const sizes = (await Promise.all(sent)).filter((size) => size !== null);
    return paths.map((path) => {
      const entry = coverage.find((c) => new URL(c.url).pathname === path);
      const source = entry?.source ?? '';
      const size = sizes.find((s) => s.path === path);
      return {
        path,
        sentBytes: size?.bytes ?? NaN,
        encoding: size?.encoding ?? 'not fetched',
        usedShare:
          entry === undefined || source.length === 0
            ? 0
            : usedLengthOf(source.length, entry.functions) / source.length,
      };
    });
  } finally {
    await browser.close();
    await server.stop();
  }
}
