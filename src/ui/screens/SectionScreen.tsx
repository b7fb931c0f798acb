// The sections of the later parts of the policy (complaints, the dashboard, the administration), each loaded
// only when opened, apart from the first screen.
import { lazyComponent } from '../components/Lazy';

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

export function SectionScreen({ section }: { section: 'complaints' | 'dashboard' | 'users' }) {
  if (section === 'complaints') return <ComplaintsScreen />;
  if (section === 'dashboard') return <DashboardScreen />;
  return <AdminScreen />;
}
