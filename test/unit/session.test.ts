// The session store: first login online, offline unlock with the password, the lock, wrong passwords,
// one refresh at a time, what ends a session, and the wipe of a revoked device.
import { describe, expect, it } from 'vitest';
import { createSessionStore, MAX_FAILED_UNLOCKS } from '../../src/state/session';
import { ApiError, kadiProfile, testSession } from './fakes';

const userId = kadiProfile.user.id;

describe('first login', () => {
  it('signs in with the server, creates the keys and keeps the session sealed in the user’s own database', async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'wasel-demo');
    expect(t.session.store.getState()).toMatchObject({
      status: 'signedIn',
      profile: kadiProfile,
      loginFailure: null,
    });
    expect(await t.session.store.getState().unlocked?.sessions.session()).toMatchObject({
      refreshToken: 'refresh-token-number-1',
    });
    // As stored: ciphertext, not the tokens.
    const raw = (await t.rawSession(userId)) as { iv: Uint8Array; ct: ArrayBuffer };
    expect(raw.iv.byteLength).toBe(12);
    expect(raw.ct.byteLength).toBeGreaterThan(100);
    expect(new TextDecoder().decode(new Uint8Array(raw.ct))).not.toContain('refresh-token');
    expect(await t.device.vaultOf('KADI.rep1 ')).toMatchObject({
      userId,
      username: 'kadi.rep1',
      failedUnlocks: 0,
    });
    expect(t.persisted()).toBe(1);
  });

  it('explains each kind of failure, and keeps nothing when the first login fails', async () => {
    const t = testSession();
    t.state.failLogin = new ApiError(401, 'invalid_credentials', 'Wrong username or password.');
    await t.session.login('kadi.rep1', 'nope');
    expect(t.session.store.getState().loginFailure).toEqual({
      kind: 'invalidCredentials',
      attemptsLeft: null,
    });

    // A username the server cannot read as one (too long, Arabic letters) is a wrong username to the user,
    // not an English message from the server.
    t.state.failLogin = new ApiError(400, 'invalid_request', 'The request is not valid.', undefined, {
      fields: [{ path: 'username', message: 'Invalid string' }],
    });
    await t.session.login('مستخدم', 'nope');
    expect(t.session.store.getState().loginFailure).toEqual({
      kind: 'invalidCredentials',
      attemptsLeft: null,
    });
    // Another field refused (the app's own, a client older than the server): said as it is.
    t.state.failLogin = new ApiError(400, 'invalid_request', 'The request is not valid.', undefined, {
      fields: [{ path: 'deviceName', message: 'Too big' }],
    });
    await t.session.login('kadi.rep1', 'nope');
    expect(t.session.store.getState().loginFailure).toMatchObject({ kind: 'other' });

    t.state.failLogin = new ApiError(429, 'too_many_attempts', 'later', 840);
    await t.session.login('kadi.rep1', 'nope');
    expect(t.session.store.getState().loginFailure).toEqual({
      kind: 'tooManyAttempts',
      retryAfterSeconds: 840,
    });

    t.state.failLogin = null;
    t.state.offline = true;
    await t.session.login('kadi.rep1', 'wasel-demo');
    expect(t.session.store.getState()).toMatchObject({
      status: 'loading',
      loginFailure: { kind: 'offline' },
      busy: false,
    });
    expect(await t.device.vaultOf('kadi.rep1')).toBeUndefined();
  });

  it('uses one device id for the installation, across logins', async () => {
    const t = testSession();
    const first = await t.device.deviceId();
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await t.device.deviceId()).toBe(first);
  });
});

