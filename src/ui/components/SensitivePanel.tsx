// L-SENSITIVE: the profile's sensitive fields (health data in Awn's and Qalb's policies, "parents unknown" in
// orphan programmes), entered and read only by the roles the profile names. Other roles never see this panel,
// and their devices never receive the data: the server leaves it out of what they pull, and an export made
// for them says it was withheld. Every read of it on the server is audited as sensitive.
import { useState } from 'preact/hooks';
import type { PolicyProfile } from '../../domain/profiles/profile';
import type { LocalRecord } from '../../db/database';
import { reportError } from '../../state/error-report';
import { useStore } from '../../state/use-store';
import { useAppState, useLang, useWorkspace } from '../context';
import { fill } from '../i18n/i18n';
import { Field } from './Field';

type Words = { ar: string; en: string };

const labels: Record<string, Words> = {
  medical_condition: { ar: 'الحالة الصحية', en: 'Medical condition' },
  treatment_history: { ar: 'التاريخ العلاجي', en: 'Treatment history' },
  medical_report: { ar: 'ملخص التقرير الطبي', en: 'Medical report (summary)' },
  parents_unknown: { ar: 'مجهول الأبوين (وصف الحالة)', en: 'Parents unknown (the circumstances)' },
};

const words = {
  ar: {
    title: 'بيانات حساسة',
    note: 'لا يطلع عليها إلا {roles}؛ لا تصل إلى أجهزة غيرهم، ويُسجَّل كل اطلاع عليها.',
    save: 'حفظ البيانات الحساسة',
    saved: 'حُفظت.',
  },
  en: {
    title: 'Sensitive data',
    note: 'Seen only by {roles}; it never reaches other staff’s devices, and every read is logged.',
    save: 'Save the sensitive data',
    saved: 'Saved.',
  },
};

const roleWords: Record<string, Words> = {
  researcher: { ar: 'مسؤول البحث الاجتماعي', en: 'the social researcher' },
  committee: { ar: 'لجنة البحث', en: 'the research committee' },
  supervisor: { ar: 'المشرف', en: 'the supervisor' },
  representative: { ar: 'مندوب الفرع', en: 'the branch representative' },
  admin: { ar: 'مدير النظام', en: 'the administrator' },
};

export function SensitivePanel({ person, profile }: { person: LocalRecord; profile: PolicyProfile }) {
  const lang = useLang();
  const w = words[lang];
  const { session } = useAppState();
  const { records } = useWorkspace();
  const role = useStore(session.store, (s) => s.profile?.user.role);
  const held = (person.data?.sensitive ?? {}) as Record<string, unknown>;
  const [values, setValues] = useState<Record<string, string> | null>(null);
  const [saved, setSaved] = useState(false);
  const { fields, roles } = profile.sensitive;
  if (role === undefined || !roles.includes(role) || fields.length === 0) return null;
  const current =
    values ?? Object.fromEntries(fields.map((f) => [f, typeof held[f] === 'string' ? held[f] : '']));
  return (
    <details class="card" data-testid="sensitive">
      <summary>{w.title}</summary>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          const sensitive = Object.fromEntries(
            Object.entries(current)
              .map(([f, v]) => [f, v.trim()] as const)
              .filter(([, v]) => v !== ''),
          );
          records
            .save('beneficiary', person.recordId, { sensitive })
            .then(() => {
              setValues(null);
              setSaved(true);
            })
            .catch((error: unknown) => {
              reportError(error, 'sensitive data');
            });
        }}
      >
        <p class="hint">{fill(w.note, { roles: roles.map((r) => roleWords[r]?.[lang] ?? r).join('، ') })}</p>
        {fields.map((f) => (
          <Field
            key={f}
            label={labels[f]?.[lang] ?? f}
            name={`sensitive-${f}`}
            value={current[f] ?? ''}
            maxLength={4000}
            onInput={(value) => {
              setSaved(false);
              setValues({ ...current, [f]: value });
            }}
          />
        ))}
        <button type="submit" class="button" data-testid="sensitive-save">
          {w.save}
        </button>
        {saved && (
          <p class="done" role="status" data-testid="sensitive-saved">
            {w.saved}
          </p>
        )}
      </form>
    </details>
  );
}
