// Locks the app after a while without use: no touch, key or scroll for the chosen minutes, or that long
// hidden (another app in front, the screen off). Checked on a timer and whenever the page is shown again,
// since a hidden page's timers may not run at all.
export interface IdleLockDeps {
  win: Window;
  /** Milliseconds of inactivity after which to lock (read each time: the preference may change). */
  timeoutMs: () => number;
  now: () => number;
  onIdle: () => void;
}

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;

export function createIdleLock({ win, timeoutMs, now, onIdle }: IdleLockDeps) {
  let lastActive = now();
  let timer: number | null = null;

  const check = () => {
    if (now() - lastActive >= timeoutMs()) {
      stop();
      onIdle();
    }
  };
  const activity = () => {
    lastActive = now();
  };
  const visibility = () => {
    if (win.document.visibilityState === 'visible') check();
  };

  function stop() {
    if (timer !== null) win.clearInterval(timer);
    timer = null;
    for (const type of ACTIVITY) win.removeEventListener(type, activity, true);
    win.document.removeEventListener('visibilitychange', visibility);
  }

  return {
    /** Starts watching from now (at each unlock). */
    start() {
      stop();
      lastActive = now();
      for (const type of ACTIVITY) win.addEventListener(type, activity, { capture: true, passive: true });
      win.document.addEventListener('visibilitychange', visibility);
      timer = win.setInterval(check, 5_000);
    },
    stop,
  };
}

export type IdleLock = ReturnType<typeof createIdleLock>;