describe('lock and offline unlock', () => {
  it('after a reload the app is locked; the password unlocks it offline, a wrong one does not', async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'wasel-demo');
    t.state.offline = true;
    // A new page load: a new store over the same databases, keys gone from memory.
    const reloaded = createSessionStore(t.deps);
    await reloaded.restore();
    expect(reloaded.store.getState()).toMatchObject({
      status: 'locked',
      unlocked: null,
      lockedUser: { userId, username: 'kadi.rep1', name: kadiProfile.user.name, passkey: false },
    });
    await reloaded.unlock('wasel-demo!');
    expect(reloaded.store.getState()).toMatchObject({
      status: 'locked',
      loginFailure: { kind: 'invalidCredentials', attemptsLeft: MAX_FAILED_UNLOCKS - 1 },
    });
    await reloaded.unlock('wasel-demo');
    expect(reloaded.store.getState()).toMatchObject({ status: 'signedIn', profile: kadiProfile });
    // The one sign-in, and the wrong password asked of the server too (it might be a reset one): refused.
    expect(t.calls.login).toBe(2);
    // The count of wrong passwords starts again after an unlock.
    expect((await t.device.vault(userId))?.failedUnlocks).toBe(0);
  });

  it('locking drops the keys; the same password opens the same data again', async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'wasel-demo');
    const first = t.session.store.getState().unlocked;
    await t.session.lock();
    expect(t.session.store.getState()).toMatchObject({ status: 'locked', unlocked: null, profile: null });
    await t.session.unlock('wasel-demo');
    const second = t.session.store.getState().unlocked;
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    expect((await second?.sessions.session())?.refreshToken).toBe('refresh-token-number-1');
  });

  it(`${MAX_FAILED_UNLOCKS} wrong passwords erase that user's data on the device, after warning`, async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'wasel-demo');
    await t.session.lock();
    const left: (number | null)[] = [];
    for (let i = 1; i < MAX_FAILED_UNLOCKS; i++) {
      await t.session.unlock(`guess-${i}`);
      const failure = t.session.store.getState().loginFailure;
      left.push(failure?.kind === 'invalidCredentials' ? failure.attemptsLeft : null);
    }
    expect(left).toEqual([4, 3, 2, 1]);
    expect(await t.databases()).toContain(`${t.deviceDb.name.replace('-device', '')}-u-${userId}`);
    await t.session.unlock('guess-last');
    expect(t.session.store.getState()).toMatchObject({
      status: 'signedOut',
      loginFailure: { kind: 'erased' },
    });
    expect(await t.databases()).not.toContain(`${t.deviceDb.name.replace('-device', '')}-u-${userId}`);
    expect(await t.device.vault(userId)).toBeUndefined();
  });

  it('two staff on one device: each has their own database and keys', async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'wasel-demo');
    const first = t.session.store.getState().unlocked;
    await first?.db.meta.put({ key: 'probe', value: 'rep1' });
    await t.session.lock();
    t.session.switchUser();
    const other = {
      ...kadiProfile,
      user: { ...kadiProfile.user, id: crypto.randomUUID(), username: 'kadi.rep1b' },
    };
    t.state.profile = other;
    await t.session.login('kadi.rep1b', 'other-password');
    const second = t.session.store.getState().unlocked;
    expect(second?.userId).toBe(other.user.id);
    expect(await second?.db.meta.get('probe')).toBeUndefined();
    // The first user's password does not open the second user's data.
    await t.session.lock();
    await t.session.unlock('wasel-demo');
    expect(t.session.store.getState().status).toBe('locked');
    await t.session.unlock('other-password');
    expect(t.session.store.getState().unlocked?.userId).toBe(other.user.id);
  });
});

