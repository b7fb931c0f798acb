// The supervisor's dashboard (issue 7; K-SAT-e/f, C-OBJ-5, K-PROC-f): the association's figures as the
// server counts them — deadlines kept by branch, satisfaction and its trend, complaint response times, the
// sync's health, the contact officers' load — as charts and tables, each table downloadable as CSV. The
// figures are counted on the server: offline, the screen says so instead of showing stale numbers.
import { useMemo } from 'preact/hooks';
import { useProfile } from '../use-profile';
import { dashboardSchema, type Dashboard } from '../../protocol/dashboard';
import { Chart, type ChartSpec } from '../components/Chart';
import { formatRiyals } from '../components/AidFields';
import { ServerState } from '../components/ServerState';
import { useLang } from '../context';
import { downloadCsv, type Cell } from '../csv';
import { useComplaintT, type ComplaintKey } from '../i18n/complaints';
import { oversightMessages, useOversightT, type OversightKey } from '../i18n/oversight';
import { useServerRead } from '../use-server-read';
import { instruments } from '../../domain/surveys';
import type { ComponentChildren } from 'preact';
import { useDateStyle, useDates } from '../dates';

/** A table with its CSV download. */
function Table({
  id,
  title,
  header,
  rows,
}: {
  id: string;
  title: string;
  header: readonly OversightKey[];
  rows: readonly (readonly Cell[])[];
}) {
  const t = useOversightT();
  const labels = header.map((h) => t(h));
  // Figures in the digits of the screen (the CSV keeps them plain, for spreadsheets).
  const { number } = useDates();
  const shown = (cell: Cell) => (cell === null ? '—' : typeof cell === 'number' ? number(cell) : cell);
  return (
    // A table wider than a phone scrolls sideways: the keyboard can reach it too.
    <div class="table-wrap" data-testid={`table-${id}`} tabIndex={0} role="region" aria-label={title}>
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            {labels.map((l) => (
              <th key={l} scope="col">
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) =>
                j === 0 ? (
                  <th key={j} scope="row" dir="auto">
                    {shown(cell)}
                  </th>
                ) : (
                  <td key={j}>
                    <bdi dir="ltr">{shown(cell)}</bdi>
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        class="button button--ghost"
        data-testid={`csv-${id}`}
        onClick={() => {
          downloadCsv(`wasel-${id}`, labels, rows);
        }}
      >
        {t('dashboard.csv')}
      </button>
    </div>
  );
}

/** The aid tables' columns, after the one they are counted by. */
const aidHeader = (by: OversightKey): OversightKey[] => [
  by,
  'dashboard.acceptedRequests',
  'dashboard.granted',
  'dashboard.handedOver',
];

function Figures({ dashboard, part }: { dashboard: Dashboard; part: DashboardPart }) {
  const t = useOversightT();
  const ct = useComplaintT();
  const lang = useLang();
  const numbers = useDateStyle();
  const dates = useDates();
  const profile = useProfile();
  // The records' names in the user's language, never the wire's ("beneficiary").
  const entityLabel = (entity: string) => {
    const key = `entity.${entity}`;
    return key in oversightMessages.ar ? t(key as OversightKey) : entity;
  };
  const service = (id: string) => profile?.serviceTypes.find((s) => s.id === id)?.label[lang] ?? id;
  const { deadlines, satisfaction: sat, complaints, sync } = dashboard;
  const deadlineChart = useMemo<ChartSpec>(
    () => ({
      kind: 'stacked',
      groups: deadlines.map((d) => d.branch[lang]),
      series: [
        { label: t('dashboard.onTime'), values: deadlines.map((d) => d.onTime), color: '#0b6b4f' },
        { label: t('dashboard.open'), values: deadlines.map((d) => d.open), color: '#7fb8a4' },
        { label: t('dashboard.late'), values: deadlines.map((d) => d.late), color: '#d98c00' },
        { label: t('dashboard.overdue'), values: deadlines.map((d) => d.overdue), color: '#a4161a' },
      ],
    }),
    [deadlines, lang],
  );
  const trend = useMemo<ChartSpec>(
    () => ({
      kind: 'line',
      points: sat.byMonth.map((m) => m.month),
      values: sat.byMonth.map((m) => m.mean),
      color: '#0b6b4f',
      range: [1, 5],
    }),
    [sat.byMonth],
  );
  const satisfaction = (
    <section class="card" data-testid="satisfaction">
      <h2>{t('dashboard.satisfaction')}</h2>
      <p class="big-figures">
        <span data-testid="satisfaction-mean">
          {t('dashboard.mean')}: <bdi dir="ltr">{sat.mean === null ? '—' : dates.number(sat.mean)}</bdi>
        </span>{' '}
        <span data-testid="satisfaction-responses">
          {t('dashboard.responses')}: <bdi dir="ltr">{dates.number(sat.responses)}</bdi> (
          {t('dashboard.anonymous')} <bdi dir="ltr">{dates.number(sat.anonymous)}</bdi>)
        </span>
      </p>
      {sat.byMonth.length > 0 && <Chart spec={trend} title={t('dashboard.chartTrend')} />}
      <Table
        id="satisfaction-month"
        title={t('dashboard.month')}
        header={['dashboard.month', 'dashboard.responses', 'dashboard.mean']}
        rows={sat.byMonth.map((m) => [m.month, m.responses, m.mean])}
      />
      <Table
        id="satisfaction-branch"
        title={t('dashboard.branch')}
        header={['dashboard.branch', 'dashboard.responses', 'dashboard.mean']}
        rows={sat.byBranch.map((b) => [b.branch[lang], b.responses, b.mean])}
      />
      <Table
        id="satisfaction-service"
        title={t('dashboard.service')}
        header={['dashboard.service', 'dashboard.responses', 'dashboard.mean']}
        rows={sat.byService.map((s) => [service(s.serviceTypeId), s.responses, s.mean])}
      />
      <Table
        id="satisfaction-method"
        title={t('dashboard.instrument')}
        header={['dashboard.instrument', 'dashboard.responses', 'dashboard.mean']}
        rows={sat.byMethod.map((m) => [
          instruments.find((i) => i.method === m.method)?.title[lang] ?? m.method,
          m.responses,
          m.mean,
        ])}
      />
      <Table
        id="satisfaction-staff"
        title={t('dashboard.representative')}
        header={['dashboard.representative', 'dashboard.responses', 'dashboard.mean']}
        rows={sat.byRepresentative.map((r) => [r.name, r.responses, r.mean])}
      />
    </section>
  );
  if (part === 'satisfaction') return satisfaction;
  return (
    <>
      <section class="card" data-testid="deadlines">
        <h2>{t('dashboard.deadlines')}</h2>
        {deadlines.length > 0 && <Chart spec={deadlineChart} title={t('dashboard.chartDeadlines')} />}
        <Table
          id="deadlines"
          title={t('dashboard.deadlines')}
          header={[
            'dashboard.branch',
            'dashboard.onTime',
            'dashboard.late',
            'dashboard.open',
            'dashboard.overdue',
            'dashboard.withoutDueDate',
          ]}
          rows={deadlines.map((d) => [d.branch[lang], d.onTime, d.late, d.open, d.overdue, d.withoutDueDate])}
        />
      </section>
      {satisfaction}
      <section class="card" data-testid="aid-figures">
        <h2>{t('dashboard.aid')}</h2>
        <p class="big-figures">
          <span data-testid="aid-granted">
            {t('dashboard.granted')}:{' '}
            <bdi dir="ltr">{formatRiyals(dashboard.aid.total.granted, numbers)}</bdi>
          </span>{' '}
          <span data-testid="aid-handed">
            {t('dashboard.handedOver')}:{' '}
            <bdi dir="ltr">{formatRiyals(dashboard.aid.total.handedOver, numbers)}</bdi>
          </span>
        </p>
        <Table
          id="aid-service"
          title={t('dashboard.service')}
          header={aidHeader('dashboard.service')}
          rows={dashboard.aid.byService.map((s) => [
            service(s.serviceTypeId),
            s.requests,
            s.granted,
            s.handedOver,
          ])}
        />
        <Table
          id="aid-branch"
          title={t('dashboard.branch')}
          header={aidHeader('dashboard.branch')}
          rows={dashboard.aid.byBranch.map((b) => [b.branch[lang], b.requests, b.granted, b.handedOver])}
        />
        <Table
          id="aid-month"
          title={t('dashboard.month')}
          header={aidHeader('dashboard.month')}
          rows={dashboard.aid.byMonth.map((m) => [m.month, m.requests, m.granted, m.handedOver])}
        />
      </section>
      <section class="card" data-testid="complaints-figures">
        <h2>{t('dashboard.complaints')}</h2>
        <Table
          id="complaints"
          title={t('dashboard.complaints')}
          header={[
            'dashboard.total',
            'dashboard.openComplaints',
            'dashboard.amicable',
            'dashboard.escalated',
            'dashboard.medianHours',
            'dashboard.p90Hours',
          ]}
          rows={[
            [
              complaints.total,
              complaints.open,
              complaints.amicable,
              complaints.escalated,
              complaints.medianResponseHours,
              complaints.p90ResponseHours,
            ],
          ]}
        />
        <Table
          id="complaints-kind"
          title={t('dashboard.kind')}
          header={['dashboard.kind', 'dashboard.total', 'dashboard.openComplaints']}
          rows={complaints.byKind.map((k) => [
            ct(`complaint.kind.${k.kind}` as ComplaintKey),
            k.total,
            k.open,
          ])}
        />
      </section>
      <section class="card" data-testid="sync-figures">
        <h2>{t('dashboard.sync')}</h2>
        <Table
          id="sync"
          title={t('dashboard.sync')}
          header={['dashboard.entity', 'dashboard.conflicts', 'dashboard.rejected']}
          rows={[
            ...sync.byEntity.map((e) => [entityLabel(e.entity), e.conflicts, e.rejected]),
            [t('dashboard.total'), sync.conflicts, sync.rejected],
          ]}
        />
      </section>
      {dashboard.contactOfficers.length > 0 && (
        <section class="card" data-testid="officers">
          <h2>{t('dashboard.officers')}</h2>
          <Table
            id="officers"
            title={t('dashboard.officers')}
            header={['dashboard.officer', 'dashboard.beneficiaries', 'dashboard.openRequests']}
            rows={dashboard.contactOfficers.map((o) => [o.title[lang], o.beneficiaries, o.openRequests])}
          />
        </section>
      )}
    </>
  );
}

/** The whole dashboard, or one part of it (the satisfaction section's results). */
type DashboardPart = 'all' | 'satisfaction';

export function DashboardScreen({
  part = 'all',
  before,
}: {
  part?: DashboardPart;
  /** Shown above the figures: what the reader does on this screen themselves (a supervisory visit). */
  before?: ComponentChildren;
}) {
  const t = useOversightT();
  const dates = useDates();
  const read = useServerRead((api, token) => api.read(token, '/dashboard', dashboardSchema));
  return (
    <main class="page" data-testid="dashboard" data-state={read.state}>
      <h1>{t(part === 'satisfaction' ? 'dashboard.satisfaction' : 'dashboard.title')}</h1>
      {before}
      {read.state === 'ready' ? (
        <>
          <p class="muted">{t('dashboard.asOf', { date: dates.day(read.value.today) })}</p>
          <Figures dashboard={read.value} part={part} />
        </>
      ) : (
        <ServerState read={read} offline={t('dashboard.offline')} />
      )}
    </main>
  );
}
