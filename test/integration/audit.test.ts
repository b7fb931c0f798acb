// The audit log (L-BREACH): every record sent to a device and every change it made, by whom and when,
// append-only even for the database owner; an administrator can list what a lost device held.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { pullResponseSchema, pushResponseSchema } from '../../src/protocol/sync';
import { jsonRequest, upsert, useKadiTestApp } from './helpers';

const env = useKadiTestApp();

async function login(username: string, deviceId: string) {
  const response = await env.app.request(
    '/api/v1/auth/login',
    jsonRequest({ username, password: 'correct-horse', deviceId, deviceName: 'audit' }),
  );
  return ((await response.json()) as { accessToken: string }).accessToken;
}

it('K-REL-b records what each device received and changed, and lists it for the admin', async () => {
  const repDevice = randomUUID();
  const rep = await login('kadi.rep1', repDevice);
  const beneficiaryId = randomUUID();
  const push = await env.app.request(
    '/api/v1/sync/push',
    jsonRequest(
      {
        clientId: randomUUID(),
        mutations: [
          upsert(1, 'beneficiary', beneficiaryId, {
            branchId: env.branch.b1,
            fullName: 'مريم',
            nationalId: '1000000008',
            mobile: '+966501234567',
          }),
        ],
      },
      rep,
    ),
  );
  const [result] = pushResponseSchema.parse(await push.json()).results;
  expect(result?.status).toBe('applied');

  // A colleague's tablet pulls the branch.
  const colleagueDevice = randomUUID();
  const colleague = await login('kadi.rep1b', colleagueDevice);
  const pulled = pullResponseSchema.parse(
    await (
      await env.app.request('/api/v1/sync/pull?cursor=&limit=5000', {
        headers: { Authorization: `Bearer ${colleague}` },
      })
    ).json(),
  );
  expect(pulled.changes.map((c) => c.recordId)).toContain(beneficiaryId);

  // Record by record (audit_trail: the log's rows and what the pull ranges sent), write first.
  const rows = await env.db.query<{ action: string; device_id: string; version: string | number }>(
    `SELECT action, device_id, version FROM audit_trail WHERE record_id = $1 ORDER BY action DESC`,
    [beneficiaryId],
  );
  const version = result?.status === 'applied' ? result.version : undefined;
  expect(rows.map((r) => [r.action, r.device_id, Number(r.version)])).toEqual([
    ['write', repDevice, version],
    ['pull', colleagueDevice, version],
  ]);
  // Every record the colleague's device was sent is on the record, from one row for the page.
  const logged = await env.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_trail WHERE device_id = $1 AND action = 'pull'`,
    [colleagueDevice],
  );
  expect(logged[0]?.n).toBe(pulled.changes.length);
  const ranges = await env.db.query<{ count: number }>('SELECT count FROM pull_ranges WHERE device_id = $1', [
    colleagueDevice,
  ]);
  expect(ranges).toEqual([{ count: pulled.changes.length }]);
  expect(
    await env.db.query(`SELECT 1 FROM audit_log WHERE device_id = $1 AND action = 'pull'`, [colleagueDevice]),
  ).toEqual([]);

  const admin = await login('kadi.admin', randomUUID());
  const listed = await env.app.request(`/api/v1/admin/devices/${colleagueDevice}/records`, {
    headers: { Authorization: `Bearer ${admin}` },
  });
  const { records } = (await listed.json()) as {
    records: { entity: string; recordId: string; actions: string[] }[];
  };
  expect(records).toContainEqual(
    expect.objectContaining({
      entity: 'beneficiary',
      recordId: beneficiaryId,
      actions: ['pull'],
      sensitive: false,
    }),
  );
  expect(records).toHaveLength(pulled.changes.length);
});

it('is append-only: no UPDATE, DELETE or TRUNCATE, even for the owner of the table', async () => {
  const changes = { audit_log: `action = 'write'`, pull_ranges: 'count = 1', record_versions: 'version = 0' };
  for (const [table, change] of Object.entries(changes)) {
    const before = await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    expect(before[0]?.n).toBeGreaterThan(0);
    await expect(env.db.query(`UPDATE ${table} SET ${change}`)).rejects.toThrow(/append-only/);
    await expect(env.db.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
    await expect(env.db.query(`TRUNCATE ${table}`)).rejects.toThrow(/append-only/);
    const after = await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    expect(after[0]?.n).toBe(before[0]?.n);
  }
});
