// A lost or stolen device (L-BREACH), for the administrator: the report that opens its incident (and revokes
// it), and the incident itself — the 72-hour clock of the regulator's notification, what the device held, the
// affected beneficiaries and their export for the regulator, and the record that the regulator was notified.
// Everything is the server's: online only, like the rest of the console.
import { useEffect, useState } from 'preact/hooks';
import {
  breachClock,
  checkIncidentTimes,
  fromRiyadhLocal,
  riyadhLocalValue,
  type BreachClock,
} from '../../../domain/breach';
import {
  INCIDENT_NOTES_MAX,
  INCIDENTS_PATH,
  incidentDetailSchema,
  incidentExportSchema,
  incidentSchema,
  type IncidentDetail,
} from '../../../protocol/admin';
import { Field } from '../../components/Field';
import { ServerState } from '../../components/ServerState';
import { useLang } from '../../context';
import { useDates, useDateStyle } from '../../dates';
import { durationText } from '../../duration';
import { useConsoleT, type ConsoleKey } from '../../i18n/console';
import { oversightMessages, useOversightT, type OversightKey } from '../../i18n/oversight';
import { saveFile } from '../../save-file';
import { useServerRead } from '../../use-server-read';
import { fieldErrors, useAdminApi, type Outcome } from './use-admin-api';

/** Where an incident stands, in words. */
export const clockStateKey: Record<BreachClock['state'], ConsoleKey> = {
  open: 'incident.state.open',
  overdue: 'incident.state.overdue',
  notified: 'incident.state.notified',
};

const problemKeys: Record<string, ConsoleKey> = {
  aware_at_in_future: 'incident.problem.aware_at_in_future',
  notified_in_future: 'incident.problem.notified_in_future',
  notified_before_aware: 'incident.problem.notified_before_aware',
};

/** The clock's time, again every half minute: the time left is read at a glance. */
function useTicking(now: () => number): number {
  const [at, setAt] = useState(now);
  useEffect(() => {
    const timer = setInterval(() => {
      setAt(now());
    }, 30_000);
    return () => {
      clearInterval(timer);
    };
  }, [now]);
  return at;
}

/** A date and time in Riyadh, as the policy counts time: a `datetime-local` input. */
function RiyadhTimeField(props: {
  label: string;
  name: string;
  value: string;
  max: string;
  error: string | undefined;
  onInput: (value: string) => void;
}) {
  const errorId = `${props.name}-error`;
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        type="datetime-local"
        name={props.name}
        dir="ltr"
        required
        value={props.value}
        max={props.max}
        aria-invalid={props.error !== undefined}
        aria-describedby={props.error === undefined ? undefined : errorId}
        onInput={(e) => {
          props.onInput(e.currentTarget.value);
        }}
      />
      {props.error !== undefined && (
        <span class="error" role="alert" id={errorId}>
          {props.error}
        </span>
      )}
    </label>
  );
}

/** A refusal of the server, in words: a time the rules refuse by its own message, anything else as said. */
function Refusal({ outcome }: { outcome: Outcome<unknown> | null }) {
  const t = useConsoleT();
  if (outcome === null || outcome.ok) return null;
  const known = fieldErrors(outcome.details).flatMap((f) => {
    const key = problemKeys[f.message];
    return key === undefined ? [] : [t(key)];
  });
  return (
    <p class="error" role="alert" data-code={outcome.code}>
      {known.length > 0 ? known.join(' ') : t('console.failed', { message: outcome.message })}
    </p>
  );
}

/**
 * The time typed, checked as the server checks it; its problem in words, if any. Left as shown (now), it is not
 * sent: the server takes its own now.
 */
function timeProblem(
  value: string,
  shown: string,
  path: 'awareAt' | 'notifiedAt',
  now: number,
  t: ReturnType<typeof useConsoleT>,
  awareAt?: string,
): { at: string | null; problem: string | undefined } {
  if (value === shown) return { at: null, problem: undefined };
  const at = fromRiyadhLocal(value);
  if (at === null) return { at, problem: t('incident.badTime') };
  const [problem] = checkIncidentTimes({ [path]: at }, now, awareAt);
  return {
    at,
    problem: problem === undefined ? undefined : t(problemKeys[problem.message] ?? 'incident.badTime'),
  };
}

