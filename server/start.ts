// `npm start`: builds the PWA when its sources are newer than the build, then runs the backend in demo
// mode (unless WASEL_DEMO is set otherwise) so a fresh checkout is usable with one command.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from './process';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = ['src', 'sw', 'public', 'index.html', 'vite.config.ts', 'package-lock.json'];

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function buildIfNeeded() {
  const built = statSync(join(root, 'dist', 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const newest = Math.max(...sources.map((s) => newestMtime(join(root, s))));
  if (built >= newest) return;
  console.log(built === 0 ? 'Building the app…' : 'Sources changed since the last build: rebuilding…');
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('The build failed.');
}

try {
  if (process.env.WASEL_STATIC_DIR === undefined) buildIfNeeded();
  await runProcess({ WASEL_DEMO: '1', ...process.env });
} catch (error: unknown) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
