// Serves the built PWA: hashed assets cached for a year, everything else revalidated on each use, and
// the app shell for client-side routes. /api/* is never answered with the shell.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Env, Hono } from 'hono';
import type { Logger } from '../log';
import { COMPRESSIBLE } from './precompress';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** Vite puts content-hashed files under /assets/; nothing else has a hash in its name. */
export function cacheControlFor(path: string): string {
  return path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE;
}

export function mountStatic<E extends Env>(app: Hono<E>, staticDir: string, log: Logger) {
  // @hono/node-server resolves `root` against the working directory.
  const root = relative(process.cwd(), staticDir) || '.';
  app.use('*', async (c, next) => {
    await next();
    if (c.res.status === 200 && !c.req.path.startsWith('/api/')) {
      c.header('Cache-Control', cacheControlFor(c.req.path));
      // Whichever copy went (brotli, gzip or none), a shared cache keeps one per encoding accepted.
      if (COMPRESSIBLE.test(c.req.path) && !(c.res.headers.get('Vary') ?? '').includes('Accept-Encoding'))
        c.header('Vary', 'Accept-Encoding', { append: true });
    }
  });
  // The build made brotli and gzip copies of the assets (precompress.ts): the one the browser accepts goes.
  if (existsSync(staticDir)) app.use('*', serveStatic({ root, precompressed: true }));
  else log.warn({ staticDir }, 'no built app to serve: run `npm run build`');
  // Client-side routes (no file extension) get the app shell; a missing file stays a 404.
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/api/') || /\.[a-z0-9]+$/i.test(c.req.path)) return next();
    let html: string;
    try {
      html = await readFile(join(staticDir, 'index.html'), 'utf8');
    } catch {
      return c.text('The app is not built: run `npm run build`.', 503);
    }
    return c.html(html);
  });
}
