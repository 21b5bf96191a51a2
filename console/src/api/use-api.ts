import { useCallback, useEffect, useRef, useState } from 'react';

export interface ApiState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Load again with the same arguments (after a change, or from an error state's retry button). */
  reload: () => void;
}

/**
 * Loads data when `deps` change; a newer load aborts the older one so a slow answer never
 * overwrites a newer one. `load` gets an AbortSignal to pass to the api client.
 */
export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, deps: ReadonlyArray<unknown>): ApiState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ac = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    loadRef.current(ac.signal).then(
      (data) => {
        if (!ac.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!ac.signal.aborted) setState((s) => ({ data: s.data, error: error instanceof Error ? error : new Error(String(error)), loading: false }));
      },
    );
    return () => ac.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
