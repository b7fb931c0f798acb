// The app shell: banners, header and the current screen, in the user's language and direction.
import type { ComponentChildren } from 'preact';
import { useEffect, useErrorBoundary } from 'preact/hooks';
import { errorNotices, reportError } from '../state/error-report';
import { useStore } from '../state/use-store';
import { DemoBanner, UpdatePrompt } from './components/Banners';
import { Header } from './components/Header';
import { lazyComponent, Loading } from './components/Lazy';
import { useAppState, useLang } from './context';
import { directionOf, useWorkspaceMessages } from './i18n/i18n';
import { LockScreen, LoginScreen } from './screens/LoginScreen';

// Only after a sign-in with a temporary password: its own chunk.
const ChangePasswordScreen = lazyComponent(
  () => import('./screens/ChangePasswordScreen').then((m) => m.ChangePasswordScreen),
  Loading,
);
// The workspace's screens (home included) and their routes load with the workspace, after the sign-in.
const WorkspaceScreen = lazyComponent(
  () => import('./screens/WorkspaceScreen').then((m) => m.WorkspaceScreen),
  Loading,
);

const ErrorNotices = lazyComponent(
  () => import('./components/Failures').then((m) => m.ErrorNotices),
  () => null,
);
const ScreenFailed = lazyComponent(
  () => import('./components/Failures').then((m) => m.ScreenFailed),
  () => null,
);

/** Failures are said on screen; the words for them load with the first one. */
function Failures() {
  const any = useStore(errorNotices, (s) => s.notices.length > 0);
  return any ? <ErrorNotices /> : null;
}

/** A screen that throws while rendering says so, is reported, and leaves the rest of the app working. */
function ScreenBoundary({ children }: { children: ComponentChildren }) {
  const { router } = useAppState();
  // Preact types the caught error as `any`: it is only compared with undefined here.
  const boundary: [unknown, () => void] = useErrorBoundary((e: unknown) => {
    reportError(e, `screen ${router.getState().path}`);
  });
  const [error, reset] = boundary;
  return error === undefined ? <>{children}</> : <ScreenFailed reset={reset} />;
}

function Screen() {
  const { session, router, workspace } = useAppState();
  const { status, profile, mustChangePassword } = useStore(session.store, (s) => s);
  const open = useStore(workspace, (s) => s.current !== null);
  const messages = useWorkspaceMessages(status === 'signedIn');
  const path = useStore(router, (s) => s.path);
  if (status === 'loading') return <Loading />;
  if (status === 'locked') return <LockScreen />;
  if (status === 'signedOut' || profile === null) return <LoginScreen />;
  if (mustChangePassword) return <ChangePasswordScreen />;
  // Unlocked; the workspace's code (and its screens' messages) are on their way.
  if (!open || !messages) return <Loading />;
  return <WorkspaceScreen path={path} profile={profile} />;
}

export function App() {
  const lang = useLang();
  const path = useStore(useAppState().router, (s) => s.path);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = directionOf(lang);
  }, [lang]);
  useEffect(() => {
    // Read by the benchmark: time from navigation start to an interactive shell.
    performance.mark('wasel:shell-rendered');
  }, []);
  return (
    <div class="app" data-shell="ready">
      <DemoBanner />
      <UpdatePrompt />
      <Header />
      <Failures />
      {/* Keyed by the path: another screen starts with a fresh boundary. */}
      <ScreenBoundary key={path}>
        <Screen />
      </ScreenBoundary>
      <footer class="footer" dir="ltr" data-testid="build">
        Wasel {__APP_VERSION__} · {__BUILD_ID__}
      </footer>
    </div>
  );
}
