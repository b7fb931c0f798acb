// The backend as a real process: configuration defaults, start, and graceful shutdown on SIGTERM.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { startServerProcess } from './helpers';

describe('configuration', () => {
  it('defaults to port 8080, ./data, PGlite, no demo', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, dataDir: './data', databaseUrl: undefined, demo: false });
  });

  it('reads every variable and refuses invalid ones with a clear message', () => {
    const config = loadConfig({
      PORT: '9000',
      DATA_DIR: '/var/lib/wasel',
      DATABASE_URL: 'postgres://u:p@localhost/wasel',
      WASEL_SECRET: 's'.repeat(40),
      WASEL_DEMO: '1',
    });
    expect(config).toMatchObject({
      port: 9000,
      dataDir: '/var/lib/wasel',
      demo: true,
      secret: 's'.repeat(40),
    });
    expect(config.databaseUrl).toBe('postgres://u:p@localhost/wasel');
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ WASEL_DEMO: 'maybe' })).toThrow(/WASEL_DEMO/);
  });
});

describe('server process', () => {
  it('starts, serves health, and exits 0 on SIGTERM after closing the database', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasel-proc-'));
    const { child, port, output } = await startServerProcess({ DATA_DIR: dataDir, WASEL_DEMO: '0' });
    let out = output();
    const lines = out.trim().split('\n');
    // Structured logs: every line is a JSON object with a level and a message.
    for (const line of lines)
      expect(JSON.parse(line)).toMatchObject({ service: 'wasel', msg: expect.any(String) });

    const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', demo: false });

    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    out = output();
    expect(out).toContain('"msg":"shutting down"');
    expect(out).toContain('"msg":"stopped"');
    await rm(dataDir, { recursive: true, force: true });
  });
});
