/**
 * Requests started while the page first renders, not in an effect after its commit: React holds
 * the commit of a lazily loaded page back (Suspense reveals are throttled by ~300 ms), and the
 * render runs as soon as the chunk is there. The first effect takes the request started for its
 * key; later loads (a retry, another call) run afresh.
 */
const started = new Map<string, Promise<unknown>>();

export function startEarly(key: string, load: () => Promise<unknown>): void {
  if (started.has(key)) return;
  const p = load();
  // Its failure is shown by whoever takes it; until then it is not an unhandled rejection.
  p.catch(() => undefined);
  started.set(key, p);
}

export function takeEarly<T>(key: string, load: () => Promise<T>): Promise<T> {
  const early = started.get(key) as Promise<T> | undefined;
  started.delete(key);
  return early ?? load();
}
