// Staff sign-off on the device (src/state/sign-off.ts; K-RESP, K-REL-d): one acknowledgement per user and
// policy version, with the SHA-256 of the signature drawn; another version asks again.
import { describe, expect, it } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createRecordsRepository } from '../../src/db/records-repository';
import { createCipher, randomKeys } from '../../src/db/vault';
import { signedAt, signPolicy } from '../../src/state/sign-off';

describe('staff sign-off (K-RESP)', () => {
  it('K-RESP K-REL-d signs a version once, with the hash of the signature; a new version is unsigned', async () => {
    const now = Date.parse('2026-11-22T09:00:00Z');
    const records = createRecordsRepository(
      new WaselDb(`sign-off-${crypto.randomUUID()}`),
      createCipher(await randomKeys()),
      { newId: () => crypto.randomUUID(), now: () => now },
    );
    const me = crypto.randomUUID();
    const colleague = crypto.randomUUID();
    expect(await signedAt(records, me, '1')).toBeNull();
    const signature = new TextEncoder().encode('a drawn signature').buffer;
    await signPolicy(
      records,
      { userId: me, version: '1', signature },
      { now: () => now, newId: () => crypto.randomUUID() },
    );
    expect(await signedAt(records, me, '1')).toBe('2026-11-22T09:00:00.000Z');
    expect(await signedAt(records, colleague, '1')).toBeNull();
    expect(await signedAt(records, me, '2')).toBeNull();
    const [saved] = (await records.list('policy_acknowledgement')).map((r) => r.data);
    // SHA-256 of "a drawn signature".
    expect(saved?.signatureHash).toBe('c0c3ac56feba1e9f77d49c847105d436907b45b7c215a8e8114eb7a1aca75bf3');
    expect(saved).toMatchObject({ userId: me, policyVersion: '1' });
  });
});
