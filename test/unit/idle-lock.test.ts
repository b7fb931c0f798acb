// The idle lock: quiet minutes lock the app; use postpones it; a page hidden that long locks as soon as
// it is shown again, even though a hidden page's timers may never have run.
import { afterEach, expect, it, vi } from 'vitest';
import { createIdleLock } from '../../src/state/idle-lock';

afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  vi.useFakeTimers({ now: Date.parse('2026-11-22T09:00:00Z') });
  let locked = 0;
  const lock = createIdleLock({
    win: window,
    timeoutMs: () => 5 * 60_000,
    now: () => Date.now(),
    onIdle: () => {
      locked += 1;
    },
  });
  lock.start();
  return { lock, locked: () => locked };
}

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

it('locks after the quiet minutes, and use postpones it', () => {
  const t = setup();
  vi.advanceTimersByTime(4 * 60_000);
  window.dispatchEvent(new Event('pointerdown'));
  vi.advanceTimersByTime(4 * 60_000);
  expect(t.locked()).toBe(0);
  vi.advanceTimersByTime(60_000 + 5_000);
  expect(t.locked()).toBe(1);
  // Once locked it stops watching until the next unlock.
  vi.advanceTimersByTime(60 * 60_000);
  expect(t.locked()).toBe(1);
});

it('a page hidden for longer than the timeout locks when shown, without its timers having run', () => {
  const t = setup();
  setVisibility('hidden');
  // A hidden page's timers are throttled or stopped: the clock moves, the interval does not fire.
  vi.setSystemTime(Date.now() + 6 * 60_000);
  expect(t.locked()).toBe(0);
  setVisibility('visible');
  expect(t.locked()).toBe(1);
});

it('a page hidden briefly stays open', () => {
  const t = setup();
  setVisibility('hidden');
  vi.setSystemTime(Date.now() + 60_000);
  setVisibility('visible');
  expect(t.locked()).toBe(0);
  t.lock.stop();
});
