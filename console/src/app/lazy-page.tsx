import { createElement, useEffect, useState, type ComponentType } from 'react';
import { PageState } from '../components/PageState';

export type LazyPage = ComponentType & { preload: () => Promise<void> };

/**
 * A page in a chunk of its own, loaded without Suspense. React holds a Suspense reveal back by up
 * to 300 ms after its fallback showed (and React.lazy suspends on its first render even when the
 * chunk has arrived): with React.lazy every page opened directly took ~300 ms more, although
 * route-prefetch.ts loads the chunk beside GET /auth/me. Here the page shows the loading state
 * until its chunk is there and then renders at once; a chunk that fails to load (a new version
 * deployed meanwhile, the network) shows the error state with a retry.
 */
export function lazyPage(load: () => Promise<{ default: ComponentType }>): LazyPage {
  let loaded: ComponentType | null = null;
  let pending: Promise<void> | null = null;
  const preload = () =>
    (pending ??= load().then(
      (m) => {
        loaded = m.default;
      },
      (e: unknown) => {
        pending = null;
        throw e;
      },
    ));
  function Page() {
    const [, setReady] = useState(loaded !== null);
    const [error, setError] = useState<Error | undefined>(undefined);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      preload().then(
        () => live && setReady(true),
        (e: unknown) => live && setError(e instanceof Error ? e : new Error(String(e))),
      );
      return () => {
        live = false;
      };
    }, [attempt]);
    if (loaded) return createElement(loaded);
    return createElement(PageState, {
      loading: true,
      error,
      onRetry: () => {
        setError(undefined);
        setAttempt((a) => a + 1);
      },
    });
  }
  return Object.assign(Page, { preload });
}
