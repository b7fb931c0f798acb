// The session store: login, offline restore, one refresh at a time, and what ends a session.
import { describe, expect, it } from 'vitest';
import { ApiError, kadiProfile, testSession } from './fakes';

describe('login', () => {
  it('stores the session and shows the profile', async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'wasel-demo');
    expect(t.session.store.getState()).toMatchObject({
      status: 'signedIn',
      profile: kadiProfile,
      loginFailure: null,
    });
    expect((await t.meta.session())?.refreshToken).toBe('refresh-token-number-1');
    expect(t.persisted()).toBe(1);
  });

  it('explains each kind of failure, and keeps what the user typed out of storage', async () => {
    const t = testSession();
    t.state.failLogin = new ApiError(401, 'invalid_credentials', 'Wrong username or password.');
    await t.session.login('kadi.rep1', 'nope');
    expect(t.session.store.getState().loginFailure).toEqual({ kind: 'invalidCredentials' });

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
    expect(await t.meta.session()).toBeUndefined();
  });

  it('uses one device id for the installation, across logins', async () => {
    const t = testSession();
    const first = await t.meta.deviceId();
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await t.meta.deviceId()).toBe(first);
  });
});

describe('restore', () => {
  it('shows the stored session offline, without the network', async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'wasel-demo');
    t.state.offline = true;
    // A new page load: a new store over the same database.
    const { createSessionStore } = await import('../../src/state/session');
    const { inPageLocks } = await import('../../src/sync/locks');
    const reloaded = createSessionStore({
      meta: t.meta,
      api: t.api,
      locks: inPageLocks(),
      now: () => Date.now(),
      deviceName: 'x',
      persistStorage: () => Promise.resolve(true),
    });
    await reloaded.restore();
    expect(reloaded.store.getState()).toMatchObject({ status: 'signedIn', profile: kadiProfile });
    await reloaded.revalidate();
    expect(reloaded.store.getState().status).toBe('signedIn');
  });

  it('with no stored session shows the login screen', async () => {
    const t = testSession();
    await t.session.restore();
    expect(t.session.store.getState().status).toBe('signedOut');
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
    expect((await t.meta.session())?.refreshToken).toBe('refresh-token-number-2');
  });

  it.each([
    'refresh_token_reused',
    'session_revoked',
    'device_revoked',
    'invalid_refresh_token',
    'user_disabled',
  ])('signs out locally when the server answers %s', async (code) => {
    let now = 0;
    const t = testSession({ now: () => now });
    await t.session.login('kadi.rep1', 'wasel-demo');
    now += 60 * 60 * 1000;
    t.state.failRefresh = new ApiError(401, code, 'no');
    await t.session.revalidate();
    expect(t.session.store.getState()).toMatchObject({ status: 'signedOut', profile: null });
    expect(await t.meta.session()).toBeUndefined();
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
    expect(await t.meta.session()).toBeDefined();
  });
});

describe('logout', () => {
  it('ends the session on the server and on the device; offline it still signs out here', async () => {
    const t = testSession();
    await t.session.login('kadi.rep1', 'wasel-demo');
    await t.session.logout();
    expect(t.calls.logout).toBe(1);
    expect(t.session.store.getState().status).toBe('signedOut');

    await t.session.login('kadi.rep1', 'wasel-demo');
    t.state.offline = true;
    await t.session.logout();
    expect(t.session.store.getState().status).toBe('signedOut');
    expect(await t.meta.session()).toBeUndefined();
  });
});
