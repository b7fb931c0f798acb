// The app shell in jsdom: login, the association's identity, role navigation, language and connectivity.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MeResponse } from '../../src/protocol/auth';
import { describeDevice, type AppState } from '../../src/state/app-state';
import { App } from '../../src/ui/App';
import { AppStateContext } from '../../src/ui/context';
import { fakeApi, kadiProfile, testAppState } from './fakes';

function setup(profile: MeResponse = kadiProfile) {
  const fake = fakeApi();
  fake.state.profile = profile;
  const { state } = testAppState(fake);
  render(
    <AppStateContext.Provider value={state}>
      <App />
    </AppStateContext.Provider>,
  );
  return { state, fake };
}

async function signIn(state: AppState, username = 'kadi.rep1') {
  await state.session.restore();
  fireEvent.input(await screen.findByLabelText('اسم المستخدم'), { target: { value: username } });
  fireEvent.input(screen.getByLabelText('كلمة المرور'), { target: { value: 'wasel-demo' } });
  fireEvent.click(screen.getByRole('button', { name: 'دخول' }));
  await screen.findByTestId('sections');
}

beforeEach(() => {
  window.localStorage.clear();
  window.history.replaceState(null, '', '/');
});
afterEach(() => {
  cleanup();
});

describe('app shell', () => {
  it('starts in Arabic, right to left, on the login screen', async () => {
    const { state } = setup();
    await state.session.restore();
    expect(await screen.findByRole('heading', { name: 'تسجيل الدخول' })).toBeTruthy();
    expect(document.documentElement.dir).toBe('rtl');
    expect(document.documentElement.lang).toBe('ar');
  });

  it('after login shows the association of the user and the sections of the representative role', async () => {
    const { state } = setup();
    await signIn(state);
    expect(screen.getByTestId('association-name').textContent).toBe('جمعية كادي');
    const sections = [...screen.getByTestId('sections').querySelectorAll('[data-section]')].map((a) =>
      a.getAttribute('data-section'),
    );
    // The representative's seven sections, each a working screen (the browser test opens every one).
    expect(sections).toEqual([
      'worklist',
      'request',
      'beneficiaries',
      'contacts',
      'satisfaction',
      'complaints',
      'policy',
    ]);
  });

  it('shows a committee member the committee sections, not the representative ones', async () => {
    const committee: MeResponse = {
      ...kadiProfile,
      user: { ...kadiProfile.user, username: 'kadi.committee', role: 'committee' },
    };
    const { state } = setup(committee);
    await signIn(state, 'kadi.committee');
    const sections = [...screen.getByTestId('sections').querySelectorAll('[data-section]')].map((a) =>
      a.getAttribute('data-section'),
    );
    expect(sections).toEqual(['decisions', 'complaints', 'beneficiaries', 'policy']);
    // A section of another role cannot be opened by URL either.
    state.router.getState().navigate('/s/worklist');
    await waitFor(() => {
      expect(screen.getByTestId('sections')).toBeTruthy();
    });
  });

  it('a representative can open neither the dashboard nor the administration, even by URL', async () => {
    const { state } = setup();
    await signIn(state);
    const sections = [...screen.getByTestId('sections').querySelectorAll('[data-section]')].map((a) =>
      a.getAttribute('data-section'),
    );
    expect(sections).not.toContain('dashboard');
    expect(sections).not.toContain('users');
    for (const path of ['/s/dashboard', '/s/users']) {
      state.router.getState().navigate(path);
      await waitFor(() => {
        expect(screen.getByTestId('sections')).toBeTruthy();
      });
      expect(screen.queryByTestId('dashboard')).toBeNull();
      expect(screen.queryByTestId('admin')).toBeNull();
    }
  });

  it('opens a section in its own chunk', async () => {
    const { state } = setup();
    await signIn(state);
    fireEvent.click(screen.getByText('الشكاوى والاقتراحات'));
    expect(await screen.findByTestId('complaints')).toBeTruthy();
    expect(window.location.pathname).toBe('/s/complaints');
  });

  it('switches to English, left to right, and remembers it', async () => {
    const { state } = setup();
    await signIn(state);
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    await waitFor(() => {
      expect(document.documentElement.dir).toBe('ltr');
    });
    expect(screen.getByTestId('association-name').textContent).toBe('Kadi Association');
    expect(window.localStorage.getItem('wasel.lang')).toBe('en');
  });

  it('shows the DEMO banner when the server runs in demo mode', async () => {
    const { state } = setup();
    await state.serverInfo.load();
    expect((await screen.findByTestId('demo-banner')).textContent).toContain('DEMO');
  });

  it('follows the browser going offline and online', async () => {
    setup();
    const pill = () => screen.getByRole('status');
    window.dispatchEvent(new Event('offline'));
    await waitFor(() => {
      expect(pill().getAttribute('data-online')).toBe('false');
    });
    expect(pill().textContent).toContain('غير متصل');
    window.dispatchEvent(new Event('online'));
    await waitFor(() => {
      expect(pill().getAttribute('data-online')).toBe('true');
    });
  });

  it('logs out back to the login screen', async () => {
    const { state, fake } = setup();
    await signIn(state);
    fireEvent.click(screen.getByRole('button', { name: 'تسجيل الخروج' }));
    expect(await screen.findByRole('heading', { name: 'تسجيل الدخول' })).toBeTruthy();
    expect(fake.calls.logout).toBe(1);
  });
});

describe('device name', () => {
  it('is short and human', () => {
    expect(
      describeDevice(
        'Mozilla/5.0 (Linux; Android 13; SM-T220) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      ),
    ).toBe('Chrome on Android');
    expect(
      describeDevice(
        'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iOS');
  });
});
