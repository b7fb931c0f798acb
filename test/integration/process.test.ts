// The backend as a real process: configuration defaults, start, and graceful shutdown on SIGTERM.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { TLSSocket } from 'node:tls';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { startServerProcess, useProcessDatabase } from './helpers';
import { tlsEnv, tlsFiles } from '../tls';

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
    // HTTPS takes a certificate and its key together; the proxy is trusted only when said.
    expect(() => loadConfig({ WASEL_TLS_CERT: '/etc/wasel/cert.pem' })).toThrow(/WASEL_TLS_KEY/);
    expect(loadConfig({ WASEL_TLS_CERT: '/c.pem', WASEL_TLS_KEY: '/k.pem' }).tls).toEqual({
      certFile: '/c.pem',
      keyFile: '/k.pem',
    });
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ WASEL_TRUST_PROXY: '1' }).trustProxy).toBe(true);
  });
});

describe('server process', () => {
  // On PostgreSQL, a schema of this file's own: never the database's shared default one.
  const database = useProcessDatabase();
  it('speaks HTTPS itself when given a certificate and its key, and nothing else on that port', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasel-tls-'));
    const { child, port, output } = await startServerProcess({
      DATA_DIR: dataDir,
      WASEL_DEMO: '0',
      ...database(),
      ...tlsEnv,
    });
    try {
      expect(output()).toContain('"https":true');
      const answer = await new Promise<{ status: number; body: string; protocol: string }>(
        (resolve, reject) => {
          const request = httpsGet(
            { host: '127.0.0.1', port, path: '/api/v1/health', ca: readFileSync(tlsFiles.ca) },
            (response) => {
              const { socket } = response;
              const protocol = socket instanceof TLSSocket ? (socket.getProtocol() ?? '') : '';
              let body = '';
              response.on('data', (d: Buffer) => (body += d.toString()));
              response.on('end', () => {
                resolve({ status: response.statusCode ?? 0, body, protocol });
              });
            },
          );
          request.on('error', reject);
        },
      );
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok' });
      expect(answer.protocol).toMatch(/^TLSv1\.[23]$/);
      // Plain HTTP on the same port gets no answer from the app.
      await expect(fetch(`http://127.0.0.1:${String(port)}/api/v1/health`)).rejects.toThrow();
    } finally {
      // A connection still before its handshake does not hold the shutdown (else: exit 1 after the grace).
      const silent = await openSilentConnection(port);
      const exit = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      silent.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('starts, serves health, drains on SIGTERM (ready 503, still answering), then exits 0 after closing the database', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasel-proc-'));
    const token = 'metrics-token-0123456789';
    const { child, port, output } = await startServerProcess({
      DATA_DIR: dataDir,
      WASEL_DEMO: '0',
      ...database(),
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
    // A device keeps its connection between syncs: the server says for how long (server.ts, KEEP_ALIVE_MS).
    const keepAlive = await new Promise<string | string[] | undefined>((resolve, reject) => {
      httpGet(`${base}/api/v1/health`, { headers: { Connection: 'keep-alive' } }, (res) => {
        res.resume();
        resolve(res.headers['keep-alive']);
      }).on('error', reject);
    });
    expect(keepAlive).toBe('timeout=65');
    expect((await fetch(`${base}/api/v1/ready`)).status).toBe(200);
    const metrics = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('wasel_draining 0');

    // A browser opens connections ahead of its requests: one on which nothing is ever sent does not hold
    // the shutdown (Node does not count it idle; the process would exit 1 after its grace period).
    const silent = await openSilentConnection(port);
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // A device that goes on sending on its kept-alive connection (kept 65 s) while the server drains and
    // closes: the server still closes within its grace period (else it would exit 1).
    const agent = new Agent({ keepAlive: true });
    const still = { sending: true };
    const device = (async () => {
      while (still.sending) {
        const answered = await new Promise<boolean>((resolve) => {
          httpGet(`${base}/api/v1/health`, { agent }, (res) => {
            res.resume();
            res.on('end', () => {
              resolve(true);
            });
          }).on('error', () => {
            resolve(false);
          });
        });
        if (!answered) break;
      }
    })();
    child.kill('SIGTERM');
    // Draining: readiness turns 503 at once, while the instance still answers everything else.
    let ready = 200;
    while (ready === 200) ready = (await fetch(`${base}/api/v1/ready`)).status;
    expect(ready).toBe(503);
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);
    expect(await exit).toBe(0);
    silent.destroy();
    still.sending = false;
    await device;
    agent.destroy();
    out = output();
    // The request's log line carries the id the caller sent.
    expect(out).toMatch(/"reqId":"probe-42"[^\n]*"path":"\/api\/v1\/health"/);
    expect(out).toContain('"msg":"shutting down"');
    expect(out).toContain('"msg":"draining: readiness now answers 503"');
    expect(out).toContain('"msg":"stopped"');
    await rm(dataDir, { recursive: true, force: true });
  });
});

/** A TCP connection on which nothing is sent. */
function openSilentConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      resolve(socket);
    });
    socket.on('error', reject);
  });
}
