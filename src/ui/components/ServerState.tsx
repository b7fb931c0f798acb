// What a server-read screen shows while its figures are not there: offline, loading, or failed with a retry.
import type { ServerRead } from '../use-server-read';
import { useOversightT } from '../i18n/oversight';

export function ServerState({ read, offline }: { read: ServerRead<unknown>; offline: string }) {
  const t = useOversightT();
  if (read.state === 'offline') return <p class="card hint">{offline}</p>;
  if (read.state === 'loading') return <p class="card hint">…</p>;
  if (read.state === 'failed')
    return (
      <p class="card error" role="alert">
        {t('dashboard.failed')}{' '}
        <button type="button" class="button button--ghost" onClick={read.retry}>
          {t('dashboard.retry')}
        </button>
      </p>
    );
  return null;
}
