// The representative's worklist (C-GOAL, C-OBJ-4): what needs attention today, most urgent first, each
// entry opening the beneficiary or the request concerned. Read from the device: it works offline.
import { riyadhDate } from '../../domain/working-days';
import type { LocalRecord } from '../../db/database';
import { useLive } from '../../state/use-live';
import { workOrder, worklistOf, type WorkItem } from '../../state/worklist';
import { useAppState, useWorkspace } from '../context';
import { useIntakeT } from '../i18n/intake';
import { textOf } from '../text';
import { useIntake } from '../use-intake';

/** Entries shown per kind; the rest are counted. */
const PER_KIND = 50;

export function WorklistScreen() {
  const t = useIntakeT();
  const { router } = useAppState();
  const { records } = useWorkspace();
  const today = riyadhDate(Date.now());
  // The same holiday table the requests' deadlines were computed with.
  const intake = useIntake();
  const data = useLive(
    async () => {
      const [beneficiaries, cases, interactions, notifications] = await Promise.all([
        records.list('beneficiary'),
        records.list('case'),
        records.list('interaction'),
        records.list('notification'),
      ]);
      return { beneficiaries, cases, interactions, notifications };
    },
    [],
    null as {
      beneficiaries: LocalRecord[];
      cases: LocalRecord[];
      interactions: LocalRecord[];
      notifications: LocalRecord[];
    } | null,
  );
  if (data === null) return <main class="page">…</main>;
  const items = worklistOf({
    ...data,
    today,
    holidays: intake?.holidays ?? [],
  });
  const names = new Map(data.beneficiaries.map((b) => [b.recordId, textOf(b.data?.fullName)]));
  const numbers = new Map(data.cases.map((c) => [c.recordId, textOf(c.data?.number)]));
  const open = (item: WorkItem) => {
    router.getState().navigate(item.caseId === null ? `/b/${item.beneficiaryId}` : `/r/${item.caseId}`);
  };
  return (
    <main class="page" data-testid="worklist">
      <h1>{t('worklist.title')}</h1>
      {items.length === 0 && <p class="card hint">{t('worklist.empty')}</p>}
      {workOrder.map((kind) => {
        const ofKind = items.filter((i) => i.kind === kind);
        if (ofKind.length === 0) return null;
        return (
          <section key={kind} data-kind={kind}>
            <h2>
              {t(`worklist.${kind}`)} <span class="badge">{ofKind.length}</span>
            </h2>
            <ul class="plain">
              {ofKind.slice(0, PER_KIND).map((item) => (
                <li key={`${item.kind}:${item.caseId ?? item.beneficiaryId}:${item.date ?? ''}`}>
                  <a
                    class="section-link"
                    href={item.caseId === null ? `/b/${item.beneficiaryId}` : `/r/${item.caseId}`}
                    data-testid="work-item"
                    onClick={(e) => {
                      e.preventDefault();
                      open(item);
                    }}
                  >
                    <span dir="auto">{names.get(item.beneficiaryId) ?? ''}</span>{' '}
                    {item.caseId !== null && <bdi dir="ltr">{numbers.get(item.caseId)}</bdi>}{' '}
                    {item.date !== null && (
                      <bdi dir="ltr" class="muted">
                        {item.date}
                      </bdi>
                    )}
                  </a>
                </li>
              ))}
            </ul>
            {ofKind.length > PER_KIND && (
              <p class="hint">{t('worklist.more', { count: ofKind.length - PER_KIND })}</p>
            )}
          </section>
        );
      })}
    </main>
  );
}
