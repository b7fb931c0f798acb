// One beneficiary, as tabs: their own data (one form, one save; the ID correction; sensitive data for the
// roles that may see it), household, requests, documents, contacts, and (for the supervisor and the
// committee) their rights requests. The tab is kept in the address, so a reload opens the same one.
import { useState } from 'preact/hooks';
import { mayOpenRequest, rightsHandlers } from '../../domain/permissions';
import { useProfile } from '../use-profile';
import type { LocalRecord } from '../../db/database';
import { useLive } from '../../state/use-live';
import { useStore } from '../../state/use-store';
import { ContactLog } from '../components/ContactLog';
import { Documents } from '../components/Documents';
import { Household } from '../components/Household';
import { IdCorrection } from '../components/IdCorrection';
import { ProfileForm } from '../components/ProfileForm';
import { RightsPanel } from '../components/RightsPanel';
import { SensitivePanel } from '../components/SensitivePanel';
import { Tabs } from '../components/Tabs';
import { useAppState, useLang, useT, useWorkspace } from '../context';
import type { MessageKey } from '../i18n/i18n';
import { statusKey, useCaseworkT } from '../i18n/casework';
import { textOf } from '../text';
import { useIntake } from '../use-intake';

const tabIds = ['profile', 'household', 'requests', 'documents', 'contacts', 'rights'] as const;
export type BeneficiaryTab = (typeof tabIds)[number];
const isTab = (value: string | null): value is BeneficiaryTab => tabIds.some((id) => id === value);
const tabTitle: Record<BeneficiaryTab, MessageKey> = {
  profile: 'beneficiary.tab.profile',
  household: 'beneficiary.tab.household',
  requests: 'beneficiary.tab.requests',
  documents: 'beneficiary.tab.documents',
  contacts: 'beneficiary.tab.contacts',
  rights: 'beneficiary.tab.rights',
};

/** The tab named in the address (`?tab=`), or the person's own data. */
function tabInAddress(): BeneficiaryTab {
  const named = new URLSearchParams(window.location.search).get('tab');
  return isTab(named) ? named : 'profile';
}

export function BeneficiaryScreen({ id }: { id: string }) {
  const t = useT();
  const { records } = useWorkspace();
  const { session } = useAppState();
  const role = useStore(session.store, (s) => s.profile?.user.role);
  const profile = useProfile();
  const record = useLive(() => records.get('beneficiary', id), [id], undefined as LocalRecord | undefined);
  const [tab, setTab] = useState<BeneficiaryTab>(tabInAddress);
  if (record?.deleted === true)
    return (
      <main class="page" data-testid="beneficiary-removed">
        {t('beneficiaries.removed')}
      </main>
    );
  if (record?.data === null || record === undefined) return <main class="page">{t('notFound')}</main>;
  const data = record.data;
  const shown = tabIds.filter(
    (tabId) => tabId !== 'rights' || (role !== undefined && rightsHandlers.includes(role)),
  );
  const active = shown.includes(tab) ? tab : 'profile';
  const select = (next: BeneficiaryTab) => {
    setTab(next);
    // Replaced, not pushed: the back button leaves the beneficiary, as it entered.
    const address = new URL(window.location.href);
    address.searchParams.set('tab', next);
    window.history.replaceState(window.history.state, '', address);
  };

  return (
    <main class="page" data-testid="beneficiary-page" data-tab={active}>
      <h1 dir="auto" data-testid="beneficiary-name">
        {textOf(data.fullName)}
      </h1>
      <p class="muted">
        {t('beneficiaries.nationalId')}:{' '}
        <bdi dir="ltr" data-testid="beneficiary-national-id">
          {textOf(data.nationalId)}
        </bdi>
      </p>
      <Tabs
        label={t('beneficiary.sections')}
        tabs={shown.map((tabId) => ({ id: tabId, title: t(tabTitle[tabId]) }))}
        current={active}
        onSelect={select}
        idPrefix="beneficiary"
      >
        {/* Kept while another tab is open: what was typed and not yet saved waits there. */}
        <div hidden={active !== 'profile'}>
          <ProfileForm key={record.recordId} person={record} profile={profile} />
          <IdCorrection person={record} />
          {profile !== undefined && <SensitivePanel person={record} profile={profile} />}
        </div>
        {active === 'household' && <Household beneficiaryId={id} />}
        {active === 'requests' && <Requests beneficiaryId={id} />}
        {active === 'documents' && <Documents beneficiaryId={id} />}
        {active === 'contacts' && profile !== undefined && <ContactLog person={record} profile={profile} />}
        {active === 'rights' && <RightsPanel beneficiaryId={id} />}
      </Tabs>
    </main>
  );
}

/** The beneficiary's requests, newest first, and the way to open a new one (representatives, researchers). */
function Requests({ beneficiaryId }: { beneficiaryId: string }) {
  const t = useCaseworkT();
  const lang = useLang();
  const { session, router } = useAppState();
  const workspace = useWorkspace();
  const intake = useIntake();
  const role = useStore(session.store, (s) => s.profile?.user.role);
  const profile = intake?.profile;
  const cases = useLive(
    () => workspace.records.listOf('case', beneficiaryId),
    [beneficiaryId],
    [] as LocalRecord[],
  );
  const mayOpen = role !== undefined && mayOpenRequest(role);
  const live = cases
    .filter((c) => !c.deleted && c.data !== null)
    .sort((a, b) => textOf(b.data?.number).localeCompare(textOf(a.data?.number)));
  return (
    <section data-testid="requests">
      <h2>{t('requests.title')}</h2>
      {live.length === 0 ? (
        <p class="hint">{t('requests.none')}</p>
      ) : (
        <ul class="plain">
          {live.map((c) => (
            <li key={c.key}>
              <a
                class="section-link"
                href={`/r/${c.recordId}`}
                data-testid="request-link"
                onClick={(e) => {
                  e.preventDefault();
                  router.getState().navigate(`/r/${c.recordId}`);
                }}
              >
                <bdi dir="ltr">{textOf(c.data?.number)}</bdi>{' '}
                {profile?.serviceTypes.find((s) => s.id === c.data?.serviceTypeId)?.label[lang] ?? ''}{' '}
                <span class="muted">{t(statusKey(c.data ?? {}))}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {mayOpen && intake !== null && profile !== undefined && (
        <button
          type="button"
          class="button"
          data-testid="new-request"
          onClick={() => {
            void intake.start(beneficiaryId).then((caseId) => {
              router.getState().navigate(`/r/${caseId}`);
            });
          }}
        >
          {profile.requestForm[lang]}
        </button>
      )}
    </section>
  );
}
