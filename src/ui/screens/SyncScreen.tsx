// Sync details: when it last worked, conflicts side by side (choose), changes the server refused (with
// the reason), and how much storage this device uses.
import { describeRefusal, fieldLabel } from '../refusals';
import { reportFailure } from '../../state/error-report';
import { useEffect, useState } from 'preact/hooks';
import type { ConflictEntry, RejectedEntry } from '../../db/database';
import { LOCK_AFTER_CHOICES } from '../../state/preferences';
import { useLive } from '../../state/use-live';
import { useStore } from '../../state/use-store';
import { checkNationalId } from '../../domain/national-id';
import { normalizeSaudiMobile } from '../../domain/phone';
import { useAppState, useLang, useT, useWorkspace } from '../context';
import { caseworkMessages, useCaseworkT, type CaseworkKey } from '../i18n/casework';
import { useRequestT } from '../i18n/request';
import { textOf } from '../text';
import { numberLocale, useDateStyle, useDates } from '../dates';

const show = (value: unknown) =>
  value === undefined || value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

function Conflict({ entry }: { entry: ConflictEntry }) {
  const t = useT();
  const { records } = useWorkspace();
  const mine = entry.mutation.patch;
  return (
    <li class="card" data-testid="conflict">
      <table class="compare">
        <thead>
          <tr>
            <th>{t('sync.field')}</th>
            <th>{t('sync.mine')}</th>
            <th>{t('sync.server')}</th>
          </tr>
        </thead>
        <tbody>
          {entry.conflict.fields.map((field) => (
            <tr key={field}>
              <td>{field}</td>
              <td dir="auto" data-testid="conflict-mine">
                {show(mine[field])}
              </td>
              <td dir="auto" data-testid="conflict-server">
                {show(entry.conflict.server[field])}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        <button
          type="button"
          class="button button--small"
          onClick={() => {
            // Mine wins: a new change on top of the server's current version, then the conflict is done.
            const patch = Object.fromEntries(entry.conflict.fields.map((f) => [f, mine[f]]));
            void records
              .save(entry.entity, entry.recordId, patch)
              .then(() => records.dismissConflict(entry.id ?? -1));
          }}
        >
          {t('sync.useMine')}
        </button>
        <button
          type="button"
          class="button button--ghost button--small"
          onClick={() => {
            void records.dismissConflict(entry.id ?? -1);
          }}
        >
          {t('sync.keepServer')}
        </button>
      </div>
    </li>
  );
}

/** Digits and phone numbers as typed are normalised the way the forms do before saving. */
function normalised(field: string, value: string): string {
  if (field === 'nationalId') {
    const id = checkNationalId(value);
    return id.ok ? id.value : value;
  }
  if (field === 'mobile') return normalizeSaudiMobile(value) ?? value;
  return value;
}

/** Lets go of a refused change, once the user has seen it (it is never dropped without them). */
function Discard({ entry }: { entry: RejectedEntry }) {
  const t = useT();
  const { records } = useWorkspace();
  return (
    <button
      type="button"
      class="button button--ghost button--small"
      onClick={() => {
        void records.dismissRejected(entry.id ?? -1);
      }}
    >
      {t('sync.discard')}
    </button>
  );
}

/**
 * A refused step of a request (docs/named-steps.md): the guard that refused it, in the user's language, and
 * the way back to the request, which shows the server's state again, to complete what is missing.
 */
function RefusedStep({ entry }: { entry: RejectedEntry }) {
  const t = useT();
  const ct = useCaseworkT();
  const rt = useRequestT();
  const { router } = useAppState();
  const code = entry.error.code;
  const lang = useLang();
  const known = `case.${code}` in caseworkMessages.ar;
  const refusal = describeRefusal(entry.error, lang);
  return (
    <li class="card" data-testid="rejected" data-code={code} data-step={entry.mutation.event?.type}>
      <p>{t('sync.reason', { reason: known ? ct(`case.${code}` as CaseworkKey) : refusal.reason })}</p>
      <p class="hint" data-testid="refusal-action">
        {rt('intake.openRequestToComplete')}
      </p>
      <button
        type="button"
        class="button button--small"
        data-testid="open-request"
        onClick={() => {
          router.getState().navigate(`/r/${entry.recordId}`);
        }}
      >
        {rt('intake.openRequest')}
      </button>
      <Discard entry={entry} />
    </li>
  );
}

function Rejected({ entry }: { entry: RejectedEntry }) {
  const t = useT();
  const { records } = useWorkspace();
  const lang = useLang();
  const refusal = describeRefusal(entry.error, lang);
  // The fields the server named, as the user entered them: correct them and send the change again.
  const editable = [...new Set(entry.error.fields.map((f) => f.path.split('.')[0] ?? ''))].filter(
    (f) => typeof entry.mutation.patch[f] === 'string',
  );
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(editable.map((f) => [f, textOf(entry.mutation.patch[f])])),
  );
  return (
    <li class="card" data-testid="rejected" data-code={entry.error.code}>
      <p>{t('sync.reason', { reason: refusal.reason })}</p>
      {refusal.fields.length > 0 && (
        <ul data-testid="refused-fields">
          {refusal.fields.map((f) => (
            <li key={f.path}>
              <b>{f.label}</b>: {f.problem}
            </li>
          ))}
        </ul>
      )}
      <p class="hint" data-testid="refusal-action">
        {refusal.action}
      </p>
      {editable.length > 0 ? (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            const corrected = Object.fromEntries(editable.map((f) => [f, normalised(f, values[f] ?? '')]));
            // The whole original change goes again (a refused creation needs all its fields), corrected.
            reportFailure(
              records
                .save(entry.entity, entry.recordId, { ...entry.mutation.patch, ...corrected })
                .then(() => records.dismissRejected(entry.id ?? -1)),
              'resend',
            );
          }}
        >
          {editable.map((field) => (
            <label class="field" key={field}>
              <span>{fieldLabel(field, lang)}</span>
              <input
                name={field}
                dir="auto"
                value={values[field] ?? ''}
                onInput={(e) => {
                  setValues({ ...values, [field]: e.currentTarget.value });
                }}
              />
            </label>
          ))}
          <button type="submit" class="button button--small">
            {t('sync.resend')}
          </button>
        </form>
      ) : (
        <pre dir="auto">{JSON.stringify(entry.mutation.patch, null, 1)}</pre>
      )}
      <Discard entry={entry} />
    </li>
  );
}

