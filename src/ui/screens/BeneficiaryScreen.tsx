// One beneficiary: correct the name or mobile, their details and household, their requests, documents and
// contacts, and (for the supervisor and the committee) their rights requests.
import { useState } from 'preact/hooks';
import { mayOpenRequest } from '../../domain/permissions';
import { useProfile } from '../use-profile';
import { checkSaudiMobile, formatSaudiMobileLocal } from '../../domain/phone';
import type { LocalRecord } from '../../db/database';
import { useLive } from '../../state/use-live';
import { useStore } from '../../state/use-store';
import { ContactLog } from '../components/ContactLog';
import { AddressForm } from '../components/AddressForm';
import { Details } from '../components/Details';
import { Documents } from '../components/Documents';
import { Household } from '../components/Household';
import { RightsPanel } from '../components/RightsPanel';
import { IdCorrection } from '../components/IdCorrection';
import { SensitivePanel } from '../components/SensitivePanel';
import { useAppState, useLang, useT, useWorkspace } from '../context';
import { statusKey, useIntakeT } from '../i18n/intake';
import { textOf } from '../text';
import { useIntake } from '../use-intake';

export function BeneficiaryScreen({ id }: { id: string }) {
  const t = useT();
  const { records } = useWorkspace();
  const profile = useProfile();
  const record = useLive(() => records.get('beneficiary', id), [id], undefined as LocalRecord | undefined);
  const [edit, setEdit] = useState<{ fullName: string; mobile: string } | null>(null);
  const [mobileError, setMobileError] = useState(false);
  if (record?.deleted === true)
    return (
      <main class="page" data-testid="beneficiary-removed">
        {t('beneficiaries.removed')}
      </main>
    );
  if (record?.data === null || record === undefined) return <main class="page">{t('notFound')}</main>;
  const data = record.data;
  const current = edit ?? {
    fullName: textOf(data.fullName),
    mobile: formatSaudiMobileLocal(textOf(data.mobile)),
  };

  return (
    <main class="page">
      <h1 dir="auto" data-testid="beneficiary-name">
        {textOf(data.fullName)}
      </h1>
      <p class="muted">
        {t('beneficiaries.nationalId')}:{' '}
        <bdi dir="ltr" data-testid="beneficiary-national-id">
          {textOf(data.nationalId)}
        </bdi>
      </p>
      <form
        class="card form"
        data-testid="edit-form"
        onSubmit={(e) => {
          e.preventDefault();
          const phone = checkSaudiMobile(current.mobile);
          setMobileError(!phone.ok);
          if (!phone.ok) return;
          const patch: Record<string, unknown> = {};
          if (current.fullName.trim() !== data.fullName) patch.fullName = current.fullName.trim();
          if (phone.e164 !== data.mobile) patch.mobile = phone.e164;
          if (Object.keys(patch).length > 0) void records.save('beneficiary', id, patch);
          setEdit(null);
        }}
      >
        <label class="field">
          <span>{t('beneficiaries.fullName')}</span>
          <input
            name="fullName"
            dir="auto"
            value={current.fullName}
            onInput={(e) => {
              setEdit({ ...current, fullName: e.currentTarget.value });
            }}
          />
        </label>
        <label class="field">
          <span>{t('beneficiaries.mobile')}</span>
          <input
            name="mobile"
            dir="ltr"
            inputMode="tel"
            value={current.mobile}
            onInput={(e) => {
              setEdit({ ...current, mobile: e.currentTarget.value });
            }}
          />
          {mobileError && <span class="error">{t('error.phone')}</span>}
        </label>
        <button type="submit" class="button">
          {t('beneficiaries.save')}
        </button>
      </form>

      <IdCorrection person={record} />
      {profile !== undefined && <Details person={record} profile={profile} />}
      {profile !== undefined && <SensitivePanel person={record} profile={profile} />}
      <AddressForm person={record} />

      <Household beneficiaryId={id} />

      <Requests beneficiaryId={id} />

      <Documents beneficiaryId={id} />

      {profile !== undefined && <ContactLog person={record} profile={profile} />}

      <RightsPanel beneficiaryId={id} />
    </main>
  );
}

/** The beneficiary's requests, newest first, and the way to open a new one (representatives, researchers). */
function Requests({ beneficiaryId }: { beneficiaryId: string }) {
  const t = useIntakeT();
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
