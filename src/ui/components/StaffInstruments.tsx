// K-SAT-b..d: the satisfaction instruments a member of staff runs themselves, of those the association's
// policy names — the field survey at a beneficiary's home, the supervisory visit to a unit of the
// association, the interview. Each is answered on the device, offline too, in the branch concerned (the
// user's own, or for the supervisor the unit visited), and counted on the dashboard by instrument.
import { useState } from 'preact/hooks';
import { staffInstruments, type SurveyInstrument } from '../../domain/surveys';
import { reportError } from '../../state/error-report';
import { recordStaffAnswer, type Answers } from '../../state/satisfaction';
import { useStore } from '../../state/use-store';
import { useAppState, useLang, useWorkspace } from '../context';
import { useSatisfactionT } from '../i18n/satisfaction';
import { useProfile } from '../use-profile';
import { SelectField } from './Field';
import { SurveyQuestions } from './SurveyQuestions';

export function StaffInstruments() {
  const t = useSatisfactionT();
  const lang = useLang();
  const { session } = useAppState();
  const user = useStore(session.store, (s) => s.profile?.user);
  const profile = useProfile();
  if (user === undefined || profile === undefined) return null;
  const mine = staffInstruments(profile, user.role);
  if (mine.length === 0) return null;
  return (
    <section data-testid="staff-instruments">
      <h2>{t('instruments.title')}</h2>
      <p class="hint">{t('instruments.lead')}</p>
      {mine.map((instrument) => (
        <details key={instrument.id} class="card" data-instrument={instrument.method}>
          <summary>{instrument.title[lang]}</summary>
          <StaffSurvey instrument={instrument} ownBranch={user.branchId} />
        </details>
      ))}
    </section>
  );
}

function StaffSurvey({ instrument, ownBranch }: { instrument: SurveyInstrument; ownBranch: string | null }) {
  const t = useSatisfactionT();
  const lang = useLang();
  const { records, directory } = useWorkspace();
  const branches = useStore(directory.store, (s) => s.branches);
  const [answers, setAnswers] = useState<Answers>({});
  const [chosen, setChosen] = useState('');
  const [outcome, setOutcome] = useState<'saved' | 'unanswered' | 'noBranch' | null>(null);
  // Staff of one branch record in it; staff who serve every branch name the unit concerned.
  const branchId = ownBranch ?? chosen;
  return (
    <form
      class="form"
      data-testid="staff-survey"
      onSubmit={(e) => {
        e.preventDefault();
        if (branchId === '') {
          setOutcome('noBranch');
          return;
        }
        recordStaffAnswer(
          records,
          { instrument, branchId, answers },
          { now: () => Date.now(), newId: () => crypto.randomUUID() },
        ).then(
          (result) => {
            setOutcome(result.ok ? 'saved' : 'unanswered');
            if (result.ok) setAnswers({});
          },
          (error: unknown) => {
            // What was answered stays on screen.
            reportError(error, 'survey');
          },
        );
      }}
    >
      {ownBranch === null && (
        <SelectField
          label={t('instruments.branch')}
          name="branchId"
          value={chosen}
          onChange={setChosen}
          placeholder="—"
          options={branches.map((b) => ({ value: b.id, label: b.name[lang] }))}
        />
      )}
      <SurveyQuestions
        instrument={instrument}
        answers={answers}
        onAnswer={(id, value) => {
          setAnswers((a) => ({ ...a, [id]: value }));
          setOutcome(null);
        }}
      />
      {outcome !== null && (
        <p class={outcome === 'saved' ? 'done' : 'error'} role={outcome === 'saved' ? 'status' : 'alert'}>
          {outcome === 'saved' ? `✓ ${t('instruments.saved')}` : t(`instruments.${outcome}`)}
        </p>
      )}
      <button type="submit" class="button" data-testid="staff-survey-save">
        {t('instruments.save')}
      </button>
    </form>
  );
}
