// Complaints, suggestions and inquiries (K-CMPL-a..c): every member of staff records them, by every channel;
// the follow-up unit sees them all, the longest waiting first, answers (the response time is measured from
// receipt to the first answer), settles amicably or escalates to a compensation case (K-COMP-a..c), which
// it keeps with the committee. Offline like everything else; the website's complaints arrive by sync.
import { useState } from 'preact/hooks';
import { complaintKinds } from '../../domain/complaint-state';
import type { Compensation, Complaint } from '../../protocol/entities';
import { useProfile } from '../use-profile';
import type { PolicyProfile } from '../../domain/profiles/profile';
import { formatSaudiMobileLocal } from '../../domain/phone';
import { riyadhDate } from '../../domain/working-days';
import {
  compensationOf,
  type ComplaintItem,
  type ComplaintRefusal,
  type Complaints,
  type Compensations,
} from '../../state/complaints';
import { useLive } from '../../state/use-live';
import { Field, SelectField } from '../components/Field';
import { useLang, useWorkspace } from '../context';
import { useComplaintT, type ComplaintKey } from '../i18n/complaints';
import { durationText } from '../duration';
import { useComplaints } from '../use-complaints';
import { useDateStyle, useDates } from '../dates';

type Outcome = { ok: true } | { ok: false; code: ComplaintRefusal | 'missing'; missing?: readonly string[] };

function Refusal({ outcome }: { outcome: Outcome | null }) {
  const t = useComplaintT();
  if (outcome === null || outcome.ok) return null;
  const missing = outcome.missing ?? [];
  return (
    <p class="error" role="alert" data-testid="complaint-error">
      {outcome.code === 'missing'
        ? `${t('complaint.missing')}: ${missing.map((f) => t(`compensation.${f}` as ComplaintKey)).join('، ')}`
        : t(`complaint.${outcome.code}`)}
    </p>
  );
}

function channelLabel(
  profile: PolicyProfile | undefined,
  channel: string,
  lang: 'ar' | 'en',
  t: ReturnType<typeof useComplaintT>,
) {
  if (channel === 'public_form') return t('complaint.channel.public_form');
  return profile?.channels.find((c) => c.id === channel)?.label[lang] ?? channel;
}

function NewComplaint({ complaints }: { complaints: Complaints }) {
  const t = useComplaintT();
  const lang = useLang();
  const channels = useProfile()?.channels ?? [];
  const blank = {
    channel: channels[0]?.id ?? 'phone',
    kind: 'complaint' as Complaint['kind'],
    text: '',
    name: '',
    mobile: '',
  };
  const [form, setForm] = useState(blank);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [reference, setReference] = useState<string | null>(null);
  const set = (field: keyof typeof blank) => (value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
  };
  return (
    <details class="card form" data-testid="new-complaint">
      <summary>{t('complaint.new')}</summary>
      <SelectField
        label={t('complaint.channel')}
        name="channel"
        value={form.channel}
        options={channels.map((c) => ({ value: c.id, label: c.label[lang] }))}
        onChange={set('channel')}
      />
      <SelectField
        label={t('complaint.kind')}
        name="kind"
        value={form.kind}
        options={complaintKinds.map((k) => ({ value: k, label: t(`complaint.kind.${k}`) }))}
        onChange={(v) => {
          const kind = complaintKinds.find((k) => k === v);
          if (kind !== undefined) setForm((f) => ({ ...f, kind }));
        }}
      />
      <Field label={t('complaint.text')} name="text" value={form.text} onInput={set('text')} required />
      <Field label={t('complaint.name')} name="name" type="text" value={form.name} onInput={set('name')} />
      <Field
        label={t('complaint.mobile')}
        name="mobile"
        type="text"
        dir="ltr"
        value={form.mobile}
        onInput={set('mobile')}
      />
      <button
        type="button"
        class="button"
        onClick={() => {
          void complaints.record({ ...form, beneficiaryId: null }).then((result) => {
            setOutcome(result);
            if (result.ok) {
              setReference(result.reference ?? null);
              setForm(blank);
            }
          });
        }}
      >
        {t('complaint.save')}
      </button>
      <Refusal outcome={outcome} />
      {reference !== null && (
        <p role="status" data-testid="complaint-saved">
          {t('complaint.saved')} <bdi dir="ltr">{reference}</bdi>
        </p>
      )}
    </details>
  );
}

