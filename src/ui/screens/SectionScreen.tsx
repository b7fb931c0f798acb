// The sections of the later parts of the policy (complaints, the dashboard, the administration), each loaded
// only when opened, apart from the first screen. A section whose screen is not built yet says so plainly
// instead of pretending.
import { lazyComponent } from '../components/Lazy';
import { useAppState, useT } from '../context';
import { sectionTitle, type SectionId } from '../navigation';

const loading = () => <p class="page loading">…</p>;
const ComplaintsScreen = lazyComponent(
  () => import('./ComplaintsScreen').then((m) => m.ComplaintsScreen),
  loading,
);
// The dashboard brings its charting library.
const DashboardScreen = lazyComponent(
  () => import('./DashboardScreen').then((m) => m.DashboardScreen),
  loading,
);
const AdminScreen = lazyComponent(() => import('./AdminScreen').then((m) => m.AdminScreen), loading);

export function SectionScreen({ section }: { section: SectionId }) {
  const t = useT();
  const { router } = useAppState();
  if (section === 'complaints') return <ComplaintsScreen />;
  if (section === 'dashboard') return <DashboardScreen />;
  if (section === 'users') return <AdminScreen />;
  return (
    <main class="page">
      <h1>{t(sectionTitle(section))}</h1>
      <p class="card" data-testid="not-ready">
        {t('section.notReady')}
      </p>
      <button
        type="button"
        class="button button--ghost"
        onClick={() => {
          router.getState().navigate('/');
        }}
      >
        {t('section.back')}
      </button>
    </main>
  );
}
