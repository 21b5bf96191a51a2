import type { CompiledScope } from '../../rules/compile/compiled-rule-set.js';
import { NORMALIZE } from '../../rules/text/normalize-text.js';
import type { CallView } from './call-view.js';
import { EMPTY, type Evaluates, type Match, type Outcome } from './match.js';

/**
 * What limits a text condition's matches: the speaker and first/last range of its scope, its
 * exception (in the same sentence or that speaker's next one), and whether a matched word is
 * negated or quoted.
 */

const CLAUSE_END = /[，。！？；,.!?;:：…\s、]/;
/** Words with 不 that negate nothing after them (很不错保本的 still promises). */
const NOT_NEGATING = /不错|不过|不少|不久|不仅|不断|不同|不但/g;

/** Whether sentence p is inside a text condition's speaker and first/last range. */
export function inScope(v: CallView, s: CompiledScope, p: number): boolean {
  if (s.speaker >= 0 && v.role[p] !== s.speaker) return false;
  if (s.first) {
    if (s.first.sentences !== undefined && (s.speaker >= 0 ? v.ordFwd[p]! : p) >= s.first.sentences) return false;
    if (s.first.seconds !== undefined && v.segs[p]!.startMs >= s.first.seconds * 1000) return false;
  }
  if (s.last) {
    if (s.last.sentences !== undefined && (s.speaker >= 0 ? v.ordBack[p]! : v.n - 1 - p) >= s.last.sentences) return false;
    if (s.last.seconds !== undefined && (v.durationMs === null || v.segs[p]!.endMs <= v.durationMs - s.last.seconds * 1000)) return false;
  }
  return true;
}

/** Drops matches cancelled by the scope's exception in the same sentence or that speaker's next one. */
export function withExceptions(ev: Evaluates, v: CallView, s: CompiledScope, matches: Match[]): Outcome {
  if (!s.except || matches.length === 0) return matches;
  const cancelled = exceptionAt(ev, v, s);
  if (!cancelled) return matches;
  const kept = matches.filter((m) => !cancelled(m.p));
  return kept.length ? kept : EMPTY;
}

/**
 * Which sentences the scope's exception cancels: those where it holds in the sentence itself
 * or in that speaker's next sentence (exceptIn). Only sentence matches of the exception count —
 * a call-level one (a `not`, a signal) says nothing about a particular sentence. Null: none.
 */
export function exceptionAt(ev: Evaluates, v: CallView, s: CompiledScope): ((p: number) => boolean) | null {
  const ex = s.except ? ev.evaluate(s.except) : null;
  if (!ex || ex.length === 0) return null;
  const at = new Set<number>();
  for (const m of ex) if (m.p >= 0) at.add(m.p);
  if (at.size === 0) return null;
  const same = s.exceptIn !== 'next';
  const next = s.exceptIn !== 'same';
  return (p) => p >= 0 && ((same && at.has(p)) || (next && v.nextSame[p]! >= 0 && at.has(v.nextSame[p]!)));
}

/**
 * A word counts as negated when a negator stands in the N (default 4) characters before it, within
 * its clause (不保本, 我没说过这不是我们的问题). negationChars: the rule set's table of the characters
 * of its negators, a cheap first check.
 */
export function negated(v: CallView, negationChars: Uint8Array, p: number, start: number, negators: string[], window: number): boolean {
  // Most words have no negation character right before them: look at the raw text first.
  const raw = v.segs[p]!.text;
  let any = false;
  for (let i = Math.max(0, start - window); i < start && !any; i++) any = negationChars[NORMALIZE[raw.charCodeAt(i)]!] === 1;
  if (!any) return false;
  const text = v.norm(p);
  let from = start;
  while (from > 0 && start - from < window && !CLAUSE_END.test(text[from - 1]!)) from--;
  if (from === start) return false;
  const before = text.slice(from, start).replace(NOT_NEGATING, '  ');
  return negators.some((n) => before.includes(n));
}

/** Whether position pos of sentence p is inside quotation marks (quoting a phrase is not saying it). */
export function quoted(v: CallView, p: number, pos: number): boolean {
  const text = v.norm(p);
  let depth = 0;
  let straight = false;
  for (let i = 0; i < pos; i++) {
    const c = text[i];
    if (c === '“' || c === '「' || c === '『' || c === '‘') depth++;
    else if ((c === '”' || c === '」' || c === '』' || c === '’') && depth > 0) depth--;
    else if (c === '"') straight = !straight;
  }
  return depth > 0 || straight;
}
