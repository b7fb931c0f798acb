// The current screen, from the URL path; history-based so the back button works in the installed app.
import { createStore } from 'zustand/vanilla';

export interface RouterState {
  path: string;
  navigate(path: string): void;
}

export function createRouterStore(win: Pick<Window, 'location' | 'history' | 'addEventListener'>) {
  const store = createStore<RouterState>((set) => ({
    path: win.location.pathname,
    navigate(path) {
      if (path === win.location.pathname) return;
      win.history.pushState(null, '', path);
      set({ path });
    },
  }));
  win.addEventListener('popstate', () => {
    store.setState({ path: win.location.pathname });
  });
  return store;
}
