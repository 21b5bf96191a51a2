import type { FollowUpNode } from '../../rules/compile/compiled-rule-set.js';
import type { CallView } from './call-view.js';
import { EMPTY, lowerBound, sortMatches, type Evaluates, type Match, type Outcome } from './match.js';

/**
 * The followUp condition: for each sentence its anchor matches, whether the checked condition
 * holds in a window after (or before) it — the next N turns of a speaker, N sentences, or N
 * seconds — expected (a hit when missing) or forbidden (a hit when present).
 */

const MISSING = '（其后未出现要求的内容）';
const MISSING_BEFORE = '（其前未出现要求的内容）';

export function followUp(ev: Evaluates, v: CallView, node: FollowUpNode): Outcome {
  const anchors = ev.evaluate(node.anchor);
  if (anchors === null) return null;
  if (anchors.length === 0) return EMPTY;
  const checks = ev.evaluate(node.check);
  if (checks === null) return null;
  // The checked sentences in order, to find those in a window by binary search (anchors × checks is quadratic).
  const inSentences = checks.filter((c) => c.p >= 0).sort((x, y) => x.p - y.p);
  const out: Match[] = [];
  const seen = new Set<number>();
  const where = node.direction === 'after' ? '之后' : '之前';
  const endsBefore = node.direction === 'before' && node.window.seconds !== undefined;
  const missing = node.direction === 'after' ? MISSING : MISSING_BEFORE;
  for (const a of anchors) {
    if (a.p < 0) continue;
    const [lo, hi] = windowRange(v, node, a.p);
    let i = lowerBound(inSentences, lo);
    const edge = endsBefore ? v.segs[a.p]!.startMs - node.window.seconds! * 1000 : 0;
    const inWindow = (m: Match) => m.p <= hi && (!endsBefore || v.segs[m.p]!.endMs >= edge);
    if (node.expect) {
      let found = false;
      for (let j = i; j < inSentences.length && inSentences[j]!.p <= hi && !found; j++) found = inWindow(inSentences[j]!);
      if (!found && !seen.has(a.p)) {
        seen.add(a.p);
        // A nested follow-up's anchor already says it; the label is said once.
        out.push({ ...a, label: a.label?.endsWith(missing) ? a.label : `${a.label ?? '锚点'}${missing}` });
      }
    } else {
      for (; i < inSentences.length && inSentences[i]!.p <= hi; i++) {
        const f = inSentences[i]!;
        if (seen.has(f.p) || !inWindow(f)) continue;
        seen.add(f.p);
        out.push({ ...f, label: `在锚点（第 ${v.segs[a.p]!.index + 1} 句）${where}出现${f.label ? `：${f.label}` : ''}` });
      }
    }
  }
  return out.length ? sortMatches(out) : EMPTY;
}

/**
 * The sentences [lo, hi] a follow-up looks at after (or before) the anchor at position a: the
 * next N turns of the expected speaker, the next N sentences, or those starting (after) / ending
 * (before) within N seconds of the anchor. Empty when lo > hi.
 */
export function windowRange(v: CallView, node: FollowUpNode, a: number): [number, number] {
  const { turns, segments, seconds } = node.window;
  const after = node.direction === 'after';
  if (seconds !== undefined) {
    if (after) {
      const edge = v.segs[a]!.endMs + seconds * 1000;
      let hi = a;
      while (hi + 1 < v.n && v.segs[hi + 1]!.startMs <= edge) hi++;
      return [a + 1, hi];
    }
    // Sentences are in start order, not end order (a long sentence may hold a short one): look
    // at them all; followUp keeps only those that end within the window.
    const edge = v.segs[a]!.startMs - seconds * 1000;
    let lo = a;
    for (let q = a - 1; q >= 0; q--) if (v.segs[q]!.endMs >= edge) lo = q;
    return [lo, a - 1];
  }
  if (segments !== undefined) return after ? [a + 1, Math.min(v.n - 1, a + segments)] : [Math.max(0, a - segments), a - 1];
  let limit = a;
  let counted = 0;
  const step = after ? 1 : -1;
  for (let q = a + step; q >= 0 && q < v.n && counted < turns!; q += step) {
    limit = q;
    if (node.turnSpeaker < 0 || v.role[q] === node.turnSpeaker) counted++;
  }
  return after ? [a + 1, limit] : [limit, a - 1];
}
