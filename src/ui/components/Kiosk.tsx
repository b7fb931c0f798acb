// Kiosk mode (C-OBJ-5, C-OBJ-6, K-SAT-a): after a service is delivered, the representative hands the tablet
// to the beneficiary. The screen is theirs alone — large, simple, in their language — it says that
// evaluating is their right and not for punishment, lets them answer without their name, and covers
// everything else. When they are done (or decline), the app locks: only the staff member's password opens
// it again, so the beneficiary never reaches anyone's records.
import { reportFailure } from '../../state/error-report';
import { useEffect, useRef, useState } from 'preact/hooks';
import { evaluationRight, postServiceQuestionnaire } from '../../domain/surveys';
import { recordSurveyAnswer, type Answers } from '../../state/satisfaction';
import { useAppState, useLang, useWorkspace } from '../context';
import { useSatisfactionT } from '../i18n/satisfaction';
import { SurveyQuestions } from './SurveyQuestions';

export interface KioskProps {
  caseId: string;
  beneficiaryId: string;
  serviceTypeId: string | null;
  branchId: string;
  /** The delivery's one-time ballot: one answer per delivery. */
  ballot: string;
}

export function Kiosk(props: KioskProps) {
  const t = useSatisfactionT();
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
      <SurveyQuestions instrument={instrument} answers={answers} onAnswer={answer} />
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
