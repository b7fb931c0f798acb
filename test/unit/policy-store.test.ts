// The association's profile on the device (state/policy.ts): kept sealed for offline use, replaced by a
// newer version, and earlier versions kept for the requests opened under them.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createCipher, randomKeys } from '../../src/db/vault';
import { profileOf } from '../../src/domain/profiles/associations';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import { createPolicy, keepProfile } from '../../src/state/policy';

const kadi = (): PolicyProfile => {
  const profile = profileOf('kadi');
  if (profile === undefined) throw new Error('no kadi seed');
  return profile;
};
let n = 0;

async function setup(server: { version: number; profile: PolicyProfile }[]) {
  const db = new WaselDb(`policy-test-${String(++n)}`);
  const cipher = createCipher(await randomKeys());
  const asked: (number | undefined)[] = [];
  let online = true;
  const policy = createPolicy({
    db,
    cipher,
    fetch: (version) => {
      asked.push(version);
      if (!online) return Promise.reject(new Error('offline'));
      const found = version === undefined ? server.at(-1) : server.find((v) => v.version === version);
      return found === undefined ? Promise.reject(new Error('404')) : Promise.resolve(found);
    },
  });
  return { db, cipher, policy, asked, setOnline: (value: boolean) => (online = value) };
}

describe('the profile on the device', () => {
  it('keeps the sign-in profile sealed, and reads it back offline without asking the server', async () => {
    const v1 = kadi();
    const { db, cipher, policy, asked, setOnline } = await setup([{ version: 1, profile: v1 }]);
    await keepProfile(db, cipher, { version: 1, profile: v1 });
    const raw = await db.meta.get('policy');
    expect(JSON.stringify(raw)).not.toContain('صرف مساعدة');
    setOnline(false);
    await policy.load();
    expect(policy.store.getState().current?.version).toBe(1);
    expect(asked).toEqual([]);
  });

  it('a newer version replaces it at refresh; the one replaced is kept for the requests opened under it', async () => {
    const v1 = kadi();
    const v2: PolicyProfile = { ...v1, declaration: { ar: 'إقرار جديد', en: 'A new declaration' } };
    const server = [{ version: 1, profile: v1 }];
    const { policy, asked } = await setup(server);
    await policy.load();
    server.push({ version: 2, profile: v2 });
    await policy.refresh();
    expect(policy.store.getState().current?.version).toBe(2);
    expect(await policy.ofVersion(1)).toEqual(v1);
    expect(await policy.ofVersion(2)).toEqual(v2);
    // Version 1 was kept when 2 arrived: not fetched again.
    expect(asked).toEqual([undefined, undefined]);
  });

  it('an older answer never replaces a newer profile, and an unknown version is fetched once and kept', async () => {
    const v1 = kadi();
    const v3: PolicyProfile = {
      ...v1,
      deadlineRule: { kind: 'dueWithin', workingDays: 10, from: 'completion' },
    };
    const server = [
      { version: 1, profile: v1 },
      { version: 3, profile: v3 },
    ];
    const { db, cipher, policy, asked } = await setup(server);
    await policy.load();
    await keepProfile(db, cipher, { version: 1, profile: v1 });
    await policy.load();
    expect(policy.store.getState().current?.version).toBe(3);
    expect((await policy.ofVersion(1))?.deadlineRule).toEqual(v1.deadlineRule);
    await policy.ofVersion(1);
    expect(asked.filter((v) => v === 1)).toHaveLength(1);
  });
});
