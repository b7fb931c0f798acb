// "Synced 3 minutes ago": the indicator tells how fresh the device's data is, in the user's language.
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, expect, it } from 'vitest';
import { SyncIndicator } from '../../src/ui/components/SyncIndicator';
import { AppStateContext } from '../../src/ui/context';
import { loadCatalogue } from '../../src/ui/i18n/i18n';
import { timeAgo } from '../../src/ui/relative-time';
import { testAppState } from './fakes';

afterEach(() => {
  cleanup();
});

const now = Date.parse('2026-11-22T09:00:00Z');

it('says how long ago, in minutes, hours or days, in Arabic and English', () => {
  expect(timeAgo('2026-11-22T08:57:00Z', now, 'en')).toBe('3 minutes ago');
  expect(timeAgo('2026-11-22T08:59:40Z', now, 'en')).toBe('this minute');
  expect(timeAgo('2026-11-22T07:00:00Z', now, 'en')).toBe('2 hours ago');
  expect(timeAgo('2026-11-20T09:00:00Z', now, 'en')).toBe('2 days ago');
  expect(timeAgo('2026-11-22T08:57:00Z', now, 'ar')).toBe('قبل 3 دقائق');
  // A clock a little behind the server's never says "in 1 minute".
  expect(timeAgo('2026-11-22T09:01:00Z', now, 'en')).toBe('this minute');
});

it('the indicator shows when the last sync succeeded once nothing is pending', async () => {
  await loadCatalogue('en');
  const { state, signIn } = testAppState();
  const workspace = await signIn();
  state.preferences.getState().setLang('en');
  workspace.sync.store.setState({
    phase: 'idle',
    pending: 0,
    lastSuccessAt: new Date(Date.now() - 3 * 60_000).toISOString(),
  });
  render(
    <AppStateContext.Provider value={state}>
      <SyncIndicator />
    </AppStateContext.Provider>,
  );
  expect(screen.getByTestId('sync-indicator').textContent).toBe('Synced 3 minutes ago');
});
