import type { TextSpan } from '../../domain/inspection.js';
import type { KeywordsNode } from '../../rules/compile/compiled-rule-set.js';
import { mapChars } from '../../rules/text/map-chars.js';
import { NORMALIZE_KEEP_CASE } from '../../rules/text/normalize-text.js';
import type { CallView } from './call-view.js';
import { grow, type KeywordIndex } from './keyword-index.js';
import { EMPTY, sentenceMatch, type Evaluates, type Match } from './match.js';
import { exceptionAt, inScope, negated, quoted } from './text-scope.js';

/**
 * The keywords condition: of the node's words that occur in the call (KeywordIndex), the
 * occurrences that count — in scope, not cancelled by an exception, not negated, not quoted, in
 * the required case — as one match per sentence, with the word groups the rule needs.
 */

/** The occurrences that count for the node being judged, as (sentence, start, end, group) in flat buffers reused from node to node. */
export class KeywordHits {
  seg = new Int32Array(256);
  start = new Int32Array(256);
  end = new Int32Array(256);
  group = new Int32Array(256);
  grow(): void {
    this.seg = grow(this.seg);
    this.start = grow(this.start);
    this.end = grow(this.end);
    this.group = grow(this.group);
  }
}

export function keywords(ev: Evaluates, v: CallView, node: KeywordsNode, index: KeywordIndex, hits: KeywordHits, negationChars: Uint8Array): Match[] {
  const { need } = node;
  if (!index.occurs(node.id)) return EMPTY;
  // Exceptions cancel occurrences before words are counted: with scope call, a word cancelled in
  // its sentence must not make up the `all` of another.
  const cancelled = node.scope.except ? exceptionAt(ev, v, node.scope) : null;
  let k = 0;
  for (let pair = index.nodeHead[node.id]!; pair >= 0; pair = index.pairNext[pair]!) {
    const g = index.pairGroup[pair]!;
    for (let o = index.termHead[index.pairTerm[pair]!]!; o >= 0; o = index.occNext[o]!) {
      const p = index.occSeg[o]!;
      const start = index.occStart[o]!;
      const end = index.occEnd[o]!;
      if (!inScope(v, node.scope, p)) continue;
      if (cancelled && cancelled(p)) continue;
      if (node.negation && negated(v, negationChars, p, start, node.negators, node.negationWindow)) continue;
      if (node.ignoreQuoted && quoted(v, p, start)) continue;
      if (node.caseForms && !node.caseForms.has(mapChars(v.segs[p]!.text.slice(start, end), NORMALIZE_KEEP_CASE))) continue;
      if (k === hits.seg.length) hits.grow();
      hits.seg[k] = p;
      hits.start[k] = start;
      hits.end[k] = end;
      hits.group[k] = g;
      k++;
    }
  }
  if (k === 0) return EMPTY;
  const order = k === 1 ? [0] : Array.from({ length: k }, (_, i) => i).sort((a, b) => hits.seg[a]! - hits.seg[b]! || hits.start[a]! - hits.start[b]!);
  if (node.acrossCall && need > 1) {
    const seen = new Set<number>();
    for (let i = 0; i < k; i++) seen.add(hits.group[i]!);
    if (seen.size < need) return EMPTY;
  }
  const out: Match[] = [];
  for (let i = 0; i < k; ) {
    const p = hits.seg[order[i]!]!;
    const spans: TextSpan[] = [];
    const groupsSeen: number[] = [];
    let j = i;
    for (; j < k && hits.seg[order[j]!] === p; j++) {
      const h = order[j]!;
      spans.push({ start: hits.start[h]!, end: hits.end[h]! });
      if (!groupsSeen.includes(hits.group[h]!)) groupsSeen.push(hits.group[h]!);
    }
    // Labels in the order the words are listed in the rule: the same whatever else the call holds.
    const label = groupsSeen.sort((x, y) => x - y).map((g) => node.labels[g]!).join('、');
    if (node.acrossCall || groupsSeen.length >= need) out.push(sentenceMatch(v, p, spans, label));
    i = j;
  }
  return out.length ? out : EMPTY;
}
