// A Preact hook over Dexie's liveQuery: re-renders when the queried data changes, in this page or (through
// Dexie's cross-context notifications) in another tab or the service worker.
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

export function useLive<T>(query: () => Promise<T>, deps: readonly unknown[], initial: T): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (v) => {
        setValue(() => v);
      },
      error: () => undefined,
    });
    return () => {
      subscription.unsubscribe();
    };
    // The caller lists what the query depends on, as with useEffect.
  }, deps);
  return value;
}
