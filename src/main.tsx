// Entry of the PWA: fonts and styles, the app's stores, the service worker, then the first render.
import { reportError } from './state/error-report';
import '@fontsource/noto-sans-arabic/arabic-400.css';
import '@fontsource/noto-sans-arabic/arabic-700.css';
import '@fontsource/noto-sans-arabic/latin-400.css';
import '@fontsource/noto-sans-arabic/latin-700.css';
import './ui/styles.css';
import { render } from 'preact';
import { browserAppState } from './state/app-state';
import type { PageMessage } from './sync/status';
import { App } from './ui/App';
import { AppStateContext } from './ui/context';
import { loadCatalogue } from './ui/i18n/i18n';

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
void loadCatalogue(state.preferences.getState().lang).then(start, start);

void state.session.restore().then(() => {
  requestSync();
});
void state.serverInfo.load();
void state.update.register().catch((error: unknown) => {
  console.error('service worker registration failed', error);
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
const idleLock = import('./state/idle-lock').then(({ createIdleLock }) =>
  createIdleLock({
    win: window,
    timeoutMs: () => state.preferences.getState().lockAfterMinutes * 60_000,
    now: () => Date.now(),
    onIdle: () => void state.session.lock(),
  }),
);
state.session.store.subscribe((s, previous) => {
  if (s.status === previous.status) return;
  void idleLock.then((lock) => {
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
