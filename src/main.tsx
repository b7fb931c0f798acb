// Entry of the PWA: fonts and styles, the app's stores, the service worker, then the first render.
import { reportError } from './state/error-report';
import '@fontsource/noto-sans-arabic/arabic-400.css';
import '@fontsource/noto-sans-arabic/arabic-700.css';
import '@fontsource/noto-sans-arabic/latin-400.css';
import '@fontsource/noto-sans-arabic/latin-700.css';
import './ui/styles.css';
import { render } from 'preact';
import { browserAppState, deleteFirstBuildsDatabase } from './state/app-state';
import type { IdleLock } from './state/idle-lock';
import type { PageMessage } from './sync/status';
import { App } from './ui/App';
import { AppStateContext } from './ui/context';
import { loadCatalogue, loadWorkspaceMessages } from './ui/i18n/i18n';

const state = browserAppState(window);
const root = document.getElementById('app');
if (root === null) throw new Error('index.html has no #app element');

const start = () => {
  render(
    <AppStateContext.Provider value={state}>
      <App />
    </AppStateContext.Provider>,
    root,
  );
};
// The last net under "nothing fails silently": a promise nobody waited for, or a script error, is said on
// screen through the same path as every reported failure.
window.addEventListener('unhandledrejection', (event) => {
  reportError(event.reason, 'unhandled');
});
window.addEventListener('error', (event) => {
  reportError(event.error ?? event.message, 'script');
});
// The first render waits for the chosen language's messages only if that is not Arabic.
const rendered = loadCatalogue(state.preferences.getState().lang).then(start, start);
// The first screen: the sign-in form, or the lock screen when someone has data on this device.
const restored = state.session.restore();
void restored.then(() => {
  requestSync();
});
// Once it is painted, what comes next loads while the user types — nothing of it is fetched before.
void Promise.allSettled([rendered, restored]).then(() => {
  afterFirstPaint(() => {
    // The device's database and the API client (Dexie, the validators), through the remembered server
    // info and the server's answer; then the signed-in screens' messages.
    void state.serverInfo.load();
    // Loaded again by the screen that needs them if this fails (a network blink).
    void loadWorkspaceMessages().catch(() => undefined);
    void state.update.register().catch((error: unknown) => {
      console.error('service worker registration failed', error);
    });
    // Not deleted now (blocked by another tab): tried again at the next start.
    void deleteFirstBuildsDatabase().catch(() => undefined);
  });
});
/** Sync triggers of the page, while a user is unlocked (a locked device does not sync). */
function requestSync() {
  void state.workspace
    .getState()
    .current?.sync.requestSync()
    // A sync that fails is shown by the sync indicator (its phase and last error), not as a notice.
    .catch(() => undefined);
}
window.addEventListener('online', () => {
  void state.session.revalidate();
  void state.serverInfo.load();
  requestSync();
});
window.addEventListener('focus', requestSync);
window.addEventListener('pageshow', requestSync);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') requestSync();
});
// The lock after inactivity, from each unlock to the next lock (its code loads with the first unlock).
let idleLock: Promise<IdleLock> | undefined;
const loadIdleLock = () =>
  (idleLock ??= import('./state/idle-lock').then(({ createIdleLock }) =>
    createIdleLock({
      win: window,
      timeoutMs: () => state.preferences.getState().lockAfterMinutes * 60_000,
      now: () => Date.now(),
      onIdle: () => void state.session.lock(),
    }),
  ));
state.session.store.subscribe((s, previous) => {
  if (s.status === previous.status) return;
  // Before the first unlock there is no lock to stop.
  if (s.status !== 'signedIn' && idleLock === undefined) return;
  void loadIdleLock().then((lock) => {
    // The status may have moved on while the code loaded: follow the current one.
    if (state.session.store.getState().status === 'signedIn') lock.start();
    else lock.stop();
  });
});
// Leaving or reloading the page: the worker forgets the keys it was lent (another open tab lends them
// again with its next sync request).
window.addEventListener('pagehide', () => {
  const lock: PageMessage = { type: 'LOCK' };
  if ('serviceWorker' in navigator) navigator.serviceWorker.controller?.postMessage(lock);
});
// Each unlock opens a workspace (its code loads on demand): sync as soon as it is there.
state.workspace.subscribe((w, previous) => {
  if (w.current !== null && w.current !== previous.current) requestSync();
});
// A backstop while changes wait: the worker's own backoff timer dies when the browser stops the worker.
window.setInterval(() => {
  if ((state.workspace.getState().current?.sync.store.getState().pending ?? 0) > 0 && navigator.onLine)
    requestSync();
}, 30_000);

/** Runs `run` once the first screen is painted (a frame, then a task); a hidden page paints no frame. */
function afterFirstPaint(run: () => void) {
  let ran = false;
  const once = () => {
    if (ran) return;
    ran = true;
    run();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 1000);
}
