// Loads a component from a separate chunk on first use, so later screens cost nothing at start-up.
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { reportError } from '../../state/error-report';
import { useT } from '../context';

export function lazyComponent<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: () => JSX.Element | null,
) {
  let loaded: ComponentType<P> | undefined;
  return function Lazy(props: P) {
    const [Component, setComponent] = useState<ComponentType<P> | undefined>(() => loaded);
    useEffect(() => {
      if (Component !== undefined) return;
      load().then(
        (c) => {
          loaded = c;
          setComponent(() => c);
        },
        (error: unknown) => {
          reportError(error, 'loading a screen');
        },
      );
    }, [Component]);
    return Component === undefined ? fallback() : <Component {...props} />;
  };
}

/** What stands in for a screen while its code or data arrives. */
export function Loading() {
  const t = useT();
  return <p class="page loading">{t('app.loading')}</p>;
}
