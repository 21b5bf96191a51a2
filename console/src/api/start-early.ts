/**
 * Requests started before the page that needs them is on screen: by app/route-prefetch.ts as the
 * app starts (beside GET /auth/me and the page's chunk), or while a page first renders rather than
 * in an effect after its commit. The first load takes the request started for its key; later
 * loads (a retry, another call) run afresh.
 */
const started = new Map<string, Promise<unknown>>();

export function startEarly(key: string, load: () => Promise<unknown>): void {
  if (started.has(key)) return;
  const p = load();
  // A request that failed before anyone took it is dropped, so the page loads afresh: a page
  // opened without a session gets 401 here, and after signing in it must not be handed that 401.
  // (Until then the failure is not an unhandled rejection.)
  p.catch(() => {
    if (started.get(key) === p) started.delete(key);
  });
  started.set(key, p);
}

export function takeEarly<T>(key: string, load: () => Promise<T>): Promise<T> {
  const early = started.get(key) as Promise<T> | undefined;
  started.delete(key);
  return early ?? load();
}
