// The association's administrator (issue 7, item 9, in part): who has signed the current policy version
// (K-RESP) and who has not, and the devices, each revocable (a lost tablet erases itself at its next
// contact). Both are read from the server, so this screen needs the network and says so offline.
import { useState } from 'preact/hooks';
import { branchesResponseSchema, devicesResponseSchema, staffResponseSchema } from '../../protocol/admin';
import { useConsoleT, type ConsoleKey } from '../i18n/console';
import { BranchesPanel } from './admin/BranchesPanel';
import { ImportPanel } from './admin/ImportPanel';
import { LibraryPanel } from './admin/LibraryPanel';
import { PeoplePanel } from './admin/PeoplePanel';
import { PolicyPanel } from './admin/PolicyPanel';
import { Field } from '../components/Field';
import { ServerState } from '../components/ServerState';
import { Tabs } from '../components/Tabs';
import { useDates } from '../dates';
import { useAppState, useLang, useT } from '../context';
import { useIntakeT } from '../i18n/intake';
import { useServerRead } from '../use-server-read';

function Revoke({ onRevoke }: { onRevoke: (reason: string) => Promise<void> }) {
  const t = useIntakeT();
  const [reason, setReason] = useState('');
  return (
    <div class="form">
      <Field label={t('admin.revokeReason')} name="reason" type="text" value={reason} onInput={setReason} />
      <button
        type="button"
        class="button button--danger"
        disabled={reason.trim() === ''}
        onClick={() => void onRevoke(reason.trim())}
      >
        {t('admin.revoke')}
      </button>
    </div>
  );
}

/** Who has signed the current policy version (K-RESP), and the devices, each revocable. */
function DevicesPanel() {
  const t = useIntakeT();
  const common = useT();
  const lang = useLang();
  const dates = useDates();
  const { api, session } = useAppState();
  const read = useServerRead(async (client, token) => {
    const [staff, devices] = await Promise.all([
      client.read(token, '/admin/staff', staffResponseSchema),
      client.read(token, '/admin/devices', devicesResponseSchema),
    ]);
    return { staff, devices };
  });

  const body = () => {
    if (read.state !== 'ready') return <ServerState read={read} offline={t('admin.offline')} />;
    const { staff, devices } = read.value;
    const unsigned = staff.staff.filter((s) => s.signedAt === null && !s.disabled);
    return (
      <>
        <section class="card" data-testid="staff">
          <h2>{t('admin.staff', { version: staff.policyVersion })}</h2>
          {staff.signOffRequired ? (
            <p data-testid="not-signed" data-count={unsigned.length}>
              {t('admin.notSigned', { count: unsigned.length, total: staff.staff.length })}
            </p>
          ) : (
            <p class="hint">{t('admin.signOffNotRequired')}</p>
          )}
          {/* A table wider than a phone scrolls sideways: the keyboard can reach it too. */}
          <div
            class="table-wrap"
            tabIndex={0}
            role="region"
            aria-label={t('admin.staff', { version: staff.policyVersion })}
          >
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('admin.username')}</th>
                  <th scope="col">{t('admin.name')}</th>
                  <th scope="col">{t('admin.role')}</th>
                  <th scope="col">{t('admin.branch')}</th>
                  <th scope="col">{t('admin.signedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {staff.staff.map((s) => (
                  <tr key={s.id} data-username={s.username} data-signed={s.signedAt !== null}>
                    <th scope="row">
                      <bdi dir="ltr">{s.username}</bdi>
                    </th>
                    <td dir="auto">{s.name}</td>
                    <td>{common(`role.${s.role}`)}</td>
                    <td>{s.branch?.[lang] ?? '—'}</td>
                    <td>
                      {s.disabled ? (
                        t('admin.disabled')
                      ) : s.signedAt === null ? (
                        <strong>{t('admin.notYet')}</strong>
                      ) : (
                        <bdi>{dates.instant(s.signedAt)}</bdi>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section class="card" data-testid="devices">
          <h2>{t('admin.devices')}</h2>
          <ul class="plain">
            {devices.devices.map((d) => (
              <li key={d.id} class="card" data-device={d.id}>
                <strong dir="auto">{d.name}</strong> ·{' '}
                <span class="muted">
                  {t('admin.lastSeen')}: <bdi dir="ltr">{d.lastSeenAt.slice(0, 16).replace('T', ' ')}</bdi>
                  {d.lastUser !== null && (
                    <>
                      {' '}
                      · {t('admin.lastUser')}: <bdi dir="ltr">{d.lastUser}</bdi>
                    </>
                  )}
                </span>
                {d.revokedAt !== null ? (
                  <p>
                    {t('admin.revoked')} <bdi dir="ltr">{d.revokedAt.slice(0, 10)}</bdi>
                  </p>
                ) : (
                  <Revoke
                    onRevoke={async (reason) => {
                      await api.act(await session.accessToken(), `/admin/devices/${d.id}/revoke`, { reason });
                      read.retry();
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
        </section>
      </>
    );
  };

  return (
    <section data-testid="admin-devices" data-state={read.state}>
      {body()}
    </section>
  );
}

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
  const t = useIntakeT();
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
