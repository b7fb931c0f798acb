// A beneficiary's e-mail (optional; offered first when e-mail is their agreed channel) is checked by the same
// schema on the server as on the device: a modified client that sends a malformed or overlong address is
// refused with the field named, and nothing is kept. Runs on PGlite (npm test) and PostgreSQL (test:pg).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pushResponseSchema } from '../../src/protocol/sync';
import { jsonRequest, upsert, useKadiTestApp } from './helpers';

const env = useKadiTestApp();

const person = (email: unknown) => ({
  branchId: env.branch.b1,
  fullName: 'سلمى خالد العتيبي',
  nationalId: '1000000008',
  mobile: '+966551000009',
  email,
});

/** Pushes one new beneficiary with this e-mail as kadi.rep1; the result, and what the server keeps. */
async function register(email: unknown) {
  const recordId = randomUUID();
  const response = await env.app.request(
    '/api/v1/sync/push',
    jsonRequest(
      { clientId: randomUUID(), mutations: [upsert(1, 'beneficiary', recordId, person(email))] },
      await env.tokenOf('kadi.rep1'),
    ),
  );
  expect(response.status).toBe(200);
  const [result] = pushResponseSchema.parse(await response.json()).results;
  const kept = await env.db.query<{ data: Record<string, unknown> }>(
    'SELECT data FROM records WHERE record_id = $1',
    [recordId],
  );
  return { result, kept: kept[0]?.data };
}

describe('a beneficiary’s e-mail, as the server checks it', () => {
  it('a malformed or overlong address is refused with the field named, and nothing is kept', async () => {
    for (const email of [
      'not-an-address',
      'two@@example.sa',
      'space in@example.sa',
      `${'a'.repeat(250)}@x.sa`,
    ]) {
      const { result, kept } = await register(email);
      expect(result?.status, email).toBe('rejected');
      if (result?.status !== 'rejected') continue;
      expect(result.error.code).toBe('validation_failed');
      expect(result.error.fields.map((f) => f.path)).toContain('email');
      expect(kept).toBeUndefined();
    }
  });

  it('a well-formed address, or none, is kept as sent', async () => {
    const given = await register('salma@example.sa');
    expect(given.result?.status).toBe('applied');
    expect(given.kept?.email).toBe('salma@example.sa');
    const none = await register(null);
    expect(none.result?.status).toBe('applied');
    expect(none.kept?.email).toBeNull();
  });
});
