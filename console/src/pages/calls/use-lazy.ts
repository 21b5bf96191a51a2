import { useCallback, useRef, useState } from 'react';

/**
 * Data loaded on first need (a dropdown opening), not with the page: the calls page's first load
 * fetches only the table. `ensure()` starts the load once; after an error the next call tries again.
 */
export function useLazy<T>(load: () => Promise<T>): { data: T | undefined; error: Error | undefined; loading: boolean; ensure: () => void } {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: false });
  const started = useRef(false);
  const loadRef = useRef(load);
  loadRef.current = load;
  const ensure = useCallback(() => {
    if (started.current) return;
    started.current = true;
    setState({ loading: true });
    loadRef.current().then(
      (data) => setState({ data, loading: false }),
      (e: unknown) => {
        started.current = false;
        setState({ error: e instanceof Error ? e : new Error(String(e)), loading: false });
      },
    );
  }, []);
  return { data: state.data, error: state.error, loading: state.loading, ensure };
}
