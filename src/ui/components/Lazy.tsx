// Loads a component from a separate chunk on first use, so later screens cost nothing at start-up.
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function lazyComponent<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: () => JSX.Element | null,
) {
  let loaded: ComponentType<P> | undefined;
  return function Lazy(props: P) {
    const [Component, setComponent] = useState<ComponentType<P> | undefined>(() => loaded);
    useEffect(() => {
      if (Component !== undefined) return;
      void load().then((c) => {
        loaded = c;
        setComponent(() => c);
      });
    }, [Component]);
    return Component === undefined ? fallback() : <Component {...props} />;
  };
}