function Handling({ item, complaints }: { item: ComplaintItem; complaints: Complaints }) {
  const t = useComplaintT();
  const [note, setNote] = useState('');
  const [summary, setSummary] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const done = (result: Outcome) => {
    setOutcome(result);
    if (result.ok) {
      setNote('');
      setSummary('');
    }
  };
  return (
    <div class="form" data-testid="complaint-handling">
      <Field label={t('complaint.respond')} name="note" value={note} onInput={setNote} />
      <button
        type="button"
        class="button button--ghost"
        onClick={() => {
          void complaints.respond(item.id, note).then(done);
        }}
      >
        {t('complaint.saveResponse')}
      </button>
      <Field label={t('complaint.summary')} name="summary" value={summary} onInput={setSummary} />
      <div class="actions">
        <button
          type="button"
          class="button"
          onClick={() => {
            void complaints.resolve(item.id, 'amicable', summary).then(done);
          }}
        >
          {t('complaint.amicable')}
        </button>
        <button
          type="button"
          class="button button--ghost"
          onClick={() => {
            void complaints.resolve(item.id, 'escalated', summary).then(done);
          }}
        >
          {t('complaint.escalate')}
        </button>
      </div>
      <Refusal outcome={outcome} />
    </div>
  );
}

function CompensationFile({ id, compensations }: { id: string; compensations: Compensations }) {
  const t = useComplaintT();
  const dates = useDates();
  const { records } = useWorkspace();
  const file = useLive(
    async () => compensationOf(await records.get('compensation', id)) ?? null,
    [id],
    null as Compensation | null,
  );
  const [minutes, setMinutes] = useState({ date: riyadhDate(Date.now()), harm: '', size: '', causes: '' });
  const [member, setMember] = useState('');
  const [ruling, setRuling] = useState('');
  const [note, setNote] = useState('');
  const [terms, setTerms] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  if (file === null) return null;
  const editable = compensations.may && file.settlement === null;
  const after = (clear: () => void) => (result: Outcome) => {
    setOutcome(result);
    if (result.ok) clear();
  };
  const minuteField = (f: 'harm' | 'size' | 'causes') => (
    <Field
      label={t(`compensation.${f}`)}
      name={f}
      value={minutes[f]}
      onInput={(v) => {
        setMinutes((m) => ({ ...m, [f]: v }));
      }}
    />
  );
  return (
    <section class="card" data-testid="compensation">
      <h3>{t('compensation.title')}</h3>
      <h4>{t('compensation.minutes')}</h4>
      {file.minutes === null ? (
        editable && (
          <div class="form">
            <Field
              label={t('compensation.date')}
              name="date"
              type="date"
              dir="ltr"
              value={minutes.date}
              onInput={(v) => {
                setMinutes((m) => ({ ...m, date: v }));
              }}
            />
            {minuteField('harm')}
            {minuteField('size')}
            {minuteField('causes')}
            <button
              type="button"
              class="button"
              onClick={() => {
                void compensations.saveMinutes(id, minutes).then(after(() => undefined));
              }}
            >
              {t('compensation.saveMinutes')}
            </button>
          </div>
        )
      ) : (
        <dl class="pairs">
          <dt>{t('compensation.date')}</dt>
          <dd>
            <bdi>{dates.day(file.minutes.date)}</bdi>
          </dd>
          <dt>{t('compensation.harm')}</dt>
          <dd dir="auto">{file.minutes.harm}</dd>
          <dt>{t('compensation.size')}</dt>
          <dd dir="auto">{file.minutes.size}</dd>
          <dt>{t('compensation.causes')}</dt>
          <dd dir="auto">{file.minutes.causes}</dd>
          <dt>{t('compensation.approvals')}</dt>
          <dd data-testid="approvals">{file.minutes.approvals.map((a) => a.memberName).join('، ') || '—'}</dd>
        </dl>
      )}
      {file.minutes !== null && editable && (
        <div class="form">
          <Field
            label={t('compensation.memberName')}
            name="member"
            type="text"
            value={member}
            onInput={setMember}
          />
          <button
            type="button"
            class="button button--ghost"
            onClick={() => {
              void compensations.approve(id, member).then(
                after(() => {
                  setMember('');
                }),
              );
            }}
          >
            {t('compensation.approve')}
          </button>
        </div>
      )}
      {editable ? (
        <div class="form">
          <Field
            label={t('compensation.ruling')}
            name="ruling"
            type="text"
            value={ruling === '' ? (file.rulingReference ?? '') : ruling}
            onInput={setRuling}
          />
          <button
            type="button"
            class="button button--ghost"
            onClick={() => {
              void compensations.ruling(id, ruling).then(
                after(() => {
                  setRuling('');
                }),
              );
            }}
          >
            {t('compensation.saveRuling')}
          </button>
        </div>
      ) : (
        (file.rulingReference ?? '') !== '' && (
          <>
            <h4>{t('compensation.ruling')}</h4>
            <p dir="auto">{file.rulingReference}</p>
          </>
        )
      )}
      <h4>{t('compensation.negotiation')}</h4>
      <ol data-testid="negotiation">
        {file.negotiation.map((n) => (
          <li key={n.at}>
            <bdi>{dates.instant(n.at)}</bdi> — <span dir="auto">{n.note}</span>
          </li>
        ))}
      </ol>
      {editable && (
        <div class="form">
          <Field label={t('compensation.note')} name="negotiation" value={note} onInput={setNote} />
          <button
            type="button"
            class="button button--ghost"
            onClick={() => {
              void compensations.negotiate(id, note).then(
                after(() => {
                  setNote('');
                }),
              );
            }}
          >
            {t('compensation.addNote')}
          </button>
        </div>
      )}
      <h4>{t('compensation.settlement')}</h4>
      {file.settlement !== null ? (
        <p dir="auto" data-testid="settlement">
          {file.settlement.terms}
        </p>
      ) : (
        editable && (
          <div class="form">
            <Field label={t('compensation.terms')} name="terms" value={terms} onInput={setTerms} />
            <button
              type="button"
              class="button"
              onClick={() => {
                void compensations.settle(id, terms).then(
                  after(() => {
                    setTerms('');
                  }),
                );
              }}
            >
              {t('compensation.settle')}
            </button>
          </div>
        )
      )}
      <Refusal outcome={outcome} />
    </section>
  );
}

