import type { TimeSpan } from '../../domain/signals.js';

/**
 * Splits spans into at most `shares` groups of about equal total length (longest first onto
 * the lightest group), so parallel decoders finish together. Each group keeps time order.
 * @example balanceByLength([{ startMs: 0, endMs: 9000 }, { startMs: 9500, endMs: 10000 }], 2).length // 2
 */
export function balanceByLength<T extends TimeSpan>(spans: T[], shares: number): T[][] {
  const n = Math.max(1, Math.min(shares, spans.length));
  const groups: T[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  const longestFirst = [...spans].sort((a, b) => b.endMs - b.startMs - (a.endMs - a.startMs));
  for (const s of longestFirst) {
    let k = 0;
    for (let j = 1; j < n; j++) if (load[j]! < load[k]!) k = j;
    groups[k]!.push(s);
    load[k]! += s.endMs - s.startMs;
  }
  return groups.map((g) => g.sort((a, b) => a.startMs - b.startMs)).filter((g) => g.length > 0);
}
