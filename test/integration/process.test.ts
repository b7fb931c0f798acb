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
    // A metrics token short enough to guess is refused; draining is 0 to 300 seconds.
    expect(() => loadConfig({ WASEL_METRICS_TOKEN: 'short' })).toThrow(/WASEL_METRICS_TOKEN/);
    expect(() => loadConfig({ WASEL_DRAIN_SECONDS: '900' })).toThrow(/WASEL_DRAIN_SECONDS/);
    expect(loadConfig({}).drainSeconds).toBe(0);
  });
});

describe('server process', () => {
  it('starts, serves health, drains on SIGTERM (ready 503, still answering), then exits 0 after closing the database', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasel-proc-'));
    const token = 'metrics-token-0123456789';
    const { child, port, output } = await startServerProcess({
      DATA_DIR: dataDir,
      WASEL_DEMO: '0',
      WASEL_DRAIN_SECONDS: '2',
      WASEL_METRICS_TOKEN: token,
    });
    const base = `http://127.0.0.1:${String(port)}`;
    let out = output();
    const lines = out.trim().split('\n');
    // Structured logs: every line is a JSON object with a level and a message.
    for (const line of lines)
      expect(JSON.parse(line)).toMatchObject({ service: 'wasel', msg: expect.any(String) });

    const health = await fetch(`${base}/api/v1/health`, { headers: { 'X-Request-Id': 'probe-42' } });
    expect(await health.json()).toMatchObject({ status: 'ok', demo: false });
    expect(health.headers.get('X-Request-Id')).toBe('probe-42');
    expect((await fetch(`${base}/api/v1/ready`)).status).toBe(200);
    const metrics = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('wasel_draining 0');

    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    // Draining: readiness turns 503 at once, while the instance still answers everything else.
    let ready = 200;
    while (ready === 200) ready = (await fetch(`${base}/api/v1/ready`)).status;
    expect(ready).toBe(503);
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);
    expect(await exit).toBe(0);
    out = output();
    // The request's log line carries the id the caller sent.
    expect(out).toMatch(/"reqId":"probe-42"[^\n]*"path":"\/api\/v1\/health"/);
    expect(out).toContain('"msg":"shutting down"');
    expect(out).toContain('"msg":"draining: readiness now answers 503"');
    expect(out).toContain('"msg":"stopped"');
    await rm(dataDir, { recursive: true, force: true });
  });
});
