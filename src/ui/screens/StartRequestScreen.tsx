// "طلب دعم مستفيد", the representative's main job: find the beneficiary (or register them), then start
// their request — or continue one already open for them rather than opening a duplicate. Offline, from the
// device's own records.
import { useEffect, useState } from 'preact/hooks';
import { queryTokens } from '../../domain/arabic-search';
import { mayOpenRequest } from '../../domain/permissions';
import type { LocalRecord } from '../../db/database';
import { reportError, reportFailure } from '../../state/error-report';
import { useLive } from '../../state/use-live';
import { useStore } from '../../state/use-store';
import { useAppState, useLang, useWorkspace } from '../context';
import { useFieldT } from '../i18n/field';
import { useCaseworkT, type CaseworkKey } from '../i18n/casework';
import { textOf } from '../text';
import { useIntake } from '../use-intake';
import { RegisterForm } from './BeneficiariesScreen';
import { SearchBox } from '../components/Field';

/** People listed at a time, found or recent. */
const SHOWN = 12;
/** Where a request is still being worked on: what "continue" offers. */
const finished = new Set(['rejected', 'delivered', 'closed']);

function Chosen({ person, onOther }: { person: LocalRecord; onOther: () => void }) {
  const t = useFieldT();
  const it = useCaseworkT();
  const lang = useLang();
  const { router } = useAppState();
  const { records } = useWorkspace();
  const intake = useIntake();
  const [starting, setStarting] = useState(false);
  const cases = useLive(
    () => records.listOf('case', person.recordId),
    [person.recordId],
    [] as LocalRecord[],
  );
  const open = cases.filter((c) => !c.deleted && c.data !== null && !finished.has(textOf(c.data.status)));
  const go = (caseId: string) => {
    router.getState().navigate(`/r/${caseId}`);
  };
  return (
    <section class="card" data-testid="start-chosen">
      <h2>
        {t('start.for')} <bdi dir="auto">{textOf(person.data?.fullName)}</bdi>{' '}
        <bdi dir="ltr" class="muted">
          {textOf(person.data?.nationalId)}
        </bdi>
      </h2>
      {open.length > 0 && (
        <>
          <p>{t('start.open')}</p>
          <ul class="plain">
            {open.map((c) => (
              <li key={c.key}>
                <a
                  class="section-link"
                  href={`/r/${c.recordId}`}
                  data-testid="start-resume"
                  onClick={(e) => {
                    e.preventDefault();
                    go(c.recordId);
                  }}
                >
                  {t('start.resume')} <bdi dir="ltr">{textOf(c.data?.number)}</bdi>{' '}
                  {intake?.profile.serviceTypes.find((s) => s.id === c.data?.serviceTypeId)?.label[lang] ??
                    ''}{' '}
                  <span class="muted">{it(`case.status.${textOf(c.data?.status)}` as CaseworkKey)}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="actions">
        <button
          type="button"
          class="button"
          data-testid="start-new"
          disabled={intake === null || starting}
          onClick={() => {
            if (intake === null) return;
            setStarting(true);
            intake
              .start(person.recordId)
              .then(go)
              .catch((error: unknown) => {
                setStarting(false);
                reportError(error, 'new request');
              });
          }}
        >
          {t('start.new')}
        </button>
        <button type="button" class="button button--ghost" onClick={onOther}>
          {t('start.other')}
        </button>
      </div>
    </section>
  );
}

export function StartRequestScreen() {
  const t = useFieldT();
  const { session } = useAppState();
  const { records } = useWorkspace();
  const role = useStore(session.store, (s) => s.profile?.user.role);
  const [query, setQuery] = useState('');
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  // The request's screen is where this leads: its code loads while the user finds the beneficiary.
  useEffect(() => {
    reportFailure(import('./RequestScreen'), 'request-screen');
  }, []);
  const found = useLive(
    async () => {
      if (queryTokens(query).length === 0) return (await records.page('beneficiary', SHOWN)).records;
      const result = await records.search('beneficiary', query, SHOWN);
      return result.kind === 'results' ? result.records : null;
    },
    [query],
    [] as LocalRecord[] | null,
  );
  const chosen = useLive(
    async () => (chosenId === null ? undefined : records.get('beneficiary', chosenId)),
    [chosenId],
    undefined as LocalRecord | undefined,
  );
  if (role !== undefined && !mayOpenRequest(role))
    return (
      <main class="page">
        <h1>{t('start.title')}</h1>
        <p class="card hint">{t('start.notAllowed')}</p>
      </main>
    );
  return (
    <main class="page" data-testid="start-request">
      <h1>{t('start.title')}</h1>
      {chosen !== undefined && chosen.data !== null && chosenId !== null ? (
        <Chosen
          person={chosen}
          onOther={() => {
            setChosenId(null);
          }}
        />
      ) : (
        <>
          <p class="hint">{t('start.lead')}</p>
          <SearchBox label={t('start.search')} testId="start-search" value={query} onInput={setQuery} />
          {queryTokens(query).length === 0 && found !== null && found.length > 0 && (
            <h2>{t('start.recent')}</h2>
          )}
          {found === null ? (
            <p class="hint">{t('start.tooShort')}</p>
          ) : found.length === 0 ? (
            query !== '' && <p class="hint">{t('start.noMatch')}</p>
          ) : (
            <ul class="plain" data-testid="start-people">
              {found.map((r) => (
                <li key={r.key}>
                  <button
                    type="button"
                    class="section-link section-link--button"
                    data-testid="start-person"
                    onClick={() => {
                      setChosenId(r.recordId);
                    }}
                  >
                    <span dir="auto">{textOf(r.data?.fullName)}</span>{' '}
                    <bdi dir="ltr" class="muted">
                      {textOf(r.data?.nationalId)}
                    </bdi>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {registering ? (
            <RegisterForm
              onSaved={(id) => {
                setRegistering(false);
                setChosenId(id);
              }}
            />
          ) : (
            <button
              type="button"
              class="button button--ghost"
              data-testid="start-register"
              onClick={() => {
                setRegistering(true);
              }}
            >
              {t('start.registerNew')}
            </button>
          )}
        </>
      )}
    </main>
  );
}
