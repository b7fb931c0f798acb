// The sign-in page as a phone first receives it, the way Lighthouse looks at it: each script's bytes as
// sent over the network (compressed, by the server's content negotiation) and how much of its code the page
// runs before anyone types (V8's block coverage in Chromium).
import { launchChromium, startServer } from '../e2e/harness';

export interface FirstScreenScript {
  path: string;
  /** Bytes as sent (the response body on the wire), and how they were encoded. */
  sentBytes: number;
  encoding: string;
  /** The share of the file's code (in characters) that ran by the time the sign-in form was shown. */
  usedShare: number;
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

export async function firstScreenFigures(paths: readonly string[]): Promise<FirstScreenScript[]> {
  const [server, browser] = await Promise.all([startServer({ demo: true }), launchChromium()]);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const sent: Promise<{ path: string; bytes: number; encoding: string }>[] = [];
    page.on('requestfinished', (request) => {
      const path = new URL(request.url()).pathname;
      if (!paths.includes(path)) return;
      sent.push(
        Promise.all([request.sizes(), request.response()]).then(async ([sizes, response]) => ({
          path,
          bytes: sizes.responseBodySize,
          encoding: (await response?.allHeaders())?.['content-encoding'] ?? 'identity',
        })),
      );
    });
    await page.coverage.startJSCoverage({ resetOnNavigation: false });
    await page.goto(server.url);
    // Module scripts are all in before the load event; the form is the first screen shown.
    await page.waitForLoadState('load');
    await page.waitForSelector('input[name=password]');
    const coverage = await page.coverage.stopJSCoverage();
    const sizes = await Promise.all(sent);
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
