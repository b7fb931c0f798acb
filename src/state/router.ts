// The current screen, from the URL path; history-based so the back button works in the installed app.
import { createStore } from 'zustand/vanilla';

export interface RouterState {
  path: string;
  /** How many of this app's screens lie behind the current one in the browser's history. */
  depth: number;
  navigate(to: string): void;
  /** The screen before, as the browser's back button would; home when the app was opened here. */
  back(): void;
}

type Win = Pick<Window, 'location' | 'history' | 'addEventListener'>;

const depthOf = (state: unknown): number =>
  typeof state === 'object' && state !== null && 'depth' in state && typeof state.depth === 'number'
    ? state.depth
    : 0;

export function createRouterStore(win: Win) {
  const store = createStore<RouterState>((set, get) => ({
    path: win.location.pathname,
    depth: depthOf(win.history.state),
    /** To a path, with an optional query for the screen (a beneficiary's tab: `/b/<id>?tab=household`). */
    navigate(to) {
      if (to === win.location.pathname) return;
      const depth = get().depth + 1;
      win.history.pushState({ depth }, '', to);
      set({ path: to.split('?')[0] ?? to, depth });
    },
    back() {
      if (get().depth > 0) {
        win.history.back();
        return;
      }
      // Opened straight on this screen (a link, a reload): up to home, without leaving the app.
      if (win.location.pathname === '/') return;
      win.history.replaceState({ depth: 0 }, '', '/');
      set({ path: '/', depth: 0 });
    },
  }));
  win.addEventListener('popstate', (event) => {
    store.setState({ path: win.location.pathname, depth: depthOf(event.state) });
  });
  return store;
}
