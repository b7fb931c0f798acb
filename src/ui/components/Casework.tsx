// What happens to a request after intake: its deadline against today (shown everywhere), the social
// research officer's report of a home visit (C-PROC-3), and the deciding body's decision with its reason
// (C-PROC-5, K-PROC-e). Each is saved on the device and synced like any other record: it works offline.
import { useState } from 'preact/hooks';
import { deadlineStatus, type Deadline } from '../../domain/deadline';
import type { PolicyProfile } from '../../domain/profiles/profile';
import { riyadhDate } from '../../domain/working-days';
import type { LocalRecord } from '../../db/database';
import type { Intake, IntakeResult, ReportInput, Request } from '../../state/intake';
import { useLive } from '../../state/use-live';
import { useLang, useWorkspace } from '../context';
import { useCaseworkT, type CaseworkKey } from '../i18n/casework';
import { textOf } from '../text';
import { Field, SelectField } from './Field';
import { AidFields, AidText, aidOf, noAid, type AidInput } from './AidFields';
import { reportError } from '../../state/error-report';
import { useDates } from '../dates';

/** Where a request stands against its reply deadline today, in working days (Riyadh). */
export function DeadlineState({
  deadline,
  holidays,
}: {
  deadline: Deadline | null;
  holidays: readonly string[];
}) {
  const t = useCaseworkT();
  const dates = useDates();
  if (deadline === null) return null;
  const where = deadlineStatus(deadline, riyadhDate(Date.now()), holidays);
  const date = <bdi>{dates.day(where.date, true)}</bdi>;
  switch (where.kind) {
    case 'replyNotBefore':
      return (
        <span class="deadline" data-deadline="notBefore">
          {t(where.reached ? 'deadline.replyDue' : 'deadline.notBefore')} {date}
        </span>
      );
    case 'onTime':
      return (
        <span class="deadline" data-deadline="onTime">
          {t('deadline.left', { days: where.workingDaysLeft })} ({date})
        </span>
      );
    case 'dueToday':
      return (
        <span class="deadline deadline--late" data-deadline="dueToday">
          {t('deadline.today')}
        </span>
      );
    case 'overdue':
      return (
        <span class="deadline deadline--late" data-deadline="overdue">
          {t('deadline.overdue', { days: where.workingDaysOverdue })} ({date})
        </span>
      );
  }
}

function Refusal({ result }: { result: IntakeResult | null }) {
  const t = useCaseworkT();
  if (result === null || result.ok) return null;
  return (
    <p class="error" role="alert" data-testid="casework-error">
      {t(`case.${result.code}` as CaseworkKey)}
      {result.missing.length > 0 &&
        `: ${result.missing.map((f) => t(`report.${f}` as CaseworkKey)).join('، ')}`}
    </p>
  );
}

const recommendations = ['accept', 'reject', 'more_information'] as const;

/** C-PROC-3: the research officer's report of a home visit, for a request awaiting research. */
export function ResearchForm({ intake, caseId }: { intake: Intake; caseId: string }) {
  const t = useCaseworkT();
  const [input, setInput] = useState<ReportInput>({
    visitDate: riyadhDate(Date.now()),
    findings: '',
    needs: '',
    recommendation: 'accept',
  });
  const [result, setResult] = useState<IntakeResult | null>(null);
  const set = (name: keyof ReportInput) => (value: string) => {
    setInput({ ...input, [name]: value });
  };
  return (
    <section class="card form" data-testid="research-form">
      <h2>{t('report.title')}</h2>
      <Field
        label={t('report.visitDate')}
        name="visitDate"
        type="date"
        dir="ltr"
        value={input.visitDate}
        onInput={set('visitDate')}
      />
      <Field label={t('report.findings')} name="findings" value={input.findings} onInput={set('findings')} />
      <Field label={t('report.needs')} name="needs" value={input.needs} onInput={set('needs')} />
      <SelectField
        label={t('report.recommendation')}
        name="recommendation"
        value={input.recommendation}
        options={recommendations.map((r) => ({ value: r, label: t(`report.recommend.${r}`) }))}
        onChange={(v) => {
          const chosen = recommendations.find((r) => r === v);
          if (chosen !== undefined) setInput({ ...input, recommendation: chosen });
        }}
      />
      <button
        type="button"
        class="button"
        onClick={() => {
          void intake.report(caseId, input).then(setResult);
        }}
      >
        {t('report.save')}
      </button>
      <Refusal result={result} />
    </section>
  );
}

