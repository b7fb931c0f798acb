// Entry of the PWA: fonts and styles, the app's stores, the service worker, then the first render.
import '@fontsource/noto-sans-arabic/arabic-400.css';
import '@fontsource/noto-sans-arabic/arabic-700.css';
import '@fontsource/noto-sans-arabic/latin-400.css';
import '@fontsource/noto-sans-arabic/latin-700.css';
import './ui/styles.css';
import { render } from 'preact';
import { browserAppState } from './state/app-state';
import { App } from './ui/App';
import { AppStateContext } from './ui/context';

const state = browserAppState(window);
const root = document.getElementById('app');
if (root === null) throw new Error('index.html has no #app element');

render(
  <AppStateContext.Provider value={state}>
    <App />
  </AppStateContext.Provider>,
  root,
);

void state.session.restore();
void state.serverInfo.load();
void state.update.register().catch((error: unknown) => {
  console.error('service worker registration failed', error);
});
window.addEventListener('online', () => {
  void state.session.revalidate();
  void state.serverInfo.load();
});
