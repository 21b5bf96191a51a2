/**
 * Delay before retry number `attempt` (1-based): base · 2^(attempt-1), capped at 10 minutes, with
 * ±20 % jitter so a burst of failures does not retry in lockstep. `random` is injectable for tests.
 * @example retryDelayMs(3, 2000) // ≈ 8000
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const raw = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 600_000);
  return Math.round(raw * (0.8 + 0.4 * random()));
}
