/** What a bulk action over many calls came to: how many worked, and the first error. */
export interface EachResult {
  ok: number;
  failed: number;
  firstError: string | undefined;
}

/**
 * Runs `fn` for each id one after another (the server audits each; no burst), reporting the count
 * done after each; one failure does not stop the others.
 */
export async function runEach(ids: readonly string[], fn: (id: string) => Promise<unknown>, onProgress: (done: number) => void): Promise<EachResult> {
  const r: EachResult = { ok: 0, failed: 0, firstError: undefined };
  for (const [i, id] of ids.entries()) {
    try {
      await fn(id);
      r.ok++;
    } catch (e) {
      r.failed++;
      r.firstError ??= (e as Error).message;
    }
    onProgress(i + 1);
  }
  return r;
}
