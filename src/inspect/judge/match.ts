import type { TextSpan } from '../../domain/inspection.js';
import type { CNode } from '../../rules/compile/compiled-rule-set.js';
import type { CallView } from './call-view.js';

/**
 * What a condition gives when judged on a call — Match and Outcome, the shared empty and "absent"
 * results — and the helpers that build, sort, merge and search matches.
 */

/**
 * One place a condition held: a sentence (p = its position in the transcript) with the matched
 * characters, or a call-level fact (p = -1) with only a time span.
 */
export interface Match {
  p: number;
  startMs: number;
  endMs: number;
  spans: TextSpan[];
  label?: string;
  /** Stands for "the thing was absent" (a `not` that held): counts, but is no evidence. */
  absent?: true;
}

/** The result of a condition on a call: its matches (empty = it does not hold), or null = cannot tell (no transcript, no signals). */
export type Outcome = Match[] | null;

/** What a condition made of other conditions needs from the evaluator: a child's outcome (cached per call). */
export interface Evaluates {
  evaluate(node: CNode): Outcome;
}

export const EMPTY: Match[] = Object.freeze([]) as unknown as Match[];
export const ABSENT: Match = Object.freeze({ p: -1, startMs: 0, endMs: 0, spans: Object.freeze([]) as unknown as TextSpan[], label: '未出现', absent: true as const });

export function sentenceMatch(v: CallView, p: number, spans: TextSpan[], label?: string): Match {
  const s = v.segs[p]!;
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  return { p, startMs: s.startMs, endMs: s.endMs, spans, ...(label ? { label } : {}) };
}

export function callMatch(v: CallView, label: string): Match {
  return { p: -1, startMs: 0, endMs: v.durationMs ?? 0, spans: [], label };
}

/**
 * One match per sentence: parts of an all/any that hold in the same sentence are one hit of the
 * rule (their spans and labels together), not one per part. Call-level matches stay as they are.
 */
export function mergeBySentence(ms: Match[]): Match[] {
  sortMatches(ms);
  const out: Match[] = [];
  for (const m of ms) {
    const last = out[out.length - 1];
    if (m.p >= 0 && last && last.p === m.p) {
      const spans = [...last.spans];
      for (const s of m.spans) if (!spans.some((x) => x.start === s.start && x.end === s.end)) spans.push(s);
      spans.sort((a, b) => a.start - b.start || a.end - b.end);
      const labels = [last.label, m.label].filter((l): l is string => !!l && l !== '未出现');
      out[out.length - 1] = { ...last, spans, ...(labels.length ? { label: [...new Set(labels)].join('、') } : {}) };
    } else out.push(m);
  }
  return out;
}

export function sortMatches(ms: Match[]): Match[] {
  return ms.sort((a, b) => a.p - b.p || a.startMs - b.startMs);
}

/** Index of the first match at sentence p or later (matches sorted by sentence). */
export function lowerBound(ms: Match[], p: number): number {
  let lo = 0;
  let hi = ms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ms[mid]!.p < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
