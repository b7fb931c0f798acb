// The representative's worklist (C-GOAL, C-OBJ-4): what needs attention today, most urgent first, each
// entry opening the beneficiary or the request concerned. Read from the device: it works offline.
import { riyadhDate } from '../../domain/working-days';
import { useState } from 'preact/hooks';
import { useLive } from '../../state/use-live';
import { loadWorklist, workOrder, type WorkItem, type WorklistPage } from '../../state/worklist';
import { Reminder, remindable } from '../components/Reminder';
import { useAppState, useWorkspace } from '../context';
import { useDates } from '../dates';
import { useFieldT } from '../i18n/field';
import { useIntake } from '../use-intake';

/** Items shown at first, and added by "more". */
const PAGE = 50;

export function WorklistScreen() {
  const t = useFieldT();
  const { router } = useAppState();
  const { records } = useWorkspace();
  const today = riyadhDate(Date.now());
  // The same holiday table the requests' deadlines were computed with.
  const intake = useIntake();
  const holidays = intake?.holidays;
  const [limit, setLimit] = useState(PAGE);
  const dates = useDates();
  // The one item whose reminder is open.
  const [reminding, setReminding] = useState<string | null>(null);
  // Read through the agenda index: only the records shown are opened, however many the device holds.
  const page = useLive(
    () => loadWorklist(records, { today, holidays: holidays ?? [], limit }),
    [today, holidays, limit],
    null as WorklistPage | null,
  );
  if (page === null) return <main class="page">…</main>;
  const hrefOf = (item: WorkItem) =>
    item.caseId === null ? `/b/${item.beneficiaryId}` : `/r/${item.caseId}`;
  return (
    <main class="page" data-testid="worklist">
      <h1>{t('worklist.title')}</h1>
      {page.total === 0 && <p class="card hint">{t('worklist.empty')}</p>}
      {workOrder.map((kind) => {
        const ofKind = page.items.filter((i) => i.kind === kind);
        if (page.counts[kind] === 0) return null;
        return (
          <section key={kind} data-kind={kind}>
            <h2>
              {t(`worklist.${kind}`)} <span class="badge">{page.counts[kind]}</span>
            </h2>
            <ul class="plain">
              {ofKind.map((item) => {
                const key = `${item.kind}:${item.caseId ?? item.beneficiaryId}:${item.date ?? ''}`;
                return (
                  <li key={key} class="work-item">
                    <a
                      class="section-link"
                      href={hrefOf(item)}
                      data-testid="work-item"
                      onClick={(e) => {
                        e.preventDefault();
                        router.getState().navigate(hrefOf(item));
                      }}
                    >
                      <span dir="auto">{item.name}</span>{' '}
                      {item.number !== null && <bdi dir="ltr">{item.number}</bdi>}{' '}
                      {item.date !== null && <bdi class="muted">{dates.day(item.date)}</bdi>}
                    </a>
                    {remindable.has(item.kind) && (
                      <button
                        type="button"
                        class="button button--ghost button--small"
                        data-testid="remind"
                        aria-expanded={reminding === key}
                        onClick={() => {
                          setReminding(reminding === key ? null : key);
                        }}
                      >
                        {t(reminding === key ? 'remind.close' : 'remind.open')}
                      </button>
                    )}
                    {reminding === key && <Reminder item={item} />}
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
      {page.items.length < page.total && (
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setLimit((n) => n + PAGE);
          }}
        >
          {t('worklist.more', { count: page.total - page.items.length })}
        </button>
      )}
    </main>
  );
}
