// An instrument's questions as large choices (C-OBJ-5, K-SAT-a..d): a 1–5 scale with its words, yes or no,
// or free text. The beneficiary's kiosk and the staff's field instruments ask them the same way.
import { scaleLabels, type SurveyInstrument } from '../../domain/surveys';
import type { Answers } from '../../state/satisfaction';
import { useLang } from '../context';
import { useSatisfactionT } from '../i18n/satisfaction';

export function SurveyQuestions({
  instrument,
  answers,
  onAnswer,
}: {
  instrument: SurveyInstrument;
  answers: Answers;
  onAnswer: (id: string, value: number | string | boolean) => void;
}) {
  const t = useSatisfactionT();
  const lang = useLang();
  return (
    <>
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
                      onAnswer(q.id, i + 1);
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
                      onAnswer(q.id, v);
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
                onAnswer(q.id, e.currentTarget.value);
              }}
            />
          )}
        </fieldset>
      ))}
    </>
  );
}
