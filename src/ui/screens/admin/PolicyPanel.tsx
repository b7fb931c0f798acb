// The association's policy as its own data: services with their criteria and requirements, categories, the
// declaration, the reply rule, contact officers (K-INFO-a) and the board's approval (C-APPROVAL), saved as
// a new version on the one it was edited from; and the holiday calendar. The server validates every save.
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_HOLIDAYS } from '../../../domain/holidays';
import { noticeOf } from '../../../domain/privacy-notice';
import type { PolicyProfile, ServiceType } from '../../../domain/profiles/profile';
import {
  ADMIN_PROFILE_PATH,
  PROFILE_PATH,
  profileHistorySchema,
  type ProfileVersion,
} from '../../../protocol/admin';
import { versionedProfileSchema, type VersionedProfileBody } from '../../../protocol/profile';
import * as z from 'zod/mini';
import { bindField, Field, SelectField } from '../../components/Field';
import { useLang, useWorkspace } from '../../context';
import { useConsoleT } from '../../i18n/console';
import { useLive } from '../../../state/use-live';
import type { LocalRecord } from '../../../db/database';
import { fieldErrors, useAdminApi, type Outcome } from './use-admin-api';
import { useDates } from '../../dates';

const savedSchema = z.object({ version: z.number() });
type Bilingual = { ar: string; en: string };

/** The next version of the privacy notice: today's date, with a counter when it changes twice a day. */
export function nextNoticeVersion(previous: string, today = new Date().toISOString().slice(0, 10)): string {
  if (!previous.startsWith(today)) return today;
  const n = Number(/\.(\d+)$/.exec(previous)?.[1] ?? '1');
  return `${today}.${String(n + 1)}`;
}

/** The reply rule told to the beneficiary, in the words of the policies' own reply clauses. */
export function ruleText(rule: PolicyProfile['deadlineRule']): Bilingual {
  if (rule.kind === 'notBefore')
    return {
      ar: `يُرفع طلبك للدراسة، ويُرد عليه بالقبول أو الرفض خلال مدة لا تقل عن (${String(rule.calendarDays)}) يومًا من تاريخ تقديمه.`,
      en: `Your request goes for study; the reply, acceptance or rejection, comes within no less than ${String(rule.calendarDays)} days from its submission.`,
    };
  return {
    ar: `يُعرض طلبك للدراسة، ويكون الرد خلال مدة لا تتجاوز (${String(rule.workingDays)}) يوم عمل من تاريخ اكتمال الطلب.`,
    en: `Your request goes for study; the reply comes within at most ${String(rule.workingDays)} working days from the date the request was complete.`,
  };
}

/** A lower-case id from a label: what the profile's ids look like (the server checks them again). */
const idFrom = (text: string, fallback: string) => {
  const id = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(id) ? id : `${fallback}_${String(Date.now() % 100000)}`;
};

function BilingualFields(props: {
  label: string;
  name: string;
  value: Bilingual;
  onInput: (value: Bilingual) => void;
  type?: 'text' | 'textarea';
}) {
  const t = useConsoleT();
  const type = props.type ?? 'text';
  return (
    <fieldset class="fieldset">
      <legend>{props.label}</legend>
      <Field
        label={t('policy.textAr')}
        name={`${props.name}-ar`}
        type={type}
        value={props.value.ar}
        onInput={(ar) => {
          props.onInput({ ...props.value, ar });
        }}
      />
      <Field
        label={t('policy.textEn')}
        name={`${props.name}-en`}
        type={type}
        dir="ltr"
        value={props.value.en}
        onInput={(en) => {
          props.onInput({ ...props.value, en });
        }}
      />
    </fieldset>
  );
}

