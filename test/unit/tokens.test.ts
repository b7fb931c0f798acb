// The access token source: the token it holds is used while it is good, without reading the stored
// session again, unless a session was saved or cleared meanwhile; near its expiry it reads the store (another
// holder may have refreshed) and refreshes once.
import { describe, expect, it } from 'vitest';
import type { StoredSession } from '../../src/db/meta-repository';
import { inPageLocks } from '../../src/sync/locks';
import { createTokenSource } from '../../src/sync/tokens';
import { kadiProfile } from './fakes';

const MINUTE = 60_000;

function rig() {
  let now = Date.parse('2026-12-07T08:00:00Z');
  let stored: StoredSession = {
    ...kadiProfile,
    accessToken: 'access-1',
    refreshToken: 'refresh-1',
    accessExpiresAt: now + 15 * MINUTE,
  };
  const calls = { reads: 0, refreshes: 0 };
  const tokens = createTokenSource({
    meta: {
      session: () => {
        calls.reads += 1;
        return Promise.resolve(stored);
      },
      saveSession: (session) => {
        stored = session;
        return Promise.resolve();
      },
      deviceId: () => Promise.resolve('device-1'),
    },
    api: {
      refresh: () => {
        calls.refreshes += 1;
        const n = calls.refreshes + 1;
        return Promise.resolve({
          accessToken: `access-${String(n)}`,
          refreshToken: `refresh-${String(n)}`,
          expiresIn: 900,
        });
      },
    },
    lock: inPageLocks(),
    now: () => now,
  });
  return {
    tokens,
    calls,
    advance: (ms: number) => (now += ms),
    /**
     * Another tab or the worker saved a session (a refresh, a new sign-in): told to this context on the
     * channel as they are, or not yet (the message still on its way).
     */
    savedElsewhere: async (told: boolean) => {
      stored = {
        ...stored,
        accessToken: 'access-9',
        refreshToken: 'refresh-9',
        accessExpiresAt: now + 30 * MINUTE,
      };
      if (!told) return;
      const otherTab = new BroadcastChannel('wasel-session');
      otherTab.postMessage(null);
      otherTab.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
    },
    now: () => now,
  };
}

describe('access tokens', () => {
  it('uses the token it holds while it is good, reading the stored session once', async () => {
    const r = rig();
    expect(await Promise.all([r.tokens(), r.tokens()])).toEqual(['access-1', 'access-1']);
    r.advance(10 * MINUTE);
    expect(await r.tokens()).toBe('access-1');
    expect(r.calls).toEqual({ reads: 1, refreshes: 0 });
  });

  it('near its expiry takes what another holder refreshed, without refreshing again', async () => {
    const r = rig();
    expect(await r.tokens()).toBe('access-1');
    await r.savedElsewhere(false);
    // Still good: the old token is valid until it expires, whoever refreshed.
    expect(await r.tokens()).toBe('access-1');
    r.advance(14.5 * MINUTE);
    expect(await r.tokens()).toBe('access-9');
    expect(r.calls).toEqual({ reads: 2, refreshes: 0 });
  });

  it('reads the store again at once when another tab or the worker saves or clears a session', async () => {
    // Tab A signed out (the server revoked its session) and in again: a token held from the old session
    // would be refused, and the refusal would end the new session too.
    const r = rig();
    expect(await r.tokens()).toBe('access-1');
    await r.savedElsewhere(true);
    expect(await r.tokens()).toBe('access-9');
    expect(r.calls).toEqual({ reads: 2, refreshes: 0 });
  });

  it('refreshes once when the stored token is about to expire too, and holds the new one', async () => {
    const r = rig();
    r.advance(14.5 * MINUTE);
    expect(new Set(await Promise.all([r.tokens(), r.tokens(), r.tokens()]))).toEqual(new Set(['access-2']));
    expect(r.calls.refreshes).toBe(1);
    r.advance(10 * MINUTE);
    expect(await r.tokens()).toBe('access-2');
    expect(r.calls.refreshes).toBe(1);
  });
});
