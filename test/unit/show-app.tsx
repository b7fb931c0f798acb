// The whole app rendered over a test's app state, opened at a path, as a user who followed a link sees it.
import { render } from '@testing-library/preact';
import type { AppState } from '../../src/state/app-state';
import { App } from '../../src/ui/App';
import { AppStateContext } from '../../src/ui/context';

export function showApp(state: AppState, path: string) {
  state.router.getState().navigate(path);
  render(
    <AppStateContext.Provider value={state}>
      <App />
    </AppStateContext.Provider>,
  );
}
