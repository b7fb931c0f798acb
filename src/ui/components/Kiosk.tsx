// Kiosk mode (C-OBJ-5, C-OBJ-6, K-SAT-a): after a service is delivered, the representative hands the tablet
// to the beneficiary. The screen is theirs alone — large, simple, in their language — it says that
// evaluating is their right and not for punishment, lets them answer without their name, and covers
// everything else. When they are done (or decline), the app locks: only the staff member's password opens
// it again, so the beneficiary never reaches anyone's records.
import { reportFailure } from '../../state/error-report';
import { useEffect, useRef, useState } from 'preact/hooks';
import { evaluationRight, postServiceQuestionnaire, scaleLabels } from '../../domain/surveys';
import { recordSurveyAnswer, type Answers } from '../../state/satisfaction';
import { useAppState, useLang, useWorkspace } from '../context';
import { useIntakeT } from '../i18n/intake';

export interface KioskProps {
  caseId: string;
  beneficiaryId: string;
  serviceTypeId: string | null;
  branchId: string;
  /** The delivery's one-time ballot: one answer per delivery. */
  ballot: string;
}

export function Kiosk(props: KioskProps) {
  const t = useIntakeT();
  const lang = useLang();
  const { session } = useAppState();
  const { records, ballots } = useWorkspace();
  const instrument = postServiceQuestionnaire();
  const [answers, setAnswers] = useState<Answers>({});
  const [anonymous, setAnonymous] = useState(true);
  const [phase, setPhase] = useState<'asking' | 'unanswered' | 'thanks' | 'declined'>('asking');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [phase]);
  // The screen is the beneficiary's alone: the staff header and the page behind are hidden, not just covered.
  useEffect(() => {
    document.documentElement.classList.add('kiosk-mode');
    window.scrollTo(0, 0);
    return () => {
      document.documentElement.classList.remove('kiosk-mode');
    };
  }, []);
  const answer = (id: string, value: number | string | boolean) => {
    setAnswers((a) => ({ ...a, [id]: value }));
  };
  const send = async () => {
    const result = await recordSurveyAnswer(
      records,
      { instrument, ...props, anonymous, answers },
      { now: () => Date.now(), newId: () => crypto.randomUUID() },
    );
    if (result.ok) await ballots.drop(props.caseId);
    setPhase(result.ok ? 'thanks' : 'unanswered');
  };

  if (phase === 'thanks' || phase === 'declined')
    return (
      <div class="kiosk" role="dialog" aria-modal="true" aria-labelledby="kiosk-title" data-testid="kiosk">
        <h1 id="kiosk-title" tabIndex={-1} ref={heading} data-testid="kiosk-done">
          {t(phase === 'thanks' ? 'kiosk.thanks' : 'kiosk.declined')}
        </h1>
        <button
          type="button"
          class="button kiosk-big"
          data-testid="kiosk-give-back"
          onClick={() => void session.lock({ passwordOnly: true })}
        >
          {t('kiosk.giveBack')}
        </button>
      </div>
    );

  return (
    <div class="kiosk" role="dialog" aria-modal="true" aria-labelledby="kiosk-title" data-testid="kiosk">
      <h1 id="kiosk-title" tabIndex={-1} ref={heading}>
        {t('kiosk.title')}
      </h1>
      <p class="kiosk-right" data-testid="kiosk-right">
        {evaluationRight[lang]}
      </p>
      {instrument.questions.map((q) => (
        <fieldset key={q.id} class="kiosk-question" data-question={q.id}>
          <legend>{q.text[lang]}</legend>
          {q.scale === '1-5' && (
            <div class="kiosk-scale">
              {scaleLabels.map((label, i) => (
                <label key={i} class={answers[q.id] === i + 1 ? 'kiosk-choice chosen' : 'kiosk-choice'}>
                  <input
                    type="radio"
                    name={q.id}
                    value={i + 1}
                    checked={answers[q.id] === i + 1}
                    onChange={() => {
                      answer(q.id, i + 1);
                    }}
                  />
                  <span class="kiosk-number" dir="ltr">
                    {i + 1}
                  </span>
                  <span>{label[lang]}</span>
                </label>
              ))}
            </div>
          )}
          {q.scale === 'yes-no' && (
            <div class="kiosk-scale">
              {[true, false].map((v) => (
                <label key={String(v)} class={answers[q.id] === v ? 'kiosk-choice chosen' : 'kiosk-choice'}>
                  <input
                    type="radio"
                    name={q.id}
                    checked={answers[q.id] === v}
                    onChange={() => {
                      answer(q.id, v);
                    }}
                  />
                  <span>{t(v ? 'kiosk.yes' : 'kiosk.no')}</span>
                </label>
              ))}
            </div>
          )}
          {q.scale === 'text' && (
            <textarea
              name={q.id}
              aria-label={q.text[lang]}
              dir="auto"
              value={typeof answers[q.id] === 'string' ? String(answers[q.id]) : ''}
              onInput={(e) => {
                answer(q.id, e.currentTarget.value);
              }}
            />
          )}
        </fieldset>
      ))}
      <label class="kiosk-anonymous">
        <input
          type="checkbox"
          name="anonymous"
          checked={anonymous}
          onChange={(e) => {
            setAnonymous(e.currentTarget.checked);
          }}
        />{' '}
        {t('kiosk.anonymous')}
      </label>
      {phase === 'unanswered' && (
        <p class="error" role="alert">
          {t('kiosk.unanswered')}
        </p>
      )}
      <div class="actions">
        <button type="button" class="button kiosk-big" data-testid="kiosk-send" onClick={() => void send()}>
          {t('kiosk.send')}
        </button>
        <button
          type="button"
          class="button button--ghost kiosk-big"
          onClick={() => {
            setPhase('declined');
            reportFailure(ballots.drop(props.caseId));
          }}
        >
          {t('kiosk.decline')}
        </button>
      </div>
      <p class="muted">{t('kiosk.lockNote')}</p>
    </div>
  );
}