/**
 * "Report lost" on a device: when the association learnt of it (now, unless the administrator says earlier) and
 * what happened. Its form is built only once opened, so that a device's row holds one button (revoke) until then.
 */
export function ReportLost({
  deviceId,
  onOpened,
  now = Date.now,
}: {
  deviceId: string;
  /** The incident opened, or the device's existing one. */
  onOpened: (incidentId: string) => void;
  now?: () => number;
}) {
  const t = useConsoleT();
  const api = useAdminApi();
  const [open, setOpen] = useState(false);
  const [shown] = useState(() => riyadhLocalValue(now()));
  const [awareAt, setAwareAt] = useState(shown);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome<unknown> | null>(null);
  // Reported meanwhile (from another window): this form's notes were not kept; the existing one is offered.
  const [existing, setExisting] = useState<string | null>(null);
  const checked = timeProblem(awareAt, shown, 'awareAt', now(), t);
  const submit = async () => {
    setBusy(true);
    // Left as shown, the time is the server's "now"; changed, it is the administrator's.
    const body = {
      deviceId,
      notes: notes.trim(),
      ...(checked.at === null ? {} : { awareAt: checked.at }),
    };
    const result = await api.write('POST', INCIDENTS_PATH, body, incidentSchema);
    setBusy(false);
    if (result.ok) {
      onOpened(result.value.id);
      return;
    }
    const details = result.details;
    if (
      result.code === 'already_exists' &&
      typeof details === 'object' &&
      details !== null &&
      'incidentId' in details
    ) {
      setExisting(String(details.incidentId));
      return;
    }
    setOutcome(result);
  };
  return (
    <details
      data-testid="report-lost"
      onToggle={(e) => {
        setOpen(e.currentTarget.open);
      }}
    >
      <summary>{t('incident.reportLost')}</summary>
      {open && (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (checked.problem === undefined && notes.trim() !== '') void submit();
          }}
        >
          <p class="hint">{t('incident.reportHint')}</p>
          <RiyadhTimeField
            label={t('incident.awareAt')}
            name="awareAt"
            value={awareAt}
            max={riyadhLocalValue(now())}
            error={checked.problem}
            onInput={setAwareAt}
          />
          <Field
            label={t('incident.notes')}
            name="notes"
            required
            maxLength={INCIDENT_NOTES_MAX}
            value={notes}
            onInput={setNotes}
          />
          <button
            type="submit"
            class="button button--danger"
            disabled={busy || notes.trim() === '' || checked.problem !== undefined}
          >
            {t('incident.open')}
          </button>
          <Refusal outcome={outcome} />
          {existing !== null && (
            <p class="error" role="alert" data-code="already_exists">
              {t('incident.alreadyReported')}{' '}
              <button
                type="button"
                class="button"
                onClick={() => {
                  onOpened(existing);
                }}
              >
                {t('incident.openExisting')}
              </button>
            </p>
          )}
        </form>
      )}
    </details>
  );
}

