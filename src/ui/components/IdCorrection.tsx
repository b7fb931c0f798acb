// The national ID, corrected (issue 20): shown on the beneficiary's page, and changed only by a correction
// that says from what and why, in its maker's name. The server refuses a change of ID without one; the
// record's history keeps every correction.
import { useState } from 'preact/hooks';
import { checkNationalId } from '../../domain/national-id';
import type { LocalRecord } from '../../db/database';
import { reportError } from '../../state/error-report';
import { useLang, useWorkspace } from '../context';
import { textOf } from '../text';
import { fill } from '../i18n/i18n';
import { Field } from './Field';

const words = {
  ar: {
    correct: 'تصحيح رقم الهوية',
    newId: 'رقم الهوية الصحيح',
    reason: 'سبب التصحيح',
    save: 'حفظ التصحيح',
    bad: 'رقم الهوية غير صحيح: 10 أرقام تبدأ بـ 1 أو 2.',
    same: 'هذا هو الرقم المسجّل نفسه.',
    noReason: 'اكتب سبب التصحيح.',
    last: 'صُحّح من {from}: {reason}',
  },
  en: {
    correct: 'Correct the national ID',
    newId: 'The right national ID',
    reason: 'Why it is corrected',
    save: 'Save the correction',
    bad: 'Not a valid national ID: 10 digits starting with 1 or 2.',
    same: 'This is the ID already recorded.',
    noReason: 'Say why it is corrected.',
    last: 'Corrected from {from}: {reason}',
  },
};

export function IdCorrection({ person }: { person: LocalRecord }) {
  const lang = useLang();
  const w = words[lang];
  const { records, userId } = useWorkspace();
  const current = textOf(person.data?.nationalId);
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const last = person.data?.idCorrection as { from?: string; reason?: string } | undefined;
  return (
    <details class="card" data-testid="id-correction">
      <summary>{w.correct}</summary>
      {last?.from !== undefined && (
        <p class="hint" data-testid="id-corrected">
          {fill(w.last, { from: last.from, reason: last.reason ?? '' })}
        </p>
      )}
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          const id = checkNationalId(value);
          if (!id.ok) {
            setProblem(w.bad);
            return;
          }
          if (id.value === current) {
            setProblem(w.same);
            return;
          }
          if (reason.trim() === '') {
            setProblem(w.noReason);
            return;
          }
          setProblem(null);
          records
            .save('beneficiary', person.recordId, {
              nationalId: id.value,
              idCorrection: {
                from: current,
                reason: reason.trim(),
                by: userId,
                at: new Date().toISOString(),
              },
            })
            .then(() => {
              setValue('');
              setReason('');
            })
            .catch((error: unknown) => {
              reportError(error, 'national ID correction');
            });
        }}
      >
        <Field
          label={w.newId}
          name="correctedId"
          type="text"
          dir="ltr"
          inputMode="numeric"
          value={value}
          onInput={setValue}
        />
        <Field label={w.reason} name="correctionReason" value={reason} onInput={setReason} maxLength={500} />
        {problem !== null && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="button" data-testid="id-correction-save">
          {w.save}
        </button>
      </form>
    </details>
  );
}
