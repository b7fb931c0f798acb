import { useStore } from '../../state/use-store';
import { useEffect, useState } from 'preact/hooks';
import { useAppState, useLang, useT, useWorkspace } from '../context';
import { timeAgo } from '../relative-time';

/** Pending count and sync state in the header; opens the sync screen. */
export function SyncIndicator() {
  const t = useT();
  const lang = useLang();
  const { router } = useAppState();
  const { sync } = useWorkspace();
  const status = useStore(sync.store, (s) => s);
  // "Synced 3 minutes ago" has to move on by itself.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 30_000);
    return () => {
      clearInterval(timer);
    };
  }, []);
  const attention = status.conflicts + status.rejected;
  // Never "synced" while a refusal or a conflict waits for the user: that is what they must hear first.
  const label =
    attention > 0
      ? t('sync.review')
      : status.phase === 'syncing'
        ? t('sync.syncing')
        : status.pending > 0
          ? t('sync.pending', { count: status.pending })
          : status.files > 0
            ? t('sync.files', { count: status.files })
            : status.phase === 'error'
              ? t('sync.error')
              : status.lastSuccessAt !== null
                ? t('sync.syncedAgo', { time: timeAgo(status.lastSuccessAt, now, lang) })
                : t('sync.synced');
  return (
    <a
      class={`pill pill--sync pill--${attention > 0 ? 'attention' : status.phase}`}
      href="/sync"
      data-testid="sync-indicator"
      data-pending={status.pending}
      data-files={status.files}
      data-phase={status.phase}
      data-attention={attention}
      onClick={(e) => {
        e.preventDefault();
        router.getState().navigate('/sync');
      }}
    >
      {label}
      {attention > 0 && (
        <span class="badge" data-testid="sync-attention">
          {attention}
        </span>
      )}
      {status.progress !== null && status.progress.total > 0 && (
        <progress max={status.progress.total} value={status.progress.done} />
      )}
    </a>
  );
}