function ComplaintView({
  item,
  complaints,
  compensations,
}: {
  item: ComplaintItem;
  complaints: Complaints;
  compensations: Compensations;
}) {
  const t = useComplaintT();
  const dates = useDates();
  const lang = useLang();
  const profile = useProfile();
  const c = item.complaint;
  const time = durationText(item.waitedMs, useDateStyle());
  return (
    <details class="card" data-testid="complaint" data-reference={c.reference} data-state={item.state}>
      <summary>
        <bdi dir="ltr">{c.reference}</bdi> · {t(`complaint.kind.${c.kind}`)} ·{' '}
        <span class={`status status--${item.state}`}>{t(`complaint.state.${item.state}`)}</span> ·{' '}
        <span class="muted">
          {c.firstResponseAt === null
            ? t('complaint.waiting', { time })
            : t('complaint.answeredIn', { time })}
        </span>
      </summary>
      <p dir="auto">{c.text}</p>
      <dl class="pairs">
        <dt>{t('complaint.channel')}</dt>
        <dd>{channelLabel(profile, c.channel, lang, t)}</dd>
        {c.complainant != null && (
          <>
            <dt>{t('complaint.complainant')}</dt>
            <dd>
              <span dir="auto">{c.complainant.name ?? ''}</span>{' '}
              {c.complainant.mobile !== undefined && (
                <bdi dir="ltr">{formatSaudiMobileLocal(c.complainant.mobile)}</bdi>
              )}
            </dd>
          </>
        )}
      </dl>
      {(c.handling ?? []).length > 0 && (
        <>
          <h3>{t('complaint.handling')}</h3>
          <ol>
            {(c.handling ?? []).map((h) => (
              <li key={h.at}>
                <bdi>{dates.instant(h.at)}</bdi> — <span dir="auto">{h.note}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {c.resolution !== null && (
        <p dir="auto" data-testid="resolution">
          {c.resolution.summary}
        </p>
      )}
      {c.resolution === null && complaints.mayHandle && <Handling item={item} complaints={complaints} />}
      {c.compensationId != null && compensations.may && (
        <CompensationFile id={c.compensationId} compensations={compensations} />
      )}
    </details>
  );
}

export function ComplaintsScreen() {
  const t = useComplaintT();
  const dates = useDates();
  const handle = useComplaints();
  const items = useLive(
    () => handle?.complaints.list() ?? Promise.resolve(null),
    [handle],
    null as ComplaintItem[] | null,
  );
  if (handle === null || items === null) return <main class="page">…</main>;
  const { complaints, compensations, code } = handle;
  const open = items.filter((i) => i.complaint.resolution === null).length;
  return (
    <main class="page" data-testid="complaints">
      <h1>
        {t('complaint.title')} <span class="badge">{dates.number(open)}</span>
      </h1>
      <NewComplaint complaints={complaints} />
      {complaints.mayHandle && (
        <p class="card hint">
          {t('complaint.publicLink')} <bdi dir="ltr">{`${location.origin}/complaints/${code}`}</bdi>
        </p>
      )}
      {items.length === 0 && <p class="card hint">{t('complaint.none')}</p>}
      {items.map((item) => (
        <ComplaintView
          key={item.id}
          item={item}

          complaints={complaints}
          compensations={compensations}
        />
      ))}
    </main>
  );
}
