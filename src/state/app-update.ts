// The page side of the service worker (workbox-window): registration, "update available" that waits
// for the user's yes, and the install prompt. A new worker never takes over in the middle of data entry.
import type { Workbox } from 'workbox-window';
import { createStore } from 'zustand/vanilla';

/** The browser event behind "Install app" (Chromium only; not in TypeScript's DOM library). */
export interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export interface AppUpdateState {
  /** A new version is installed and waiting for the user to accept it. */
  updateAvailable: boolean;
  /** The user accepted; the page reloads when the new worker takes control. */
  updating: boolean;
  /** The browser offered installation (beforeinstallprompt). */
  canInstall: boolean;
  /** iOS Safari, not yet installed: show "Add to Home Screen" instructions instead. */
  showIosInstallHint: boolean;
}

export interface AppUpdateDeps {
  win: Window;
  swUrl: string;
  /** Seconds between update checks while the app is open. */
  checkEverySeconds: number;
}

export function isIosBrowser(userAgent: string, maxTouchPoints: number): boolean {
  // iPadOS reports itself as a Mac; touch points tell them apart.
  return /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 1);
}

export function createAppUpdate(deps: AppUpdateDeps) {
  const { win } = deps;
  const standalone =
    win.matchMedia('(display-mode: standalone)').matches ||
    (win.navigator as Navigator & { standalone?: boolean }).standalone === true;
  const store = createStore<AppUpdateState>(() => ({
    updateAvailable: false,
    updating: false,
    canInstall: false,
    showIosInstallHint: !standalone && isIosBrowser(win.navigator.userAgent, win.navigator.maxTouchPoints),
  }));

  let installEvent: BeforeInstallPromptEvent | null = null;
  win.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    installEvent = event as BeforeInstallPromptEvent;
    store.setState({ canInstall: true });
  });
  win.addEventListener('appinstalled', () => {
    installEvent = null;
    store.setState({ canInstall: false, showIosInstallHint: false });
  });

  let wb: Workbox | null = null;

  return {
    store,

    /** Registers the service worker; does nothing where the browser has none (or in plain http). */
    async register() {
      if (!('serviceWorker' in win.navigator)) return;
      // workbox-window loads after the first screen, which does not need it.
      const { Workbox: WorkboxClass } = await import('workbox-window');
      wb = new WorkboxClass(deps.swUrl);
      wb.addEventListener('waiting', () => {
        store.setState({ updateAvailable: true });
      });
      wb.addEventListener('controlling', () => {
        // Only an update the user accepted reloads the page; the first install just takes control.
        // (Workbox's `isUpdate` cannot decide this: it is false when the first visit's worker claimed the page.)
        if (store.getState().updating) win.location.reload();
      });
      await wb.register();
      const check = () => {
        // Offline or the server away: checked again at the next hour.
        void wb?.update().catch(() => undefined);
      };
      win.setInterval(check, deps.checkEverySeconds * 1000);
      win.document.addEventListener('visibilitychange', () => {
        if (win.document.visibilityState === 'visible') check();
      });
    },

    /** The user said yes: the waiting worker activates, then the page reloads into the new version. */
    acceptUpdate() {
      if (wb === null || !store.getState().updateAvailable) return;
      store.setState({ updating: true });
      wb.messageSkipWaiting();
    },

    async install() {
      if (installEvent === null) return;
      await installEvent.prompt();
      await installEvent.userChoice;
      installEvent = null;
      store.setState({ canInstall: false });
    },
  };
}

export type AppUpdate = ReturnType<typeof createAppUpdate>;
