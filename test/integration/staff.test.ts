// Staff sign-off on the server (K-RESP, K-REL-d): the administrator sees every member of staff with when
// they signed the current policy version; an acknowledgement of another version, or signed for someone
// else, does not count.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STAFF_PATH, staffResponseSchema } from '../../src/protocol/admin';
import { meResponseSchema } from '../../src/protocol/auth';
import { bearer, upsert, useKadiTestApp } from './helpers';

const env = useKadiTestApp();
const { push } = env;

async function idOf(username: string) {
  const me = await env.app.request('/api/v1/me', bearer(await env.tokenOf(username)));
  return meResponseSchema.parse(await me.json()).user.id;
}

const acknowledgement = (userId: string, policyVersion: string) => ({
  userId,
  policyVersion,
  signedAt: '2026-11-22T09:00:00.000Z',
  signatureHash: 'c'.repeat(64),
});

describe('staff sign-off (K-RESP, K-REL-d)', () => {
  it('K-RESP K-REL-d the administrator sees who signed the current version and who has not', async () => {
    const rep = await idOf('kadi.rep1');
    const researcher = await idOf('kadi.researcher');
    expect(
      await push('kadi.rep1', [
        upsert(1, 'policy_acknowledgement', randomUUID(), acknowledgement(rep, '1')),
        // Signed for someone else: refused.
        upsert(2, 'policy_acknowledgement', randomUUID(), acknowledgement(researcher, '1')),
      ]),
    ).toEqual(['applied', 'rejected forbidden']);
    // An older version's signature does not count for the current one.
    expect(
      await push('kadi.researcher', [
        upsert(1, 'policy_acknowledgement', randomUUID(), acknowledgement(researcher, '0')),
      ]),
    ).toEqual(['applied']);

    const response = await env.app.request(STAFF_PATH, bearer(await env.tokenOf('kadi.admin')));
    expect(response.status).toBe(200);
    const staff = staffResponseSchema.parse(await response.json());
    expect(staff).toMatchObject({ policyVersion: '1', signOffRequired: true });
    const signed = Object.fromEntries(staff.staff.map((s) => [s.username, s.signedAt]));
    expect(signed['kadi.rep1']).toBe('2026-11-22T09:00:00.000Z');
    expect(signed['kadi.researcher']).toBeNull();
    expect(signed['kadi.supervisor']).toBeNull();
    // Those who have not signed come first: they are who the administrator follows up.
    expect(staff.staff.at(-1)?.username).toBe('kadi.rep1');
    // Only Kadi's staff.
    expect(staff.staff.every((s) => s.username.startsWith('kadi.'))).toBe(true);
  });

  it('is the administrator’s: supervisors and field roles are refused', async () => {
    for (const username of ['kadi.supervisor', 'kadi.rep1', 'kadi.committee'])
      expect((await env.app.request(STAFF_PATH, bearer(await env.tokenOf(username)))).status, username).toBe(
        403,
      );
  });
});