function StorageMeter() {
  const t = useT();
  const numbers = useDateStyle();
  const [estimate, setEstimate] = useState<{ usage: number; quota: number; persisted: boolean } | null>(null);
  useEffect(() => {
    if (!('storage' in navigator)) return;
    void Promise.all([navigator.storage.estimate(), navigator.storage.persisted()]).then(([e, persisted]) => {
      setEstimate({ usage: e.usage ?? 0, quota: e.quota ?? 0, persisted });
    });
  }, []);
  if (estimate === null) return null;
  const size = (bytes: number) =>
    new Intl.NumberFormat(numberLocale(numbers), {
      style: 'unit',
      unit: 'megabyte',
      maximumFractionDigits: 1,
    }).format(bytes / 1e6);
  return (
    <section class="card" data-testid="storage">
      <p>{t('sync.storage', { used: size(estimate.usage), quota: size(estimate.quota) })}</p>
      <meter min={0} max={estimate.quota || 1} value={estimate.usage} />
      {estimate.quota > 0 && estimate.usage / estimate.quota > 0.8 && (
        <p class="error">{t('sync.nearQuota')}</p>
      )}
      <p class="hint">{t(estimate.persisted ? 'sync.persisted' : 'sync.notPersisted')}</p>
    </section>
  );
}

export function SyncScreen() {
  const t = useT();
  const dates = useDates();
  const { records, sync } = useWorkspace();
  const status = useStore(sync.store, (s) => s);
  const conflicts = useLive(() => records.conflicts(), [], [] as ConflictEntry[]);
  const rejected = useLive(() => records.rejected(), [], [] as RejectedEntry[]);
  const last =
    status.lastSuccessAt === null
      ? t('sync.never')
      : t('sync.lastSuccess', {
          // Riyadh's time, as every time in the app (not the device's clock's zone).
          time: dates.instant(new Date(status.lastSuccessAt).toISOString()),
        });
  return (
    <main class="page">
      <h1>{t('sync.title')}</h1>
      <section class="card">
        <p data-testid="sync-last">{last}</p>
        {status.pending > 0 && <p>{t('sync.pending', { count: status.pending })}</p>}
        {status.files > 0 && <p data-testid="sync-files">{t('sync.files', { count: status.files })}</p>}
        {status.lastError !== null && (
          <p class="error" data-testid="sync-error">
            {t('sync.lastError', { error: status.lastError })}
          </p>
        )}
        <button
          type="button"
          class="button"
          onClick={() => {
            void sync.requestSync();
          }}
        >
          {t('sync.now')}
        </button>
      </section>
      <h2>{t('sync.conflicts')}</h2>
      {conflicts.length === 0 ? (
        <p class="hint">{t('sync.none')}</p>
      ) : (
        <ul class="plain">
          {conflicts.map((c) => (
            <Conflict key={c.id} entry={c} />
          ))}
        </ul>
      )}
      <h2>{t('sync.rejected')}</h2>
      {rejected.length === 0 ? (
        <p class="hint">{t('sync.none')}</p>
      ) : (
        <ul class="plain">
          {rejected.map((r) =>
            r.mutation.op === 'event' ? (
              <RefusedStep key={r.id} entry={r} />
            ) : (
              <Rejected key={r.id} entry={r} />
            ),
          )}
        </ul>
      )}
      <StorageMeter />
      <LockAfter />
      <DigitsChoice />
    </main>
  );
}

/** How long the app may stay unused before it locks (a preference of this device). */
function LockAfter() {
  const t = useT();
  const { preferences } = useAppState();
  const minutes = useStore(preferences, (s) => s.lockAfterMinutes);
  return (
    <label class="field card">
      <span>{t('lock.after')}</span>
      <select
        data-testid="lock-after"
        value={String(minutes)}
        onChange={(e) => {
          preferences.getState().setLockAfterMinutes(Number(e.currentTarget.value));
        }}
      >
        {LOCK_AFTER_CHOICES.map((m) => (
          <option key={m} value={String(m)}>
            {t('lock.minutes', { count: m })}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The digits of the Arabic interface: Western (0-9) or Arabic-Indic (٠-٩), for dates, times and counts. */
function DigitsChoice() {
  const t = useT();
  const { preferences } = useAppState();
  const digits = useStore(preferences, (s) => s.digits);
  return (
    <label class="field card">
      <span>{t('digits.label')}</span>
      <select
        data-testid="digits"
        value={digits}
        onChange={(e) => {
          preferences.getState().setDigits(e.currentTarget.value === 'arab' ? 'arab' : 'latn');
        }}
      >
        <option value="latn">0 1 2 3 4 5 6 7 8 9</option>
        <option value="arab">٠ ١ ٢ ٣ ٤ ٥ ٦ ٧ ٨ ٩</option>
      </select>
    </label>
  );
}
