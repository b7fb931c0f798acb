// `npm run bench [-- --quick]`: measures what the foundation promises and prints one table.
//  - JavaScript needed for the first screen, gzip (the entry script and its modulepreloads).
//  - Time to show the app shell on an offline reload in Chromium (median of several runs, min–max).
// Figures are printed and written to test/bench/results/latest.json; only the size budget, which is
// deterministic, can fail the run. Timings are reported, never asserted.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { distDir, launchChromium, root, signIn, startServer, waitForControl } from '../e2e/harness';

const FIRST_SCREEN_BUDGET_KB = 60;
const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 9;

interface Row {
  name: string;
  value: string;
  detail: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function ensureBuild() {
  if (existsSync(join(distDir, 'index.html'))) return;
  console.log('No build found: running vite build…');
  const result = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('build failed');
}

/** The scripts the browser must fetch before the first screen: the entry and what it preloads. */
function firstScreenScripts(): string[] {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)].map((m) => m[1] ?? '');
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map(
    (m) => m[1] ?? '',
  );
  return [...new Set([...entries, ...preloads])];
}

async function offlineReloadTimes(): Promise<number[]> {
  const [server, browser] = await Promise.all([startServer({ demo: true }), launchChromium()]);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForControl(page);
    await signIn(page, 'kadi.rep1');
    await context.setOffline(true);
    const times: number[] = [];
    // One warm-up reload, not counted.
    for (let i = 0; i <= runs; i++) {
      await page.reload();
      await page.waitForSelector('[data-testid=sections]');
      const ms = await page.evaluate(
        () => performance.getEntriesByName('wasel:shell-rendered')[0]?.startTime ?? NaN,
      );
      if (i > 0) times.push(ms);
    }
    return times;
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function main() {
  ensureBuild();
  const rows: Row[] = [];

  const scripts = firstScreenScripts();
  const gzipBytes = scripts.reduce((sum, src) => sum + gzipSync(readFileSync(join(distDir, src))).length, 0);
  const gzipKb = gzipBytes / 1024;
  rows.push({
    name: 'First-screen JavaScript (gzip)',
    value: `${gzipKb.toFixed(1)} KB`,
    detail: `budget ${FIRST_SCREEN_BUDGET_KB} KB: ${gzipKb <= FIRST_SCREEN_BUDGET_KB ? 'within' : 'OVER'}; ${scripts.length} file(s)`,
  });

  const times = await offlineReloadTimes();
  rows.push({
    name: 'Offline reload to app shell (Chromium)',
    value: `${median(times).toFixed(0)} ms`,
    detail: `median of ${times.length}, min–max ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms, no throttling`,
  });

  const chromiumVersion = spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout.trim();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${chromiumVersion}`;

  const width = Math.max(...rows.map((r) => r.name.length));
  const lines = [
    `Wasel benchmarks${quick ? ' (quick)' : ''} — ${new Date().toISOString()}`,
    `Machine: ${machine}`,
    '',
    ...rows.map((r) => `${r.name.padEnd(width)}  ${r.value.padStart(9)}  ${r.detail}`),
  ];
  console.log(lines.join('\n'));

  await mkdir(join(root, 'test/bench/results'), { recursive: true });
  const file = quick ? 'quick.tmp.json' : 'latest.json';
  await writeFile(
    join(root, 'test/bench/results', file),
    `${JSON.stringify({ at: new Date().toISOString(), quick, machine, rows, samples: { offlineReloadMs: times, firstScreenScripts: scripts, firstScreenGzipBytes: gzipBytes } }, null, 2)}\n`,
  );

  if (gzipKb > FIRST_SCREEN_BUDGET_KB) {
    console.error(`First-screen JavaScript is over its ${FIRST_SCREEN_BUDGET_KB} KB budget.`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
