// A screen's read from the server (the dashboard, the administration): online only, loading, ready or
// failed with a retry. Offline it is 'offline': these figures are the server's, never shown stale.
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../sync/api-client';
import { useStore } from '../state/use-store';
import { useAppState } from './context';

export type ServerRead<T> =
  | { state: 'offline' | 'loading' | 'failed'; retry: () => void }
  | { state: 'ready'; value: T; retry: () => void };

/** `key`: a change reads again (after the screen changed what it reads). */
export function useServerRead<T>(
  read: (api: ApiClient, token: string) => Promise<T>,
  key: unknown = null,
): ServerRead<T> {
  const { api, session, connectivity } = useAppState();
  const online = useStore(connectivity, (s) => s.online);
  const [result, setResult] = useState<{ state: 'loading' | 'failed' } | { state: 'ready'; value: T }>({
    state: 'loading',
  });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!online) return;
    const run = { cancelled: false };
    setResult({ state: 'loading' });
    session
      .accessToken()
      .then((token) => read(api, token))
      .then(
        (value) => {
          if (!run.cancelled) setResult({ state: 'ready', value });
        },
        () => {
          if (!run.cancelled) setResult({ state: 'failed' });
        },
      );
    return () => {
      run.cancelled = true;
    };
  }, [online, attempt, key]);
  const retry = () => {
    setAttempt((n) => n + 1);
  };
  return online ? { ...result, retry } : { state: 'offline', retry };
}