describe('tokens', () => {
  it('refreshes an expired access token once, even when many callers ask at the same time', async () => {
    let now = Date.parse('2026-11-22T08:00:00Z');
    const t = testSession({ now: () => now });
    await t.session.login('kadi.rep1', 'wasel-demo');
    expect(await t.session.accessToken()).toBe('access-1');
    expect(t.calls.refresh).toBe(0);

    now += 15 * 60 * 1000;
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => t.session.accessToken()));
    expect(new Set(tokens)).toEqual(new Set(['access-2']));
    expect(t.calls.refresh).toBe(1);
    expect((await t.session.store.getState().unlocked?.sessions.session())?.refreshToken).toBe(
      'refresh-token-number-2',
    );
  });

  it('has no token while locked', async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'wasel-demo');
    await t.session.lock();
    await expect(t.session.accessToken()).rejects.toThrow(/Locked/);
  });

  it.each(['refresh_token_reused', 'session_revoked', 'invalid_refresh_token', 'account_disabled'])(
    'ends the session when the server answers %s, keeping the data sealed',
    async (code) => {
      let now = 0;
      const t = testSession({ now: () => now });
      await t.session.login('kadi.rep1', 'wasel-demo');
      now += 60 * 60 * 1000;
      t.state.failRefresh = new ApiError(401, code, 'no');
      await t.session.revalidate();
      expect(t.session.store.getState()).toMatchObject({
        status: 'signedOut',
        profile: null,
        unlocked: null,
      });
      expect(await t.rawSession(userId)).toBeUndefined();
      expect(await t.device.vault(userId)).toBeDefined();
      expect(t.wiped()).toBe(0);
    },
  );

  it('a revoked device erases everything at its next contact', async () => {
    let now = 0;
    const t = testSession({ now: () => now });
    await t.session.login('kadi.rep1', 'wasel-demo');
    now += 60 * 60 * 1000;
    t.state.failRefresh = new ApiError(401, 'device_revoked', 'revoked');
    await t.session.revalidate();
    expect(t.wiped()).toBe(1);
    expect(t.session.store.getState()).toMatchObject({ status: 'signedOut', unlocked: null, wiped: true });
    expect(await t.databases()).toEqual([]);
  });

  it('a sign-in the server refuses as device_revoked erases everything, also for a user with data here', async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'wasel-demo');
    await t.session.logout();
    // The data opens with the password, then the server is asked for a new session and refuses the device.
    t.state.failLogin = new ApiError(401, 'device_revoked', 'revoked');
    await t.session.login('kadi.rep1', 'wasel-demo');
    expect(t.session.store.getState()).toMatchObject({
      status: 'signedOut',
      unlocked: null,
      wiped: true,
      busy: false,
      loginFailure: { kind: 'deviceRevoked' },
    });
    expect(t.wiped()).toBe(1);
    expect(await t.databases()).toEqual([]);
  });

  it('keeps the session through network errors and server hiccups', async () => {
    let now = 0;
    const t = testSession({ now: () => now });
    await t.session.login('kadi.rep1', 'wasel-demo');
    now += 60 * 60 * 1000;
    t.state.failRefresh = new ApiError(503, 'http_error', 'busy');
    await t.session.revalidate();
    expect(t.session.store.getState().status).toBe('signedIn');
    t.state.failRefresh = null;
    t.state.offline = true;
    await t.session.revalidate();
    expect(t.session.store.getState().status).toBe('signedIn');
    expect(await t.rawSession(userId)).toBeDefined();
  });
});

describe('logout', () => {
  it('ends the session on the server and here; the data stays sealed, and the next sign-in needs the server', async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'wasel-demo');
    await t.session.store.getState().unlocked?.db.meta.put({ key: 'probe', value: 'kept' });
    await t.session.logout();
    expect(t.calls.logout).toBe(1);
    expect(t.session.store.getState()).toMatchObject({ status: 'signedOut', unlocked: null });
    expect(await t.rawSession(userId)).toBeUndefined();

    t.state.offline = true;
    await t.session.login('kadi.rep1', 'wasel-demo');
    expect(t.session.store.getState().loginFailure).toEqual({ kind: 'offline' });
    t.state.offline = false;
    await t.session.login('kadi.rep1', 'wasel-demo');
    expect(t.session.store.getState().status).toBe('signedIn');
    expect(await t.session.store.getState().unlocked?.db.meta.get('probe')).toEqual({
      key: 'probe',
      value: 'kept',
    });
    // The first sign-in, the attempt without a network, and this one.
    expect(t.calls.login).toBe(3);
  });
});