/** The research report of a request, as its officer wrote it. */
export function ResearchReport({ reportId }: { reportId: string }) {
  const t = useCaseworkT();
  const { records } = useWorkspace();
  const report = useLive(
    () => records.get('research_report', reportId),
    [reportId],
    undefined as LocalRecord | undefined,
  );
  const data = report?.data;
  if (data === undefined || data === null) return <p class="hint card">{t('report.notHere')}</p>;
  const recommendation = recommendations.find((r) => r === data.recommendation);
  return (
    <section class="card" data-testid="research-report">
      <h2>{t('report.title')}</h2>
      <dl class="pairs">
        <dt>{t('report.visitDate')}</dt>
        <dd>
          <bdi dir="ltr">{textOf(data.visitDate)}</bdi>
        </dd>
        <dt>{t('report.findings')}</dt>
        <dd dir="auto">{textOf(data.findings)}</dd>
        <dt>{t('report.needs')}</dt>
        <dd dir="auto">{textOf(data.needs)}</dd>
        <dt>{t('report.recommendation')}</dt>
        <dd data-testid="recommendation">
          {recommendation === undefined ? '' : t(`report.recommend.${recommendation}`)}
        </dd>
      </dl>
    </section>
  );
}

/** C-PROC-5, K-PROC-e: the deciding body's decision, with its reason, for a researched request. */
export function DecisionForm({
  intake,
  caseId,
  profile,
}: {
  intake: Intake;
  caseId: string;
  profile: PolicyProfile;
}) {
  const t = useCaseworkT();
  const lang = useLang();
  const [outcome, setOutcome] = useState<'accepted' | 'rejected' | ''>('');
  const [reason, setReason] = useState('');
  const [grant, setGrant] = useState<AidInput>(noAid);
  const [result, setResult] = useState<IntakeResult | null>(null);
  return (
    <section class="card form" data-testid="decision-form">
      <h2>
        {t('decision.title')} — {profile.decidingBody[lang]}
      </h2>
      <SelectField
        label={t('decision.outcome')}
        name="outcome"
        value={outcome}
        placeholder={t('decision.choose')}
        options={[
          { value: 'accepted', label: t('case.status.accepted') },
          { value: 'rejected', label: t('case.status.rejected') },
        ]}
        onChange={(v) => {
          setOutcome(v === 'accepted' || v === 'rejected' ? v : '');
        }}
      />
      <Field label={t('decision.reason')} name="reason" value={reason} onInput={setReason} />
      {outcome === 'accepted' && <AidFields legend={t('aid.granted')} value={grant} onChange={setGrant} />}
      <button
        type="button"
        class="button"
        disabled={outcome === ''}
        onClick={() => {
          if (outcome === '') return;
          intake
            .decide(caseId, outcome, reason, outcome === 'accepted' ? aidOf(grant) : undefined)
            .then(setResult)
            .catch((error: unknown) => {
              reportError(error, 'decision');
            });
        }}
      >
        {t('decision.save')}
      </button>
      <Refusal result={result} />
    </section>
  );
}

/** The decision taken on a request, with its reason. */
export function DecisionTaken({ request }: { request: Request }) {
  const t = useCaseworkT();
  if (request.decision === null) return null;
  return (
    <section class="card" data-testid="decision">
      <h2>
        {t('decision.title')}: {t(`case.status.${request.decision.outcome}`)}
      </h2>
      <p dir="auto">{request.decision.reason}</p>
      <AidText aid={request.decision.grant} />
    </section>
  );
}
