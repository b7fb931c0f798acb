// "قياس رضا المستفيدين" (C-OBJ-5, C-OBJ-6, K-SAT-a). For field staff: the services they delivered on this
// device that wait for the beneficiary's rating, each handing the tablet over in kiosk mode (one answer per
// delivery, spending its ballot). For the supervisor: the results, as the server counts them.
import { useState } from 'preact/hooks';
import { recordKey, type LocalRecord } from '../../db/database';
import type { KeptBallots } from '../../state/ballots';
import { useLive } from '../../state/use-live';
import { useStore } from '../../state/use-store';
import { Kiosk, type KioskProps } from '../components/Kiosk';
import { StaffInstruments } from '../components/StaffInstruments';
import { useAppState, useLang, useWorkspace } from '../context';
import { useSatisfactionT } from '../i18n/satisfaction';
import { textOf } from '../text';
import { useDates } from '../dates';
import { useProfile } from '../use-profile';
import { DashboardScreen } from './DashboardScreen';

interface Waiting {
  request: LocalRecord;
  person: LocalRecord | undefined;
  ballot: string;
}

function KioskList() {
  const t = useSatisfactionT();
  const dates = useDates();
  const lang = useLang();
  const { records, ballots } = useWorkspace();
  const services = useProfile()?.serviceTypes ?? [];
  const [kiosk, setKiosk] = useState<KioskProps | null>(null);
  const waiting = useLive(
    async (): Promise<Waiting[]> => {
      const kept: KeptBallots = await ballots.waiting();
      const requests = await records.openMany(Object.keys(kept).map((id) => recordKey('case', id)));
      const people = await records.openMany(
        [...requests.values()].map((r) => recordKey('beneficiary', textOf(r.data?.beneficiaryId))),
      );
      return [...requests.values()]
        .filter((r) => r.data?.delivery != null)
        .map((request) => ({
          request,
          person: people.get(recordKey('beneficiary', textOf(request.data?.beneficiaryId))),
          ballot: kept[request.recordId]?.ballot ?? '',
        }))
        .sort((a, b) => deliveredAt(b).localeCompare(deliveredAt(a)));
    },
    [kiosk],
    [] as Waiting[],
  );
  if (kiosk !== null) return <Kiosk {...kiosk} />;
  return (
    <section>
      <h2>{t('satisfaction.waiting')}</h2>
      {waiting.length === 0 ? (
        <p class="card hint" data-testid="kiosk-none">
          {t('satisfaction.none')}
        </p>
      ) : (
        <ul class="plain" data-testid="kiosk-waiting">
          {waiting.map(({ request, person, ballot }) => (
            <li key={request.key} class="card">
              <p>
                <strong dir="auto">{textOf(person?.data?.fullName)}</strong>{' '}
                <bdi dir="ltr">{textOf(request.data?.number)}</bdi>
              </p>
              <p class="muted">
                {services.find((s) => s.id === request.data?.serviceTypeId)?.label[lang] ?? ''} ·{' '}
                {t('satisfaction.deliveredOn')} <bdi>{dates.instant(deliveredAt({ request }))}</bdi>
              </p>
              <button
                type="button"
                class="button"
                data-testid="kiosk-hand-over"
                onClick={() => {
                  setKiosk({
                    ballot,
                    caseId: request.recordId,
                    beneficiaryId: textOf(request.data?.beneficiaryId),
                    serviceTypeId: textOf(request.data?.serviceTypeId) || null,
                    branchId: textOf(person?.data?.branchId),
                  });
                }}
              >
                {t('satisfaction.handOver')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function deliveredAt({ request }: { request: LocalRecord }): string {
  const delivery = request.data?.delivery;
  return typeof delivery === 'object' && delivery !== null && 'at' in delivery ? textOf(delivery.at) : '';
}

export function SatisfactionScreen() {
  const t = useSatisfactionT();
  const { session } = useAppState();
  const role = useStore(session.store, (s) => s.profile?.user.role);
  // The supervisor reads the results; whoever delivers services hands the tablet over.
  if (role === 'supervisor') return <DashboardScreen part="satisfaction" before={<StaffInstruments />} />;
  return (
    <main class="page" data-testid="satisfaction-screen">
      <h1>{t('satisfaction.title')}</h1>
      <p class="hint">{t('satisfaction.lead')}</p>
      <KioskList />
      <StaffInstruments />
    </main>
  );
}
