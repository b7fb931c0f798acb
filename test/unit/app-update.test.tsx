// Install offers: the button where the browser fires beforeinstallprompt, instructions on iOS.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppUpdate, isIosBrowser } from '../../src/state/app-update';
import { InstallPrompt } from '../../src/ui/components/Banners';
import { AppStateContext } from '../../src/ui/context';
import { testAppState } from './fakes';

beforeEach(() => {});
afterEach(() => {
  cleanup();
});

describe('install', () => {
  it('shows an install button when the browser offers installation, and prompts on click', async () => {
    const { state } = testAppState();
    render(
      <AppStateContext.Provider value={state}>
        <InstallPrompt />
      </AppStateContext.Provider>,
    );
    expect(screen.queryByTestId('install-button')).toBeNull();

    let prompted = 0;
    const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: () => {
        prompted += 1;
        return Promise.resolve();
      },
      userChoice: Promise.resolve({ outcome: 'accepted' as const }),
    });
    window.dispatchEvent(offer);
    expect(offer.defaultPrevented).toBe(true);
    fireEvent.click(await screen.findByTestId('install-button'));
    await waitFor(() => {
      expect(prompted).toBe(1);
    });
    await waitFor(() => {
      expect(screen.queryByTestId('install-button')).toBeNull();
    });
  });

  it('recognises iPhone and iPad (which reports itself as a Mac) but not a desktop Mac', () => {
    expect(isIosBrowser('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1', 5)).toBe(true);
    expect(isIosBrowser('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15', 5)).toBe(true);
    expect(isIosBrowser('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15', 0)).toBe(false);
    expect(isIosBrowser('Mozilla/5.0 (Linux; Android 13) Chrome/120.0 Mobile Safari/537.36', 5)).toBe(false);
  });

  it('does not show iOS instructions once the app runs installed (standalone)', () => {
    // Only what createAppUpdate reads of the window, as an iPhone in Safari would report it.
    const iphone = (standalone: boolean) =>
      ({
        navigator: { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)', maxTouchPoints: 5 },
        matchMedia: (query: string) => ({ matches: standalone && query === '(display-mode: standalone)' }),
        addEventListener: () => undefined,
      }) as unknown as Window;
    const hint = (standalone: boolean) =>
      createAppUpdate({ win: iphone(standalone), swUrl: '/sw.js', checkEverySeconds: 3600 }).store.getState()
        .showIosInstallHint;
    expect(hint(false)).toBe(true);
    expect(hint(true)).toBe(false);
  });
});