/** The 72 hours: time left, or overdue, or when the regulator was notified. */
function Clock({ incident, now }: { incident: IncidentDetail['incident']; now: number }) {
  const t = useConsoleT();
  const dates = useDates();
  const style = useDateStyle();
  const { regulator } = incident;
  const clock = breachClock(
    { awareAt: incident.awareAt, regulatorNotifiedAt: regulator?.notifiedAt ?? null },
    now,
  );
  return (
    <section class="card" data-testid="incident-clock" data-state={clock.state}>
      <h3>{t('incident.clock')}</h3>
      {clock.state === 'open' && (
        <>
          <p>
            {/* The regulator's deadline is in hours (72): so is what is left of it. */}
            <strong>{t('incident.left', { duration: durationText(clock.leftMs, style, 'hours') })}</strong>
          </p>
          <p>{t('incident.deadline', { at: dates.instant(clock.deadline) })}</p>
        </>
      )}
      {clock.state === 'overdue' && (
        <>
          <p class="error">
            {t('incident.overdue', { duration: durationText(clock.overMs, style, 'hours') })}
          </p>
          <p>{t('incident.wasDue', { at: dates.instant(clock.deadline) })}</p>
        </>
      )}
      {clock.state === 'notified' && regulator !== null && (
        <>
          <p>
            <strong>
              {t('incident.notified', {
                at: dates.instant(clock.notifiedAt),
                duration: durationText(clock.afterMs, style),
              })}
            </strong>
            {clock.late && ` ${t('incident.notifiedLate')}`}
          </p>
          <p class="muted">
            {t('incident.recorded', { who: regulator.recordedBy, at: dates.instant(regulator.recordedAt) })}
          </p>
          {regulator.reference !== null && (
            <p>
              {t('incident.reference')} <bdi dir="ltr">{regulator.reference}</bdi>
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** Records that the regulator was notified: when (now, unless earlier), and its reference. */
function MarkNotified({
  incident,
  now,
  onDone,
}: {
  incident: IncidentDetail['incident'];
  now: () => number;
  onDone: () => void;
}) {
  const t = useConsoleT();
  const api = useAdminApi();
  const [shown] = useState(() => riyadhLocalValue(now()));
  const [notifiedAt, setNotifiedAt] = useState(shown);
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome<unknown> | null>(null);
  const checked = timeProblem(notifiedAt, shown, 'notifiedAt', now(), t, incident.awareAt);
  const submit = async () => {
    setBusy(true);
    const body = {
      ...(checked.at === null ? {} : { notifiedAt: checked.at }),
      ...(reference.trim() === '' ? {} : { reference: reference.trim() }),
    };
    const result = await api.write('POST', `${INCIDENTS_PATH}/${incident.id}/notified`, body, incidentSchema);
    setBusy(false);
    setOutcome(result);
    // Recorded now, or by someone else meanwhile: either way the incident is read again.
    if (result.ok || result.code === 'already_exists') onDone();
  };
  return (
    <form
      class="card form"
      data-testid="mark-notified"
      onSubmit={(e) => {
        e.preventDefault();
        if (checked.problem === undefined) void submit();
      }}
    >
      <h3>{t('incident.markTitle')}</h3>
      <RiyadhTimeField
        label={t('incident.notifiedAt')}
        name="notifiedAt"
        value={notifiedAt}
        max={riyadhLocalValue(now())}
        error={checked.problem}
        onInput={setNotifiedAt}
      />
      <Field
        label={t('incident.referenceField')}
        name="reference"
        type="text"
        dir="ltr"
        maxLength={200}
        value={reference}
        onInput={setReference}
      />
      <button type="submit" class="button" disabled={busy || checked.problem !== undefined}>
        {t('incident.mark')}
      </button>
      <Refusal outcome={outcome} />
    </form>
  );
}

/** What the device held: how many records, how many sensitive, by kind of record. */
function Held({ held }: { held: IncidentDetail['held'] }) {
  const t = useConsoleT();
  const entity = useEntityLabel();
  const dates = useDates();
  return (
    <section class="card" data-testid="incident-held">
      <h3>{t('incident.held')}</h3>
      <p>
        {t('incident.heldRecords', { records: held.records })} ·{' '}
        {t('incident.heldSensitive', { sensitive: held.sensitive })} ·{' '}
        {t('incident.heldNoOne', { count: held.aboutNoOne })}
      </p>
      {held.byEntity.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('incident.held')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('incident.entity')}</th>
                <th scope="col">{t('incident.records')}</th>
                <th scope="col">{t('incident.sensitive')}</th>
              </tr>
            </thead>
            <tbody>
              {held.byEntity.map((row) => (
                <tr key={row.entity} data-entity={row.entity}>
                  <th scope="row">{entity(row.entity)}</th>
                  <td>{dates.number(row.records)}</td>
                  <td>{dates.number(row.sensitive)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The records' names in the user's language, never the wire's ("household_member"). */
function useEntityLabel() {
  const t = useOversightT();
  return (entity: string) => {
    const key = `entity.${entity}`;
    return key in oversightMessages.ar ? t(key as OversightKey) : entity;
  };
}

/** The affected beneficiaries, and their export for the regulator (made by the server, audited there). */
function Beneficiaries({ detail }: { detail: IncidentDetail }) {
  const t = useConsoleT();
  const entity = useEntityLabel();
  const dates = useDates();
  const lang = useLang();
  const api = useAdminApi();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome<{ fileName: string }> | null>(null);
  const { beneficiaries } = detail;
  const title = t('incident.beneficiaries', { count: beneficiaries.length });
  const exportFile = async () => {
    setBusy(true);
    const result = await api.read(`${INCIDENTS_PATH}/${detail.incident.id}/export`, incidentExportSchema);
    setBusy(false);
    if (result.ok)
      saveFile(new Blob([result.value.csv], { type: 'text/csv;charset=utf-8' }), result.value.fileName);
    setOutcome(result);
  };
  return (
    <section class="card" data-testid="incident-beneficiaries">
      <h3>{title}</h3>
      <p class="hint">{t('incident.beneficiariesHint')}</p>
      {beneficiaries.length === 0 ? (
        <p>{t('incident.none')}</p>
      ) : (
        <>
          <div class="actions">
            <button
              type="button"
              class="button"
              data-testid="incident-export"
              disabled={busy}
              onClick={() => void exportFile()}
            >
              {t('incident.export')}
            </button>
          </div>
          {outcome?.ok === true && (
            <p class="hint" role="status" data-testid="incident-exported">
              {t('incident.exported', { name: outcome.value.fileName })}
            </p>
          )}
          <Refusal outcome={outcome} />
          {/* Wider than a phone: the table scrolls inside its region, which the keyboard reaches too. */}
          <div class="table-wrap" tabIndex={0} role="region" aria-label={title}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('incident.name')}</th>
                  <th scope="col">{t('incident.nationalId')}</th>
                  <th scope="col">{t('incident.mobile')}</th>
                  <th scope="col">{t('incident.dataHeld')}</th>
                  <th scope="col">{t('incident.sensitive')}</th>
                  <th scope="col">{t('incident.lastAt')}</th>
                </tr>
              </thead>
              <tbody>
                {beneficiaries.map((b) => (
                  <tr key={b.id} data-beneficiary={b.id}>
                    <th scope="row" dir="auto">
                      {b.fullName ?? <span class="muted">{t('incident.gone')}</span>}
                    </th>
                    <td>{b.nationalId === null ? '—' : <bdi dir="ltr">{b.nationalId}</bdi>}</td>
                    <td>{b.mobile === null ? '—' : <bdi dir="ltr">{b.mobile}</bdi>}</td>
                    <td>{b.entities.map(entity).join(lang === 'ar' ? '، ' : ', ')}</td>
                    <td>{b.sensitive ? <strong>{t('incident.yes')}</strong> : t('incident.no')}</td>
                    <td>
                      <bdi>{dates.instant(b.lastAt)}</bdi>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** One incident: who reported it and when, the clock, the notification's record, what was held, and whom. */
export function IncidentView({
  id,
  onBack,
  now = Date.now,
}: {
  id: string;
  onBack: () => void;
  now?: () => number;
}) {
  const t = useConsoleT();
  const admin = useOversightT();
  const dates = useDates();
  const at = useTicking(now);
  const [attempt, setAttempt] = useState(0);
  const read = useServerRead(
    (client, token) => client.read(token, `/admin/incidents/${encodeURIComponent(id)}`, incidentDetailSchema),
    `${id}/${String(attempt)}`,
  );
  const body = () => {
    if (read.state !== 'ready') return <ServerState read={read} offline={admin('admin.offline')} />;
    const detail = read.value;
    const { incident } = detail;
    return (
      <>
        <h2>
          {t('incident.title')} <bdi>{incident.deviceName}</bdi>
        </h2>
        <p>
          {t('incident.aware', { at: dates.instant(incident.awareAt) })} ·{' '}
          {t('incident.reported', { who: incident.reportedBy, at: dates.instant(incident.reportedAt) })}
        </p>
        <p dir="auto">{incident.notes}</p>
        <Clock incident={incident} now={at} />
        {incident.regulator === null && (
          <MarkNotified
            incident={incident}
            now={now}
            onDone={() => {
              setAttempt((n) => n + 1);
            }}
          />
        )}
        <Held held={detail.held} />
        <Beneficiaries detail={detail} />
      </>
    );
  };
  return (
    <section data-testid="incident" data-state={read.state}>
      <p>
        <button type="button" class="button button--ghost button--small" onClick={onBack}>
          {t('incident.back')}
        </button>
      </p>
      {body()}
    </section>
  );
}
