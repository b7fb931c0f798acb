// The first screen without the database code (issue 21): the last user read with IndexedDB alone, and the
// stand-ins that load the device repository and the API client at their first call.
import { Dexie } from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import { DeviceDb } from '../../src/db/database';
import { peekLastUser } from '../../src/db/device-peek';
import { createDeviceRepository, type DeviceRepository } from '../../src/db/meta-repository';
import { createAppState } from '../../src/state/app-state';
import { lazyApiClient, lazyDeviceRepository, loadOnce } from '../../src/state/lazy-deps';
import { fakeApi, kadiProfile, TEST_KDF_ITERATIONS, workspaceOf } from './fakes';

let n = 0;
const freshName = () => `wasel-first-screen-${String((n += 1))}-device`;

describe('the last user, read without Dexie', () => {
  it('is none on a new device, and leaves no database behind', async () => {
    const name = freshName();
    expect(await peekLastUser(indexedDB, name)).toBeUndefined();
    expect(await Dexie.getDatabaseNames()).not.toContain(name);
    // Dexie then creates the database at its own version, as if nothing had been there.
    const db = new DeviceDb(name);
    await createDeviceRepository(db, () => crypto.randomUUID()).setLastUser('u-1');
    expect(db.verno).toBe(1);
    db.close();
  });

  it('is what the repository wrote last, and none for a value that is not a user id', async () => {
    const name = freshName();
    const db = new DeviceDb(name);
    const device = createDeviceRepository(db, () => crypto.randomUUID());
    await device.setLastUser('u-1');
    expect(await peekLastUser(indexedDB, name)).toBe('u-1');
    await device.setLastUser(null);
    expect(await peekLastUser(indexedDB, name)).toBeUndefined();
    await db.meta.put({ key: 'lastUser', value: 42 });
    expect(await peekLastUser(indexedDB, name)).toBeUndefined();
    db.close();
  });
});

describe('the stand-ins', () => {
  it('the device repository loads at its first use; until then the last user is peeked', async () => {
    const db = new DeviceDb(freshName());
    const real = createDeviceRepository(db, () => crypto.randomUUID());
    const load = vi.fn(() => Promise.resolve<DeviceRepository>(real));
    const peek = vi.fn(() => Promise.resolve<string | undefined>('peeked'));
    const device = lazyDeviceRepository(load, peek);
    expect(await device.lastUser()).toBe('peeked');
    expect(load).not.toHaveBeenCalled();
    await device.setLastUser('u-2');
    expect(await device.lastUser()).toBe('u-2');
    expect(await device.deviceId()).toBe(await real.deviceId());
    expect(load).toHaveBeenCalledTimes(1);
    expect(peek).toHaveBeenCalledTimes(1);
    db.close();
  });

  it('a load that failed (the code not fetched) is tried again at the next call', async () => {
    let calls = 0;
    const load = loadOnce(() => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('offline')) : Promise.resolve(calls);
    });
    await expect(load()).rejects.toThrow('offline');
    expect(await load()).toBe(2);
    expect(await load()).toBe(2);
    expect(calls).toBe(2);
  });

  it('the API client loads once and answers as the client itself', async () => {
    const fake = fakeApi();
    const load = vi.fn(() => Promise.resolve(fake.api));
    const api = lazyApiClient(load);
    expect(load).not.toHaveBeenCalled();
    expect((await api.health()).demo).toBe(true);
    expect((await api.me('token')).user.id).toBe(kadiProfile.user.id);
    expect(load).toHaveBeenCalledTimes(1);
  });
});

it('the app opens on the sign-in form on a new device, and on the lock screen once someone signed in', async () => {
  const deviceDbName = freshName();
  const app = () =>
    createAppState({
      win: window,
      api: fakeApi().api,
      deviceDbName,
      userDbName: (userId) => `${deviceDbName}-u-${userId}`,
      kdfIterations: TEST_KDF_ITERATIONS,
    });
  const first = app();
  await first.session.restore();
  expect(first.session.store.getState().status).toBe('signedOut');
  await first.session.login('kadi.rep1', 'wasel-demo');
  expect(first.session.store.getState().status).toBe('signedIn');
  // Its code loaded before the lock (as a user would see it), not after the test.
  await workspaceOf(first);
  await first.session.lock();
  // A new page load: the lock screen, for the last user (read by the start-up peek) and their vault.
  const reloaded = app();
  await reloaded.session.restore();
  expect(reloaded.session.store.getState()).toMatchObject({
    status: 'locked',
    lockedUser: { userId: kadiProfile.user.id, username: 'kadi.rep1' },
  });
});
