// The association's administrator (issue 7, item 9, in part): who has signed the current policy version
// (K-RESP) and who has not, and the devices, each revocable (a lost tablet erases itself at its next
// contact) or reportable as lost, with its incident (L-BREACH). All of it is read from the server, so this
// screen needs the network and says so offline.
import { useState } from 'preact/hooks';
import { branchesResponseSchema } from '../../protocol/admin';
import { useConsoleT, type ConsoleKey } from '../i18n/console';
import { BranchesPanel } from './admin/BranchesPanel';
import { DevicesPanel } from './admin/DevicesPanel';
import { ImportPanel } from './admin/ImportPanel';
import { LibraryPanel } from './admin/LibraryPanel';
import { PeoplePanel } from './admin/PeoplePanel';
import { PolicyPanel } from './admin/PolicyPanel';
import { ServerState } from '../components/ServerState';
import { Tabs } from '../components/Tabs';
import { useT } from '../context';
import { useOversightT } from '../i18n/oversight';
import { useServerRead } from '../use-server-read';

const tabs = ['people', 'branches', 'policy', 'library', 'import', 'devices'] as const;
type Tab = (typeof tabs)[number];
const tabTitle: Record<Tab, ConsoleKey> = {
  people: 'console.people',
  branches: 'console.branches',
  policy: 'console.policy',
  library: 'console.library',
  import: 'console.import',
  devices: 'console.devices',
};

/**
 * The administrator's console: the association's people, branches, policy and library, and its devices.
 * Everything here is the server's (online only); the server allows it to the association's administrators.
 */
export function AdminScreen() {
  const t = useOversightT();
  const c = useConsoleT();
  const common = useT();
  const [tab, setTab] = useState<Tab>('people');
  const [attempt, setAttempt] = useState(0);
  const branches = useServerRead(
    (client, token) => client.read(token, '/admin/branches', branchesResponseSchema),
    attempt,
  );
  const list = branches.state === 'ready' ? branches.value.branches : [];
  const reload = () => {
    setAttempt((n) => n + 1);
  };
  return (
    <main class="page" data-testid="admin" data-state={branches.state}>
      <h1>
        {t('admin.title')} — {common('section.users')}
      </h1>
      <Tabs
        label={t('admin.title')}
        tabs={tabs.map((id) => ({ id, title: c(tabTitle[id]) }))}
        current={tab}
        onSelect={setTab}
        idPrefix="admin"
      >
        {branches.state !== 'ready' ? (
          <ServerState read={branches} offline={t('admin.offline')} />
        ) : (
          <>
            {tab === 'people' && <PeoplePanel branches={list} />}
            {tab === 'branches' && <BranchesPanel branches={list} onChange={reload} />}
            {tab === 'policy' && <PolicyPanel />}
            {tab === 'library' && <LibraryPanel />}
            {tab === 'import' && <ImportPanel />}
            {tab === 'devices' && <DevicesPanel />}
          </>
        )}
      </Tabs>
    </main>
  );
}