function ServiceEditor({
  service,
  onChange,
  onRemove,
}: {
  service: ServiceType;
  onChange: (s: ServiceType) => void;
  onRemove: () => void;
}) {
  const t = useConsoleT();
  const lang = useLang();
  const lines = (text: string) => text.split('\n').map((l) => l.trim());
  const criteria = (ar: string, en: string) => {
    const a = lines(ar);
    const e = lines(en);
    return Array.from({ length: Math.max(a.length, e.length) }, (_, i) => ({
      ar: a[i] || e[i] || '',
      en: e[i] || a[i] || '',
    })).filter((c) => c.ar !== '');
  };
  return (
    <details class="card" data-testid="service" data-service={service.id}>
      <summary>
        <strong>{service.label[lang]}</strong>{' '}
        <bdi dir="ltr" class="muted">
          {service.id}
        </bdi>
      </summary>
      <BilingualFields
        label={t('policy.serviceName')}
        name={`service-${service.id}`}
        value={service.label}
        onInput={(label) => {
          onChange({ ...service, label });
        }}
      />
      <Field
        label={t('policy.criteriaAr')}
        name="criteria-ar"
        value={service.criteria.map((c) => c.ar).join('\n')}
        onInput={(ar) => {
          onChange({ ...service, criteria: criteria(ar, service.criteria.map((c) => c.en).join('\n')) });
        }}
      />
      <Field
        label={t('policy.criteriaEn')}
        name="criteria-en"
        dir="ltr"
        value={service.criteria.map((c) => c.en).join('\n')}
        onInput={(en) => {
          onChange({ ...service, criteria: criteria(service.criteria.map((c) => c.ar).join('\n'), en) });
        }}
      />
      <h4>{t('policy.requirements')}</h4>
      <ul class="plain">
        {service.requirements.map((r, i) => {
          const set = (next: Partial<typeof r>) => {
            onChange({
              ...service,
              requirements: service.requirements.map((x, j) => (j === i ? { ...x, ...next } : x)),
            });
          };
          return (
            <li key={r.id} class="requirement-row" data-requirement={r.id}>
              <Field
                label={t('policy.labelAr')}
                name="requirement-ar"
                type="text"
                value={r.label.ar}
                onInput={(ar) => {
                  set({ label: { ...r.label, ar } });
                }}
              />
              <Field
                label={t('policy.labelEn')}
                name="requirement-en"
                type="text"
                dir="ltr"
                value={r.label.en}
                onInput={(en) => {
                  set({ label: { ...r.label, en } });
                }}
              />
              <SelectField
                label={t('policy.kind')}
                name="requirement-kind"
                value={r.kind}
                onChange={(kind) => {
                  set({ kind: kind === 'field' ? 'field' : 'document' });
                }}
                options={[
                  { value: 'document', label: t('policy.kind.document') },
                  { value: 'field', label: t('policy.kind.field') },
                ]}
              />
              <button
                type="button"
                class="button button--ghost"
                onClick={() => {
                  onChange({ ...service, requirements: service.requirements.filter((_, j) => j !== i) });
                }}
              >
                {t('console.remove')}
              </button>
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        class="button button--ghost"
        data-action="add-requirement"
        onClick={() => {
          const n = service.requirements.length + 1;
          onChange({
            ...service,
            requirements: [
              ...service.requirements,
              {
                id: `document_${String(n)}_${String(Date.now() % 10000)}`,
                kind: 'document',
                label: { ar: '', en: '' },
              },
            ],
          });
        }}
      >
        {t('policy.addRequirement')}
      </button>
      <button type="button" class="button button--danger" onClick={onRemove}>
        {t('policy.removeService')}
      </button>
    </details>
  );
}

function OfficersEditor({
  profile,
  onChange,
}: {
  profile: PolicyProfile;
  onChange: (p: PolicyProfile) => void;
}) {
  const t = useConsoleT();
  const lang = useLang();
  const set = (i: number, next: Partial<PolicyProfile['contactOfficers'][number]>) => {
    onChange({
      ...profile,
      contactOfficers: profile.contactOfficers.map((o, j) => (j === i ? { ...o, ...next } : o)),
    });
  };
  /** An optional text: empty means absent (the schema refuses an empty string). */
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  return (
    <section class="card" data-testid="officers">
      <h3>{t('policy.officers')}</h3>
      {profile.contactOfficers.map((o, i) => (
        <fieldset key={o.id} class="fieldset" data-officer={o.id}>
          <legend>{o.title[lang]}</legend>
          <BilingualFields
            label={t('policy.officerTitle')}
            name={`officer-${o.id}-title`}
            value={o.title}
            onInput={(title) => {
              set(i, { title });
            }}
          />
          <Field
            label={t('policy.officerName')}
            name="officer-name"
            type="text"
            value={o.name ?? ''}
            onInput={(name) => {
              set(i, { name: optional(name) });
            }}
          />
          <Field
            label={t('policy.officerPhone')}
            name="officer-phone"
            type="text"
            dir="ltr"
            inputMode="numeric"
            value={o.phone ?? ''}
            onInput={(phone) => {
              set(i, { phone: optional(phone) });
            }}
          />
          <Field
            label={t('policy.officerHoursAr')}
            name="officer-hours-ar"
            type="text"
            value={o.hours?.ar ?? ''}
            onInput={(ar) => {
              const en = o.hours?.en ?? '';
              set(i, { hours: ar.trim() === '' && en === '' ? undefined : { ar, en: en || ar } });
            }}
          />
          <Field
            label={t('policy.officerHoursEn')}
            name="officer-hours-en"
            type="text"
            dir="ltr"
            value={o.hours?.en ?? ''}
            onInput={(en) => {
              const ar = o.hours?.ar ?? '';
              set(i, { hours: ar === '' && en.trim() === '' ? undefined : { ar: ar || en, en } });
            }}
          />
          <p>{t('policy.officerCategories')}</p>
          {profile.categories.map((c) => (
            <label key={c.id} class="check">
              <input
                type="checkbox"
                checked={o.categories.includes(c.id)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  set(i, {
                    categories: on ? [...o.categories, c.id] : o.categories.filter((x) => x !== c.id),
                  });
                }}
              />{' '}
              {c.label[lang]}
            </label>
          ))}
          <button
            type="button"
            class="button button--ghost"
            onClick={() => {
              onChange({ ...profile, contactOfficers: profile.contactOfficers.filter((_, j) => j !== i) });
            }}
          >
            {t('console.remove')}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        class="button button--ghost"
        onClick={() => {
          const first = profile.categories[0]?.id ?? '';
          onChange({
            ...profile,
            contactOfficers: [
              ...profile.contactOfficers,
              {
                id: `officer_${String(profile.contactOfficers.length + 1)}_${String(Date.now() % 10000)}`,
                categories: first === '' ? [] : [first],
                title: { ar: 'مسؤول التواصل', en: 'Contact officer' },
              },
            ],
            chapters: { ...profile.chapters, contactOfficers: true },
          });
        }}
      >
        {t('policy.addOfficer')}
      </button>
    </section>
  );
}

/** The holiday calendar: the defaults (Eids, National Day, Founding Day) and the association's own days. */
function Holidays() {
  const t = useConsoleT();
  const dates = useDates();
  const lang = useLang();
  const { records } = useWorkspace();
  const added = useLive(() => records.list('holiday'), [], [] as LocalRecord[]);
  const [form, setForm] = useState({ date: '', nameAr: '', nameEn: '' });
  const [done, setDone] = useState(false);
  const year = new Date().getFullYear();
  const defaults = DEFAULT_HOLIDAYS.filter((h) => h.date.startsWith(String(year)));
  return (
    <section class="card" data-testid="holidays">
      <h3>{t('policy.holidays')}</h3>
      <p class="hint">{t('policy.holidaysHint')}</p>
      <ul class="plain">
        {defaults.map((h) => (
          <li key={h.date} class="muted">
            <bdi dir="ltr">{h.date}</bdi> {lang === 'ar' ? h.nameAr : h.nameEn}
          </li>
        ))}
        {added
          .filter((r) => !r.deleted && r.data !== null)
          .map((r) => (
            <li key={r.recordId} data-holiday={String(r.data?.date)}>
              <bdi>{dates.day(String(r.data?.date), true)}</bdi>{' '}
              {String(lang === 'ar' ? r.data?.nameAr : r.data?.nameEn)}{' '}
              {/* The association's own day can go again (it then counts towards reply periods). */}
              <button
                type="button"
                class="button button--ghost button--small"
                data-action="remove-holiday"
                onClick={() => void records.remove('holiday', r.recordId)}
              >
                {t('console.remove')}
              </button>
            </li>
          ))}
      </ul>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void records
            .save('holiday', crypto.randomUUID(), {
              date: form.date,
              kind: 'other',
              nameAr: form.nameAr.trim(),
              nameEn: form.nameEn.trim() || form.nameAr.trim(),
            })
            .then(() => {
              setForm({ date: '', nameAr: '', nameEn: '' });
              setDone(true);
            });
        }}
      >
        <Field
          label={t('policy.holidayDate')}
          name="holiday-date"
          type="date"
          dir="ltr"
          required
          {...bindField(form, setForm, 'date')}
        />
        <Field
          label={t('policy.holidayNameAr')}
          name="holiday-ar"
          type="text"
          required
          {...bindField(form, setForm, 'nameAr')}
        />
        <Field
          label={t('policy.holidayNameEn')}
          name="holiday-en"
          type="text"
          dir="ltr"
          {...bindField(form, setForm, 'nameEn')}
        />
        <button type="submit" class="button">
          {t('policy.addHoliday')}
        </button>
        {done && (
          <p class="notice" role="status">
            {t('policy.holidayAdded')}
          </p>
        )}
      </form>
    </section>
  );
}

function SaveOutcome({
  outcome,
  onReload,
}: {
  outcome: Outcome<{ version: number }> | null;
  onReload: () => void;
}) {
  const t = useConsoleT();
  if (outcome === null) return null;
  if (outcome.ok)
    return (
      <p class="notice" role="status" data-testid="policy-saved" data-version={outcome.value.version}>
        {t('policy.savedVersion', { version: outcome.value.version })} {t('policy.notice')}
      </p>
    );
  const details: unknown = outcome.details;
  if (outcome.code === 'version_conflict') {
    const current: unknown =
      typeof details === 'object' && details !== null ? Reflect.get(details, 'currentVersion') : '';
    return (
      <p class="error" role="alert" data-code={outcome.code}>
        {t('policy.conflict', { version: String(current) })}{' '}
        <button type="button" class="button button--ghost" onClick={onReload}>
          {t('policy.reload')}
        </button>
      </p>
    );
  }
  if (outcome.code === 'open_work_stranded') {
    const requests: unknown =
      typeof details === 'object' && details !== null ? Reflect.get(details, 'requests') : [];
    const numbers = Array.isArray(requests)
      ? requests.map((r: unknown) =>
          String(typeof r === 'object' && r !== null ? Reflect.get(r, 'number') : r),
        )
      : [];
    return (
      <p class="error" role="alert" data-code={outcome.code}>
        {t('policy.stranded', { numbers: numbers.join('، ') })}
      </p>
    );
  }
  const fields = fieldErrors(details);
  return (
    <div class="error" role="alert" data-code={outcome.code}>
      <p>{fields.length > 0 ? t('policy.invalid') : t('console.failed', { message: outcome.message })}</p>
      <ul>
        {fields.map((f) => (
          <li key={f.path}>
            <bdi dir="ltr">{f.path}</bdi>: {f.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PolicyPanel() {
  const t = useConsoleT();
  const lang = useLang();
  const api = useAdminApi();
  const [base, setBase] = useState<VersionedProfileBody | null>(null);
  const [draft, setDraft] = useState<PolicyProfile | null>(null);
  const [history, setHistory] = useState<readonly ProfileVersion[]>([]);
  const [outcome, setOutcome] = useState<Outcome<{ version: number }> | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    void api.read(PROFILE_PATH, versionedProfileSchema).then((result) => {
      if (!result.ok) return;
      setBase(result.value);
      setDraft(result.value.profile);
    });
    void api.read(`${ADMIN_PROFILE_PATH}/versions`, profileHistorySchema).then((result) => {
      if (result.ok) setHistory(result.value.versions);
    });
  }, [attempt]);
  if (base === null || draft === null) return <p class="hint">…</p>;
  const save = async () => {
    // A reworded privacy notice is a new version of it: beneficiaries consent again at their next request.
    const before = noticeOf(base.profile);
    const after = noticeOf(draft);
    const profile: PolicyProfile =
      JSON.stringify(after.text) === JSON.stringify(before.text)
        ? draft
        : { ...draft, privacyNotice: { version: nextNoticeVersion(before.version), text: after.text } };
    if (JSON.stringify(profile) === JSON.stringify(base.profile)) {
      setOutcome({ ok: false, code: 'no_change', message: t('policy.noChange'), details: null });
      return;
    }
    const result = await api.write(
      'PUT',
      ADMIN_PROFILE_PATH,
      { baseVersion: base.version, profile },
      savedSchema,
    );
    setOutcome(result);
    if (result.ok) setAttempt((n) => n + 1);
  };
  const approval = draft.policy.approval;
  /** A new reply rule comes with its explanation in the same words (which the administrator may reword). */
  const setRule = (deadlineRule: PolicyProfile['deadlineRule']) => {
    setDraft({ ...draft, deadlineRule, deadlineText: ruleText(deadlineRule) });
  };
  return (
    <section data-testid="policy-editor" data-version={base.version}>
      <p class="hint">{t('policy.version', { version: base.version })}</p>
      <section class="card">
        <h3>{t('policy.services')}</h3>
        {draft.serviceTypes.map((s, i) => (
          <ServiceEditor
            key={s.id}
            service={s}
            onChange={(next) => {
              setDraft({ ...draft, serviceTypes: draft.serviceTypes.map((x, j) => (j === i ? next : x)) });
            }}
            onRemove={() => {
              setDraft({ ...draft, serviceTypes: draft.serviceTypes.filter((_, j) => j !== i) });
            }}
          />
        ))}
        <button
          type="button"
          class="button button--ghost"
          onClick={() => {
            const n = draft.serviceTypes.length + 1;
            setDraft({
              ...draft,
              serviceTypes: [
                ...draft.serviceTypes,
                {
                  id: idFrom('', `service_${String(n)}`),
                  label: { ar: `خدمة ${String(n)}`, en: `Service ${String(n)}` },
                  criteria: [],
                  requirements: [],
                },
              ],
            });
          }}
        >
          {t('policy.addService')}
        </button>
      </section>
      <section class="card">
        <h3>{t('policy.categories')}</h3>
        {draft.categories.map((c, i) => (
          <BilingualFields
            key={c.id}
            label={c.label[lang]}
            name={`category-${c.id}`}
            value={c.label}
            onInput={(label) => {
              setDraft({
                ...draft,
                categories: draft.categories.map((x, j) => (j === i ? { ...x, label } : x)),
              });
            }}
          />
        ))}
        <button
          type="button"
          class="button button--ghost"
          onClick={() => {
            const n = draft.categories.length + 1;
            setDraft({
              ...draft,
              categories: [
                ...draft.categories,
                {
                  id: idFrom('', `category_${String(n)}`),
                  label: { ar: `فئة ${String(n)}`, en: `Category ${String(n)}` },
                },
              ],
            });
          }}
        >
          {t('policy.addCategory')}
        </button>
      </section>
      <section class="card">
        <BilingualFields
          label={t('policy.declaration')}
          name="declaration"
          type="textarea"
          value={draft.declaration}
          onInput={(declaration) => {
            setDraft({ ...draft, declaration });
          }}
        />
      </section>
      <section class="card" data-testid="privacy-notice">
        <h3>{t('policy.notice.title', { version: noticeOf(base.profile).version })}</h3>
        <p class="hint">{t('policy.notice.hint')}</p>
        <BilingualFields
          label={t('policy.notice.text')}
          name="privacy-notice"
          type="textarea"
          value={noticeOf(draft).text}
          onInput={(text) => {
            setDraft({ ...draft, privacyNotice: { version: noticeOf(draft).version, text } });
          }}
        />
      </section>
      <section class="card" data-testid="reply-rule">
        <h3>{t('policy.reply')}</h3>
        <SelectField
          label={t('policy.reply')}
          name="reply-kind"
          value={draft.deadlineRule.kind}
          onChange={(kind) => {
            const days =
              draft.deadlineRule.kind === 'notBefore'
                ? draft.deadlineRule.calendarDays
                : draft.deadlineRule.workingDays;
            setRule(
              kind === 'notBefore'
                ? { kind: 'notBefore', calendarDays: days, from: 'submission' }
                : { kind: 'dueWithin', workingDays: days, from: 'completion' },
            );
          }}
          options={[
            { value: 'notBefore', label: t('policy.reply.notBefore') },
            { value: 'dueWithin', label: t('policy.reply.dueWithin') },
          ]}
        />
        <Field
          label={t('policy.days')}
          name="reply-days"
          type="text"
          dir="ltr"
          inputMode="numeric"
          value={String(
            draft.deadlineRule.kind === 'notBefore'
              ? draft.deadlineRule.calendarDays
              : draft.deadlineRule.workingDays,
          )}
          onInput={(value) => {
            const days = Math.max(1, Math.round(Number(value.replace(/[^0-9]/g, '')) || 1));
            setRule(
              draft.deadlineRule.kind === 'notBefore'
                ? { ...draft.deadlineRule, calendarDays: days }
                : { ...draft.deadlineRule, workingDays: days },
            );
          }}
        />
        <BilingualFields
          label={t('policy.replyText')}
          name="reply-text"
          type="textarea"
          value={draft.deadlineText}
          onInput={(deadlineText) => {
            setDraft({ ...draft, deadlineText });
          }}
        />
      </section>
      <OfficersEditor profile={draft} onChange={setDraft} />
      <section class="card">
        <h3>{t('policy.approval')}</h3>
        <Field
          label={t('policy.textVersion')}
          name="policy-version"
          type="text"
          dir="ltr"
          value={draft.policy.version}
          onInput={(version) => {
            setDraft({ ...draft, policy: { ...draft.policy, version } });
          }}
        />
        <Field
          label={t('policy.meeting')}
          name="approval-meeting"
          type="text"
          value={approval?.meeting ?? ''}
          onInput={(meeting) => {
            setDraft({
              ...draft,
              policy: {
                ...draft.policy,
                approval: meeting.trim() === '' ? null : { meeting, date: approval?.date ?? null },
              },
            });
          }}
        />
        <Field
          label={t('policy.approvalDate')}
          name="approval-date"
          type="date"
          dir="ltr"
          value={approval?.date ?? ''}
          onInput={(date) => {
            if (approval === null) return;
            setDraft({
              ...draft,
              policy: { ...draft.policy, approval: { ...approval, date: date === '' ? null : date } },
            });
          }}
        />
      </section>
      <div class="card actions">
        <button type="button" class="button" data-action="save-policy" onClick={() => void save()}>
          {t('policy.saveVersion')}
        </button>
      </div>
      <SaveOutcome
        outcome={outcome}
        onReload={() => {
          setOutcome(null);
          setAttempt((n) => n + 1);
        }}
      />
      <Holidays />
      <section class="card" data-testid="history">
        <h3>{t('policy.history')}</h3>
        <ul class="plain">
          {history.map((v) => (
            <li key={v.version}>
              {t('policy.historyLine', {
                version: v.version,
                date: v.changedAt.slice(0, 10),
                who: v.changedBy ?? t('policy.template'),
              })}
              {v.changes.length > 0 && (
                <span class="muted">
                  {' '}
                  · <bdi dir="ltr">{v.changes.join(', ')}</bdi>
                </span>
              )}
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