describe('a temporary password', () => {
  it('is changed before anything else, and the device keys then open with the new password only', async () => {
    const t = testSession();
    t.state.mustChangePassword = true;
    await t.session.login('kadi.rep1', 'temporary-1');
    expect(t.session.store.getState()).toMatchObject({ status: 'signedIn', mustChangePassword: true });
    await t.session.changePassword('temporary-1', 'my-own-password');
    expect(t.state.passwordChanges).toEqual([
      { currentPassword: 'temporary-1', newPassword: 'my-own-password' },
    ]);
    expect(t.session.store.getState().mustChangePassword).toBe(false);
    // Asked no more after a lock, and the data opens with the new password, not the temporary one.
    await t.session.lock();
    await t.session.unlock('temporary-1');
    expect(t.session.store.getState()).toMatchObject({
      status: 'locked',
      loginFailure: { kind: 'invalidCredentials' },
    });
    await t.session.unlock('my-own-password');
    expect(t.session.store.getState()).toMatchObject({ status: 'signedIn', mustChangePassword: false });
  });

  it('says plainly that the account was disabled', async () => {
    const t = testSession();
    t.state.failLogin = new ApiError(403, 'account_disabled', 'This account is disabled.');
    await t.session.login('kadi.rep1', 'wasel-demo');
    expect(t.session.store.getState().loginFailure).toEqual({ kind: 'accountDisabled' });
  });
});

describe('a password reset by the administrator', () => {
  it("the next online sign-in with the new password opens this device's data, unsent work included", async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'forgotten-password');
    const before = t.session.store.getState().unlocked;
    if (before === null) throw new Error('not signed in');
    // Work sealed on the device under the old keys.
    const sealed = await before.cipher.seal({ unsent: 'أسرة الشمري' }, 'probe');
    await t.session.lock();

    // The administrator resets the password: the server now accepts only the temporary one.
    t.state.passwords.set('kadi.rep1', 'temporary-from-admin');
    t.state.mustChangePassword = true;
    await t.session.unlock('temporary-from-admin');
    const after = t.session.store.getState();
    expect(after).toMatchObject({ status: 'signedIn', mustChangePassword: true, loginFailure: null });
    expect(await after.unlocked?.cipher.open(sealed, 'probe')).toEqual({ unsent: 'أسرة الشمري' });
    // The keys now open with the new password, offline too, and no longer with the forgotten one.
    await t.session.lock();
    t.state.offline = true;
    await t.session.unlock('forgotten-password');
    expect(t.session.store.getState().loginFailure).toMatchObject({ kind: 'invalidCredentials' });
    await t.session.unlock('temporary-from-admin');
    expect(t.session.store.getState().status).toBe('signedIn');
  });

  it('a password the server refuses counts as a wrong one, and offline nothing is recovered', async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'the-password');
    await t.session.lock();
    t.state.failLogin = new ApiError(401, 'invalid_credentials', 'Wrong username or password.');
    await t.session.unlock('a-guess');
    expect(t.session.store.getState().loginFailure).toEqual({
      kind: 'invalidCredentials',
      attemptsLeft: MAX_FAILED_UNLOCKS - 1,
    });
    t.state.failLogin = null;
    t.state.offline = true;
    await t.session.unlock('another-guess');
    expect(t.session.store.getState().loginFailure).toEqual({
      kind: 'invalidCredentials',
      attemptsLeft: MAX_FAILED_UNLOCKS - 2,
    });
    expect(t.session.store.getState().status).toBe('locked');
  });
});

describe('recovery cannot be turned into free guesses', () => {
  it.each([
    ['throttled', new ApiError(429, 'too_many_attempts', 'later', 900)],
    ['a server error', new ApiError(500, 'internal_error', 'boom')],
    ['the account disabled', new ApiError(403, 'account_disabled', 'disabled')],
  ])('a wrong password while the server is %s still counts as wrong', async (_what, failure) => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'the-password');
    await t.session.lock();
    t.state.failLogin = failure;
    await t.session.unlock('a-guess');
    expect(t.session.store.getState()).toMatchObject({
      status: 'locked',
      loginFailure: { kind: 'invalidCredentials', attemptsLeft: MAX_FAILED_UNLOCKS - 1 },
    });
  });
});
