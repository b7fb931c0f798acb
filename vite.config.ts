// Build of the PWA (Preact app + service worker from sw/) and the Vitest projects.
import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { precompress } from './server/http/precompress.ts';

/** Brotli and gzip copies of the hashed assets, beside them in dist/assets, for the server to send. */
function precompressAssets(): Plugin {
  let outDir = 'dist';
  return {
    name: 'wasel-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await precompress(join(outDir, 'assets'));
    },
  };
}

/** Shown in the app's footer so support can tell which build a device runs. */
const buildId = process.env.WASEL_BUILD_ID ?? 'local';

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    __BUILD_ID__: JSON.stringify(buildId),
  },
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      injectRegister: false,
      // The manifest is hand-written in public/ so that it is reviewed like code.
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,woff2,png,svg,webmanifest}'],
        // Only the Arabic and Latin subsets of the font are used by the UI.
        globIgnores: ['**/*-ext-*.woff2'],
      },
      devOptions: { enabled: false },
    }),
    precompressAssets(),
  ],
  build: {
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
  test: {
    // Vitest's default leaves one core to its main thread (one worker on a 2-core machine); the main thread
    // is mostly idle while tests run, and two workers there took the unit and server suites from 199 s to
    // 142 s. Server test files share nothing (a PGlite, or a PostgreSQL schema, of their own).
    maxWorkers: '100%',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['test/unit/setup.ts'],
          // Type-aware ESLint in lint-rules.test.ts needs seconds to start on a busy 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // Several server processes on one PostgreSQL behind nginx: run by `npm run test:pg`.
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          // Each file starts its own server (a free port, a data folder of its own) and browser, so files run
          // side by side; start.e2e.test.ts alone takes port 8080, as `npm start` does.
          maxWorkers: 2,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
