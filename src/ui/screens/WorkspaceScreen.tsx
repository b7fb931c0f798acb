// The screens of the unlocked workspace, by path: home, the sections of the user's role, a beneficiary, a
// request, the sync. Loaded with the workspace; each screen is its own chunk, fetched when first opened.
import type { MeResponse } from '../../protocol/auth';
import { lazyComponent, Loading } from '../components/Lazy';
import { sectionFromPath } from '../navigation';
import { HomeScreen } from './HomeScreen';

const SectionScreen = lazyComponent(() => import('./SectionScreen').then((m) => m.SectionScreen), Loading);
const SyncScreen = lazyComponent(() => import('./SyncScreen').then((m) => m.SyncScreen), Loading);
const BeneficiariesScreen = lazyComponent(
  () => import('./BeneficiariesScreen').then((m) => m.BeneficiariesScreen),
  Loading,
);
const BeneficiaryScreen = lazyComponent(
  () => import('./BeneficiaryScreen').then((m) => m.BeneficiaryScreen),
  Loading,
);

const LibraryScreen = lazyComponent(() => import('./LibraryScreen').then((m) => m.LibraryScreen), Loading);
const WorklistScreen = lazyComponent(() => import('./WorklistScreen').then((m) => m.WorklistScreen), Loading);
const StartRequestScreen = lazyComponent(
  () => import('./StartRequestScreen').then((m) => m.StartRequestScreen),
  Loading,
);
const ContactsScreen = lazyComponent(() => import('./ContactsScreen').then((m) => m.ContactsScreen), Loading);
const SatisfactionScreen = lazyComponent(
  () => import('./SatisfactionScreen').then((m) => m.SatisfactionScreen),
  Loading,
);
const QueueScreen = lazyComponent(() => import('./QueueScreen').then((m) => m.QueueScreen), Loading);
const RequestScreen = lazyComponent(() => import('./RequestScreen').then((m) => m.RequestScreen), Loading);

export function WorkspaceScreen({ path, profile }: { path: string; profile: MeResponse }) {
  if (path === '/sync') return <SyncScreen />;
  const beneficiary = /^\/b\/([0-9a-f-]{36})$/.exec(path)?.[1];
  if (beneficiary !== undefined) return <BeneficiaryScreen key={beneficiary} id={beneficiary} />;
  const request = /^\/r\/([0-9a-f-]{36})$/.exec(path)?.[1];
  if (request !== undefined) return <RequestScreen id={request} />;
  const section = sectionFromPath(path, profile.user.role);
  if (section === 'beneficiaries') return <BeneficiariesScreen />;
  if (section === 'worklist') return <WorklistScreen />;
  if (section === 'request') return <StartRequestScreen />;
  if (section === 'contacts') return <ContactsScreen />;
  if (section === 'satisfaction') return <SatisfactionScreen />;
  if (section === 'policy') return <LibraryScreen />;
  if (section === 'research') return <QueueScreen kind="research" />;
  if (section === 'decisions') return <QueueScreen kind="decide" />;
  if (section !== undefined) return <SectionScreen section={section} />;
  return <HomeScreen profile={profile} />;
}
