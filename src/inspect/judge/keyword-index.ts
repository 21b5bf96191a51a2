import { ruleApplies, type CompiledRuleSet, type RegexNode } from '../../rules/compile/compiled-rule-set.js';
import { fuzzyTable } from '../../rules/text/fuzzy-pinyin.js';
import { KeywordScanner } from '../../rules/text/keyword-scanner.js';
import { NORMALIZE, composeTables } from '../../rules/text/normalize-text.js';
import type { CallView } from './call-view.js';

/**
 * Where the keywords of a rule set occur in one call: every sentence is scanned once for every
 * keyword at once, and the occurrences are kept as linked lists in typed arrays reused from call
 * to call — per term its occurrences, per keyword node (and gated regex) the words of it that
 * occur. The keywords condition and gated regexes read these lists.
 */
export class KeywordIndex {
  private readonly fuzzyBase: number;
  /** Per term, its latest occurrence in this call (-1: none); occNext links to the one before. */
  readonly termHead: Int32Array;
  private touched: number[] = [];
  occSeg = new Int32Array(1024);
  occStart = new Int32Array(1024);
  occEnd = new Int32Array(1024);
  occNext = new Int32Array(1024);
  private occCount = 0;
  /** The number of the call being judged, to stamp nodeTouched with. */
  private stamp = 0;

  /** Normalisation then fuzzy pinyin, as one table, when the rule set has fuzzy words. */
  private readonly fuzzy: Uint16Array | null;
  /**
   * For each term, the (keyword node, word group) pairs listing it, as CSR arrays: pairs
   * termPairStart[t] .. termPairStart[t+1]. When a term first occurs in a call, its pairs are
   * linked into their node's list (nodeHead/pairNext), so a node looks only at its words that
   * occur — not at every word of a 50-word list.
   */
  private readonly termPairStart: Int32Array;
  private readonly pairNode: Int32Array;
  readonly pairGroup: Int32Array;
  readonly pairTerm: Int32Array;
  readonly pairNext: Int32Array;
  readonly nodeHead: Int32Array;
  /** The call stamp at which a keyword node's first word was seen: other nodes cannot match this call. */
  private readonly nodeTouched: Int32Array;

  constructor(private readonly rs: CompiledRuleSet) {
    this.fuzzyBase = rs.exact.size;
    this.fuzzy = rs.fuzzy ? composeTables(NORMALIZE, fuzzyTable()) : null;
    const terms = rs.exact.size + (rs.fuzzy?.size ?? 0);
    const lists: Array<Array<[number, number]>> = Array.from({ length: terms }, () => []);
    for (const node of rs.keywordNodes) node.groups.forEach((g, gi) => g.forEach((t) => lists[t.fuzzy ? this.fuzzyBase + t.id : t.id]!.push([node.id, gi])));
    for (const node of rs.gatedRegexNodes) for (const t of node.gate!) lists[t.id]!.push([node.id, 0]);
    this.termPairStart = new Int32Array(terms + 1);
    for (let t = 0; t < terms; t++) this.termPairStart[t + 1] = this.termPairStart[t]! + lists[t]!.length;
    const flat = lists.flatMap((l, t) => l.map(([n, g]) => [n, g, t] as const));
    this.pairNode = Int32Array.from(flat.map((x) => x[0]));
    this.pairGroup = Int32Array.from(flat.map((x) => x[1]));
    this.pairTerm = Int32Array.from(flat.map((x) => x[2]));
    this.pairNext = new Int32Array(flat.length);
    this.nodeHead = new Int32Array(rs.nodeCount);
    this.nodeTouched = new Int32Array(rs.nodeCount);
    this.termHead = new Int32Array(rs.exact.size + (rs.fuzzy?.size ?? 0)).fill(-1);
  }

  /** The sentence being scanned, and the scanners' callbacks (made once: a closure per sentence would be garbage). */
  private scanning = 0;
  private readonly onExact = (id: number, s: number, e: number) => this.record(id, this.scanning, s, e);
  private readonly onFuzzy = (id: number, s: number, e: number) => this.record(this.fuzzyBase + id, this.scanning, s, e);

  /** Forget the previous call, and scan every sentence of this one for every keyword of the rule set at once. */
  scan(view: CallView): void {
    for (const t of this.touched) this.termHead[t] = -1;
    this.touched = [];
    this.occCount = 0;
    this.stamp++;
    const { exact } = this.rs;
    // Fuzzy words (finance promises…) are looked for only in calls a rule using them applies to.
    const fuzzy = this.rs.fuzzy && this.rs.fuzzyRules.some((r) => ruleApplies(r, view.input.call)) ? this.rs.fuzzy : null;
    for (let p = 0; p < view.n; p++) {
      this.scanning = p;
      // Read through the normalisation table instead of building normalised strings (most are never needed).
      const text = view.segs[p]!.text;
      if (fuzzy) KeywordScanner.scanBoth(text, exact, NORMALIZE, this.onExact, fuzzy, this.fuzzy!, this.onFuzzy);
      else exact.scanMapped(text, NORMALIZE, this.onExact);
    }
  }

  private record(term: number, p: number, start: number, end: number): void {
    if (this.occCount === this.occSeg.length) {
      this.occSeg = grow(this.occSeg);
      this.occStart = grow(this.occStart);
      this.occEnd = grow(this.occEnd);
      this.occNext = grow(this.occNext);
    }
    const o = this.occCount++;
    this.occSeg[o] = p;
    this.occStart[o] = start;
    this.occEnd[o] = end;
    const head = this.termHead[term]!;
    if (head < 0) {
      this.touched.push(term);
      for (let k = this.termPairStart[term]!; k < this.termPairStart[term + 1]!; k++) {
        const node = this.pairNode[k]!;
        if (this.nodeTouched[node] !== this.stamp) {
          this.nodeTouched[node] = this.stamp;
          this.nodeHead[node] = -1;
        }
        this.pairNext[k] = this.nodeHead[node]!;
        this.nodeHead[node] = k;
      }
    }
    this.occNext[o] = head;
    this.termHead[term] = o;
  }

  /** Whether a word of the node (a keywords node, or a gated regex's literal) occurs in this call. */
  occurs(nodeId: number): boolean {
    return this.nodeTouched[nodeId] === this.stamp;
  }

  /** The sentences holding one of a gated regex's literals, in order (none: the regex cannot match). */
  gatedSentences(node: RegexNode): number[] {
    if (this.nodeTouched[node.id] !== this.stamp) return [];
    const ps: number[] = [];
    for (let pair = this.nodeHead[node.id]!; pair >= 0; pair = this.pairNext[pair]!)
      for (let o = this.termHead[this.pairTerm[pair]!]!; o >= 0; o = this.occNext[o]!) ps.push(this.occSeg[o]!);
    return [...new Set(ps)].sort((a, b) => a - b);
  }
}

/** The same numbers in an array twice as long. */
export function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
