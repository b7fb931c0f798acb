// The app shell: banners, header and the current screen, in the user's language and direction.
import { useEffect } from 'preact/hooks';
import { useStore } from '../state/use-store';
import { DemoBanner, UpdatePrompt } from './components/Banners';
import { Header } from './components/Header';
import { lazyComponent } from './components/Lazy';
import { useAppState, useLang, useT } from './context';
import { directionOf, useWorkspaceMessages } from './i18n/i18n';
import { sectionFromPath } from './navigation';
import { HomeScreen } from './screens/HomeScreen';
import { LockScreen, LoginScreen } from './screens/LoginScreen';

function Loading() {
  const t = useT();
  return <p class="page loading">{t('app.loading')}</p>;
}

const SectionScreen = lazyComponent(
  () => import('./screens/SectionScreen').then((m) => m.SectionScreen),
  Loading,
);
const SyncScreen = lazyComponent(() => import('./screens/SyncScreen').then((m) => m.SyncScreen), Loading);
const BeneficiariesScreen = lazyComponent(
  () => import('./screens/BeneficiariesScreen').then((m) => m.BeneficiariesScreen),
  Loading,
);
const BeneficiaryScreen = lazyComponent(
  () => import('./screens/BeneficiaryScreen').then((m) => m.BeneficiaryScreen),
  Loading,
);

const LibraryScreen = lazyComponent(
  () => import('./screens/LibraryScreen').then((m) => m.LibraryScreen),
  Loading,
);
const WorklistScreen = lazyComponent(
  () => import('./screens/WorklistScreen').then((m) => m.WorklistScreen),
  Loading,
);
// Only after a sign-in with a temporary password: its own chunk.
const ChangePasswordScreen = lazyComponent(
  () => import('./screens/ChangePasswordScreen').then((m) => m.ChangePasswordScreen),
  Loading,
);
const QueueScreen = lazyComponent(() => import('./screens/QueueScreen').then((m) => m.QueueScreen), Loading);
const RequestScreen = lazyComponent(
  () => import('./screens/RequestScreen').then((m) => m.RequestScreen),
  Loading,
);

function Screen() {
  const { session, router, workspace } = useAppState();
  const { status, profile, mustChangePassword } = useStore(session.store, (s) => s);
  const open = useStore(workspace, (s) => s.current !== null);
  const messages = useWorkspaceMessages();
  const path = useStore(router, (s) => s.path);
  if (status === 'loading') return <Loading />;
  if (status === 'locked') return <LockScreen />;
  if (status === 'signedOut' || profile === null) return <LoginScreen />;
  if (mustChangePassword) return <ChangePasswordScreen />;
  // Unlocked; the workspace's code (and its screens' messages) are on their way.
  if (!open || !messages) return <Loading />;
  if (path === '/sync') return <SyncScreen />;
  const beneficiary = /^\/b\/([0-9a-f-]{36})$/.exec(path)?.[1];
  if (beneficiary !== undefined) return <BeneficiaryScreen id={beneficiary} />;
  const request = /^\/r\/([0-9a-f-]{36})$/.exec(path)?.[1];
  if (request !== undefined) return <RequestScreen id={request} />;
  const section = sectionFromPath(path, profile.user.role);
  if (section === 'beneficiaries') return <BeneficiariesScreen />;
  if (section === 'worklist') return <WorklistScreen />;
  if (section === 'policy') return <LibraryScreen />;
  if (section === 'research') return <QueueScreen kind="research" />;
  if (section === 'decisions') return <QueueScreen kind="decide" />;
  if (section !== undefined) return <SectionScreen section={section} />;
  return <HomeScreen profile={profile} />;
}

export function App() {
  const lang = useLang();
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
      <Screen />
      <footer class="footer" dir="ltr" data-testid="build">
        Wasel {__APP_VERSION__} · {__BUILD_ID__}
      </footer>
    </div>
  );
}
