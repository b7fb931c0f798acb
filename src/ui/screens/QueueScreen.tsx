// The research officer's and the deciding body's queues (C-PROC-3, C-PROC-5, K-PROC-e): requests waiting
// for them, longest waiting first, each with its deadline against today; read from the device, offline.
import { useState } from 'preact/hooks';
import { loadQueue, type QueueKind, type QueuePage } from '../../state/queues';
import { useLive } from '../../state/use-live';
import { useStore } from '../../state/use-store';
import { DeadlineState } from '../components/Casework';
import { useAppState, useLang, useWorkspace } from '../context';
import { useBeneficiaryT } from '../i18n/beneficiary';
import { useCaseworkT } from '../i18n/casework';
import { useIntake } from '../use-intake';

const PAGE = 50;

export function QueueScreen({ kind }: { kind: QueueKind }) {
  const t = useCaseworkT();
  const bt = useBeneficiaryT();
  const lang = useLang();
  const { router, session } = useAppState();
  const { records } = useWorkspace();
  const me = useStore(session.store, (s) => s.profile?.user.id);
  const intake = useIntake();
  const [limit, setLimit] = useState(PAGE);
  const page = useLive(
    () => loadQueue(records, kind, limit, me),
    [kind, limit, me],
    null as QueuePage | null,
  );
  if (page === null || intake === null) return <main class="page">…</main>;
  return (
    <main class="page" data-testid="queue" data-kind={kind}>
      <h1>
        {t(`queue.${kind}`)} <span class="badge">{page.total}</span>
      </h1>
      {page.total === 0 && <p class="card hint">{t('queue.empty')}</p>}
      <ul class="plain">
        {page.items.map((item) => (
          <li key={item.caseId}>
            <a
              class="section-link"
              href={`/r/${item.caseId}`}
              data-testid="queue-item"
              onClick={(e) => {
                e.preventDefault();
                router.getState().navigate(`/r/${item.caseId}`);
              }}
            >
              <span dir="auto">{item.name}</span> <bdi dir="ltr">{item.number}</bdi>{' '}
              {item.assignedToMe && (
                <span class="badge badge--info" data-testid="assigned-to-me">
                  {t(item.status === 'draft' ? 'queue.assignedDraft' : 'queue.assigned')}
                </span>
              )}{' '}
              <span class="muted">
                {intake.profile.serviceTypes.find((s) => s.id === item.serviceTypeId)?.label[lang] ?? ''}
              </span>{' '}
              <DeadlineState deadline={item.deadline} holidays={intake.holidays} />
            </a>
          </li>
        ))}
      </ul>
      {page.items.length < page.total && (
        <button
          type="button"
          class="button button--ghost"
          onClick={() => {
            setLimit((n) => n + PAGE);
          }}
        >
          {bt('list.more')}
        </button>
      )}
    </main>
  );
}
