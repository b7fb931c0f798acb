// The Preact binding of zustand's vanilla stores: re-renders a component when its selected slice changes.
// (zustand's own hook needs React's useSyncExternalStore, i.e. preact/compat, which the first screen's
// byte budget does not need to pay for.)
import { useEffect, useState } from 'preact/hooks';
import type { StoreApi } from 'zustand/vanilla';

export function useStore<T, U>(store: StoreApi<T>, selector: (state: T) => U): U {
  const [selected, setSelected] = useState(() => selector(store.getState()));
  useEffect(() => {
    // Catch a change that happened between render and subscription.
    setSelected(() => selector(store.getState()));
    return store.subscribe((state) => {
      setSelected(() => selector(state));
    });
    // The selector is taken as stable in meaning: re-subscribing on every render would be wasteful.
  }, [store]);
  return selected;
}
