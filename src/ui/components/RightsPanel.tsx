// A beneficiary's rights under the PDPL (L-RIGHTS), for the supervisor or the committee who answers the
// request: a copy of everything held about them (a printable page or JSON, saved as a file), and the
// destruction of their file on the server and on every device. Both need the server: offline, they wait.
import { useState } from 'preact/hooks';
import { saveFile } from '../save-file';
import { rightsHandlers } from '../../domain/permissions';
import { useStore } from '../../state/use-store';
import { ApiError, NetworkError } from '../../sync/api-client';
import { useAppState, useT, useWorkspace } from '../context';
import { Field } from './Field';

export function RightsPanel({ beneficiaryId }: { beneficiaryId: string }) {
  const t = useT();
  const { session, connectivity, api } = useAppState();
  const { sync } = useWorkspace();
  const role = useStore(session.store, (s) => s.profile?.user.role);
  const online = useStore(connectivity, (s) => s.online);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  if (role === undefined || !rightsHandlers.includes(role)) return null;

  const failure = (error: unknown) =>
    t('rights.failed', {
      reason:
        error instanceof NetworkError
          ? t('rights.offline')
          : error instanceof ApiError
            ? error.message
            : String(error),
    });

  async function run(action: () => Promise<string>) {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ error: false, text: await action() });
    } catch (error) {
      setMessage({ error: true, text: failure(error) });
    } finally {
      setBusy(false);
    }
  }

  const exportAs = (format: 'html' | 'json') =>
    run(async () => {
      const blob = await api.exportBeneficiary(await session.accessToken(), beneficiaryId, format);
      saveFile(blob, `beneficiary-${beneficiaryId}.${format}`);
      return t('rights.exported');
    });

  const destroy = () =>
    run(async () => {
      const done = await api.destroyBeneficiary(await session.accessToken(), beneficiaryId, {
        reason: reason.trim(),
      });
      // This device's copy goes at once; the others' at their next sync.
      void sync.requestSync();
      return t('rights.destroyed', { records: done.records, files: done.files });
    });

  return (
    <section class="card" data-testid="rights">
      <h2>{t('rights.title')}</h2>
      <p class="hint">{t('rights.hint')}</p>
      {!online && <p class="hint">{t('rights.offline')}</p>}
      <div class="actions">
        <button
          type="button"
          class="button"
          disabled={busy || !online}
          data-testid="export-html"
          onClick={() => void exportAs('html')}
        >
          {t('rights.exportHtml')}
        </button>
        <button
          type="button"
          class="button button--ghost"
          disabled={busy || !online}
          data-testid="export-json"
          onClick={() => void exportAs('json')}
        >
          {t('rights.exportJson')}
        </button>
      </div>
      <details>
        <summary>{t('rights.destroyTitle')}</summary>
        <form
          class="form"
          data-testid="destroy-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim().length >= 3 && confirmed) void destroy();
          }}
        >
          <Field
            label={t('rights.reason')}
            name="reason"
            required
            maxLength={500}
            value={reason}
            onInput={setReason}
          />
          <label class="check">
            <input
              type="checkbox"
              name="confirm"
              checked={confirmed}
              onChange={(e) => {
                setConfirmed(e.currentTarget.checked);
              }}
            />
            <span>{t('rights.confirm')}</span>
          </label>
          <button
            type="submit"
            class="button button--danger"
            disabled={busy || !online || !confirmed || reason.trim().length < 3}
          >
            {t('rights.destroy')}
          </button>
        </form>
      </details>
      {message !== null && (
        <p class={message.error ? 'error' : 'hint'} role="status" data-testid="rights-message">
          {message.text}
        </p>
      )}
    </section>
  );
}
