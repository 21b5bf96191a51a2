import type { TextSpan } from '../../domain/inspection.js';
import type { Interruption, Signals } from '../../domain/signals.js';
import {
  ruleApplies,
  type CNode,
  type CompiledRuleSet,
  type CompiledScope,
  type EntityNode,
  type SentimentNode,
  type FollowUpNode,
  type KeywordsNode,
  type RegexNode,
  type SilenceNode,
  type SimilarNode,
  type SpeechRateNode,
} from '../../rules/compile/compiled-rule-set.js';
import { labelOf, scoreSentiment } from '../../enrich/sentiment/score-sentiment.js';
import { findEntities, type EntityMatch } from '../../rules/entities/find-entities.js';
import { bigramCount, bigrams, charsInCommon, dice } from '../../rules/text/bigram-similarity.js';
import { fuzzyTable } from '../../rules/text/fuzzy-pinyin.js';
import { KeywordScanner } from '../../rules/text/keyword-scanner.js';
import { mapChars } from '../../rules/text/map-chars.js';
import { NORMALIZE, NORMALIZE_KEEP_CASE, composeTables } from '../../rules/text/normalize-text.js';
import type { CallView } from './call-view.js';

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

const EMPTY: Match[] = Object.freeze([]) as unknown as Match[];
const ABSENT: Match = Object.freeze({ p: -1, startMs: 0, endMs: 0, spans: Object.freeze([]) as unknown as TextSpan[], label: '未出现', absent: true as const });
const CLAUSE_END = /[，。！？；,.!?;:：…\s、]/;
/** Words with 不 that negate nothing after them (很不错保本的 still promises). */
const NOT_NEGATING = /不错|不过|不少|不久|不仅|不断|不同|不但/g;

const COUNTABLE = /[\p{L}\p{N}]/u;
const SIDE = ['agent', 'customer'] as const;
const MISSING = '（其后未出现要求的内容）';
/** How long the other side must go on after a cut-in for it to count as a backchannel (takesFloor). */
const BACKCHANNEL_GOES_ON_MS = 1000;
const MISSING_BEFORE = '（其前未出现要求的内容）';
const ROLE_NAME = ['客服', '客户'];
const SENTIMENT_NAME = { negative: '负面情绪', neutral: '中性', positive: '正面情绪' } as const;

/**
 * Evaluates the condition nodes of one compiled rule set on one call at a time. Holds buffers
 * reused from call to call (keyword occurrences as linked lists in typed arrays, a per-node cache
 * stamped with the call's number) so judging a call allocates little beyond its matches.
 * Not re-entrant: one evaluator per thread.
 */
export class ConditionEvaluator {
  private readonly fuzzyBase: number;
  private readonly termHead: Int32Array;
  private touched: number[] = [];
  private occSeg = new Int32Array(1024);
  private occStart = new Int32Array(1024);
  private occEnd = new Int32Array(1024);
  private occNext = new Int32Array(1024);
  private occCount = 0;
  private readonly cacheStamp: Int32Array;
  private readonly cacheValue: Outcome[];
  private stamp = 0;
  private v!: CallView;
  private bigramCache: Array<Int32Array | undefined> = [];
  private readonly simCounts = new Int32Array(32);
  /** Per sentence of this call: its bigram count, -1 until computed. */
  private bigramCount = new Int32Array(256).fill(-1);
  /** Sentiment per sentence of this call (NaN until scored), valid while sentimentStamp is the call's stamp. */
  private sentimentScores = new Float64Array(256);
  private sentimentStamp = -1;
  /** Entities per sentence, per distinct set of types asked (precedence between types depends on the set). */
  private entityCache = new Map<string, Array<EntityMatch[] | undefined>>();

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
  private readonly pairGroup: Int32Array;
  private readonly pairTerm: Int32Array;
  private readonly pairNext: Int32Array;
  private readonly nodeHead: Int32Array;
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
    this.cacheStamp = new Int32Array(rs.nodeCount);
    this.cacheValue = new Array<Outcome>(rs.nodeCount).fill(null);
  }

  /** The sentence being scanned, and the scanners' callbacks (made once: a closure per sentence would be garbage). */
  private scanning = 0;
  private readonly onExact = (id: number, s: number, e: number) => this.record(id, this.scanning, s, e);
  private readonly onFuzzy = (id: number, s: number, e: number) => this.record(this.fuzzyBase + id, this.scanning, s, e);

  /** Prepare for a new call: scan every sentence for every keyword of the rule set at once. */
  begin(view: CallView): void {
    for (const t of this.touched) this.termHead[t] = -1;
    this.touched = [];
    this.occCount = 0;
    this.stamp++;
    this.v = view;
    this.bigramCache = [];
    this.bigramCount.fill(-1, 0, Math.min(this.bigramCount.length, view.n));
    this.entityCache.clear();
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

  /**
   * True when a keywords condition cannot match this call because none of its words occur: most
   * keyword rules on most calls. Lets the judge pass such a rule without evaluating it.
   */
  keywordsAbsent(node: CNode): boolean {
    return node.k === 'keywords' && this.v.hasTranscript && this.nodeTouched[node.id] !== this.stamp;
  }

  evaluate(node: CNode): Outcome {
    if (this.cacheStamp[node.id] === this.stamp) return this.cacheValue[node.id]!;
    const out = this.compute(node);
    this.cacheStamp[node.id] = this.stamp;
    this.cacheValue[node.id] = out;
    return out;
  }

  private compute(node: CNode): Outcome {
    const v = this.v;
    switch (node.k) {
      case 'keywords':
        return v.hasTranscript ? this.keywords(node) : null;
      case 'regex':
        return v.hasTranscript ? this.withExceptions(node.scope, this.regex(node)) : null;
      case 'similarTo':
        return v.hasTranscript ? this.withExceptions(node.scope, this.similar(node)) : null;
      case 'entity':
        return v.hasTranscript ? this.withExceptions(node.scope, this.entity(node)) : null;
      case 'sentiment':
        return v.hasTranscript ? this.withExceptions(node.scope, this.sentiment(node)) : null;
      case 'followUp':
        return this.followUp(node);
      case 'all': {
        let unknown = false;
        const out: Match[] = [];
        for (const c of node.children) {
          const r = this.evaluate(c);
          if (r === null) unknown = true;
          else if (r.length === 0) return EMPTY;
          else out.push(...r);
        }
        return unknown ? null : mergeBySentence(out);
      }
      case 'any': {
        let unknown = false;
        const out: Match[] = [];
        for (const c of node.children) {
          const r = this.evaluate(c);
          if (r === null) unknown = true;
          else out.push(...r);
        }
        return out.length ? mergeBySentence(out) : unknown ? null : EMPTY;
      }
      case 'not': {
        const r = this.evaluate(node.child);
        return r === null ? null : r.length ? EMPTY : [ABSENT];
      }
      case 'silence':
        return this.silence(node);
      case 'interruptions': {
        const s = v.input.signals;
        if (!s) return null;
        const events = s.interruptionEvents.filter((e) => (node.by < 0 || e.by === SIDE[node.by as 0 | 1]) && e.overlapMs >= node.minOverlapMs && (!node.takesFloor || takesFloor(s, e)));
        if (events.length < node.atLeast) return EMPTY;
        return events.map((e) => ({
          p: this.sentenceAt(e.by === 'agent' ? 0 : 1, e.atMs),
          startMs: e.atMs,
          endMs: e.atMs + e.overlapMs,
          spans: [],
          label: `${e.by === 'agent' ? '客服' : '客户'}打断${e.cutOff === 'agent' ? '客服' : '客户'}（重叠 ${(e.overlapMs / 1000).toFixed(1)} 秒）`,
        }));
      }
      case 'overlap': {
        const s = v.input.signals;
        if (!s) return null;
        return s.overlaps
          .filter((o) => (node.by < 0 || o.by === SIDE[node.by as 0 | 1]) && o.endMs - o.startMs > node.minMs)
          .map((o) => ({ p: this.sentenceAt(o.by === 'agent' ? 0 : 1, o.startMs), startMs: o.startMs, endMs: o.endMs, spans: [], label: `双方同时说话 ${((o.endMs - o.startMs) / 1000).toFixed(1)} 秒` }));
      }
      case 'speechRate':
        return this.speechRate(node);
      case 'loudness': {
        const level = v.input.signals?.loudness?.[SIDE[node.speaker]]?.rmsDbfs;
        if (level === undefined || level === null) return null;
        const over = (node.above !== null && level > node.above) || (node.below !== null && level < node.below);
        return over ? [this.callMatch(`${ROLE_NAME[node.speaker]}音量 ${level.toFixed(1)} dBFS`)] : EMPTY;
      }
      case 'duration': {
        const d = v.durationMs;
        if (d === null) return null;
        const out = (node.belowMs !== null && d < node.belowMs) || (node.aboveMs !== null && d > node.aboveMs);
        return out ? [this.callMatch(`通话时长 ${formatDuration(d)}`)] : EMPTY;
      }
      case 'metadata':
        return this.metadata(node) ? [this.callMatch(`${node.field}`)] : EMPTY;
    }
  }

  private callMatch(label: string): Match {
    return { p: -1, startMs: 0, endMs: this.v.durationMs ?? 0, spans: [], label };
  }

  /** Whether sentence p is inside a text condition's speaker and first/last range. */
  private inScope(s: CompiledScope, p: number): boolean {
    const v = this.v;
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
  private withExceptions(s: CompiledScope, matches: Match[]): Outcome {
    if (!s.except || matches.length === 0) return matches;
    const cancelled = this.exceptionAt(s);
    if (!cancelled) return matches;
    const kept = matches.filter((m) => !cancelled(m.p));
    return kept.length ? kept : EMPTY;
  }

  /**
   * Which sentences the scope's exception cancels: those where it holds in the sentence itself
   * or in that speaker's next sentence (exceptIn). Only sentence matches of the exception count —
   * a call-level one (a `not`, a signal) says nothing about a particular sentence. Null: none.
   */
  private exceptionAt(s: CompiledScope): ((p: number) => boolean) | null {
    const ex = s.except ? this.evaluate(s.except) : null;
    if (!ex || ex.length === 0) return null;
    const at = new Set<number>();
    for (const m of ex) if (m.p >= 0) at.add(m.p);
    if (at.size === 0) return null;
    const same = s.exceptIn !== 'next';
    const next = s.exceptIn !== 'same';
    return (p) => p >= 0 && ((same && at.has(p)) || (next && this.v.nextSame[p]! >= 0 && at.has(this.v.nextSame[p]!)));
  }

  /** A word counts as negated when a negator stands in the N (default 4) characters before it, within its clause (不保本, 我没说过这不是我们的问题). */
  private negated(p: number, start: number, negators: string[], window: number): boolean {
    // Most words have no negation character right before them: look at the raw text first.
    const raw = this.v.segs[p]!.text;
    let any = false;
    for (let i = Math.max(0, start - window); i < start && !any; i++) any = this.rs.negationChars[NORMALIZE[raw.charCodeAt(i)]!] === 1;
    if (!any) return false;
    const text = this.v.norm(p);
    let from = start;
    while (from > 0 && start - from < window && !CLAUSE_END.test(text[from - 1]!)) from--;
    if (from === start) return false;
    const before = text.slice(from, start).replace(NOT_NEGATING, '  ');
    return negators.some((n) => before.includes(n));
  }

  private quoted(p: number, pos: number): boolean {
    const text = this.v.norm(p);
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

  private keywords(node: KeywordsNode): Match[] {
    const { need } = node;
    if (this.nodeTouched[node.id] !== this.stamp) return EMPTY;
    // Exceptions cancel occurrences before words are counted: with scope call, a word cancelled in
    // its sentence must not make up the `all` of another.
    const cancelled = node.scope.except ? this.exceptionAt(node.scope) : null;
    // Occurrences that count, as (sentence, start, end, group) in flat buffers.
    let k = 0;
    for (let pair = this.nodeHead[node.id]!; pair >= 0; pair = this.pairNext[pair]!) {
      const g = this.pairGroup[pair]!;
      for (let o = this.termHead[this.pairTerm[pair]!]!; o >= 0; o = this.occNext[o]!) {
        const p = this.occSeg[o]!;
        const start = this.occStart[o]!;
        const end = this.occEnd[o]!;
        if (!this.inScope(node.scope, p)) continue;
        if (cancelled && cancelled(p)) continue;
        if (node.negation && this.negated(p, start, node.negators, node.negationWindow)) continue;
        if (node.ignoreQuoted && this.quoted(p, start)) continue;
        if (node.caseForms && !node.caseForms.has(mapChars(this.v.segs[p]!.text.slice(start, end), NORMALIZE_KEEP_CASE))) continue;
        if (k === this.hitSeg.length) this.growHits();
        this.hitSeg[k] = p;
        this.hitStart[k] = start;
        this.hitEnd[k] = end;
        this.hitGroup[k] = g;
        k++;
      }
    }
    if (k === 0) return EMPTY;
    const order = k === 1 ? [0] : Array.from({ length: k }, (_, i) => i).sort((a, b) => this.hitSeg[a]! - this.hitSeg[b]! || this.hitStart[a]! - this.hitStart[b]!);
    if (node.acrossCall && need > 1) {
      const seen = new Set<number>();
      for (let i = 0; i < k; i++) seen.add(this.hitGroup[i]!);
      if (seen.size < need) return EMPTY;
    }
    const out: Match[] = [];
    for (let i = 0; i < k; ) {
      const p = this.hitSeg[order[i]!]!;
      const spans: TextSpan[] = [];
      const groupsSeen: number[] = [];
      let j = i;
      for (; j < k && this.hitSeg[order[j]!] === p; j++) {
        const h = order[j]!;
        spans.push({ start: this.hitStart[h]!, end: this.hitEnd[h]! });
        if (!groupsSeen.includes(this.hitGroup[h]!)) groupsSeen.push(this.hitGroup[h]!);
      }
      // Labels in the order the words are listed in the rule: the same whatever else the call holds.
      const label = groupsSeen.sort((x, y) => x - y).map((g) => node.labels[g]!).join('、');
      if (node.acrossCall || groupsSeen.length >= need) out.push(this.sentenceMatch(p, spans, label));
      i = j;
    }
    return out.length ? out : EMPTY;
  }

  private hitSeg = new Int32Array(256);
  private hitStart = new Int32Array(256);
  private hitEnd = new Int32Array(256);
  private hitGroup = new Int32Array(256);
  private growHits(): void {
    this.hitSeg = grow(this.hitSeg);
    this.hitStart = grow(this.hitStart);
    this.hitEnd = grow(this.hitEnd);
    this.hitGroup = grow(this.hitGroup);
  }

  private sentenceMatch(p: number, spans: TextSpan[], label?: string): Match {
    const s = this.v.segs[p]!;
    spans.sort((a, b) => a.start - b.start || a.end - b.end);
    return { p, startMs: s.startMs, endMs: s.endMs, spans, ...(label ? { label } : {}) };
  }

  private regex(node: RegexNode): Match[] {
    const out: Match[] = [];
    const { re } = node;
    const gated = node.gate ? this.gatedSentences(node) : null;
    if (gated && gated.length === 0) return EMPTY;
    const count = gated ? gated.length : this.v.n;
    for (let k = 0; k < count; k++) {
      const p = gated ? gated[k]! : k;
      if (!this.inScope(node.scope, p)) continue;
      const text = this.v.norm(p);
      re.lastIndex = 0;
      let spans: TextSpan[] | null = null;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        if (node.negation && this.negated(p, m.index, node.negators, node.negationWindow)) continue;
        if (node.ignoreQuoted && this.quoted(p, m.index)) continue;
        (spans ??= []).push({ start: m.index, end: m.index + m[0].length });
      }
      if (spans && !(node.not && node.not.test(text))) out.push(this.sentenceMatch(p, spans, [...new Set(spans.map((x) => this.v.segs[p]!.text.slice(x.start, x.end)))].join('、')));
    }
    return out;
  }

  /** The sentences holding one of a gated regex's literals, in order (none: the regex cannot match). */
  private gatedSentences(node: RegexNode): number[] {
    if (this.nodeTouched[node.id] !== this.stamp) return [];
    const ps: number[] = [];
    for (let pair = this.nodeHead[node.id]!; pair >= 0; pair = this.pairNext[pair]!)
      for (let o = this.termHead[this.pairTerm[pair]!]!; o >= 0; o = this.occNext[o]!) ps.push(this.occSeg[o]!);
    return [...new Set(ps)].sort((a, b) => a - b);
  }

  private similar(node: SimilarNode): Match[] {
    const out: Match[] = [];
    const v = this.v;
    for (let p = 0; p < v.n; p++) {
      if (!this.inScope(node.scope, p)) continue;
      const text = v.norm(p);
      if (this.bigramCount.length < v.n) this.bigramCount = new Int32Array(v.n * 2).fill(-1);
      let a = this.bigramCount[p]!;
      if (a < 0) this.bigramCount[p] = a = bigramCount(text);
      let best = 0;
      const mask = node.exampleMask;
      if (mask) {
        // How many positions of the sentence hold a character of each example (an upper bound of shared bigrams).
        this.simCounts.fill(0, 0, node.examples.length);
        for (let i = 0; i < text.length - 1; i++) {
          let bits = mask[text.charCodeAt(i)]!;
          while (bits !== 0) {
            const e = 31 - Math.clz32(bits);
            this.simCounts[e]!++;
            bits &= ~(1 << e);
          }
        }
      }
      for (let e = 0; e < node.examples.length; e++) {
        const ex = node.examples[e]!;
        const b = ex.length;
        // Dice ≤ 2·min(a, b) / (a + b), and ≤ 2·(characters in common) / (a + b): most sentences fail one bound.
        const need = (node.threshold * (a + b)) / 2;
        // (with a little slack: need is a product of floats, and a sentence exactly at the threshold counts)
        if (Math.min(a, b) < need - 1e-9) continue;
        if ((mask ? this.simCounts[e]! : charsInCommon(text, node.exampleChars[e]!)) < need - 1e-9) continue;
        best = Math.max(best, dice((this.bigramCache[p] ??= bigrams(text)), ex));
      }
      if (best >= node.threshold) out.push(this.sentenceMatch(p, [], `相似度 ${best.toFixed(2)}`));
    }
    return out;
  }

  /** Sentences whose sentiment lies in the node's band; each sentence is scored once per call, and only when a sentiment condition asks. */
  private sentiment(node: SentimentNode): Match[] {
    const out: Match[] = [];
    const v = this.v;
    if (this.sentimentScores.length < v.n) this.sentimentScores = new Float64Array(v.n * 2);
    if (this.sentimentStamp !== this.stamp) {
      this.sentimentScores.fill(NaN, 0, v.n);
      this.sentimentStamp = this.stamp;
    }
    for (let p = 0; p < v.n; p++) {
      if (!this.inScope(node.scope, p)) continue;
      let score = this.sentimentScores[p]!;
      if (Number.isNaN(score)) this.sentimentScores[p] = score = scoreSentiment(v.segs[p]!.text).score;
      if (score < node.min || score > node.max || (node.label !== null && labelOf(score) !== node.label)) continue;
      out.push(this.sentenceMatch(p, [], `${SENTIMENT_NAME[labelOf(score)]} ${score.toFixed(2)}`));
    }
    return out;
  }

  private entity(node: EntityNode): Match[] {
    const out: Match[] = [];
    for (let p = 0; p < this.v.n; p++) {
      if (!this.inScope(node.scope, p)) continue;
      let perSentence = this.entityCache.get(node.typesKey);
      if (!perSentence) this.entityCache.set(node.typesKey, (perSentence = []));
      const found = (perSentence[p] ??= findEntities(this.v.segs[p]!.text, node.types, this.rs.orderPatterns ? { orderPatterns: this.rs.orderPatterns } : {}));
      const hits = found.filter((e) => node.masked === 'include' || (node.masked === 'only') === e.masked);
      if (hits.length) out.push(this.sentenceMatch(p, hits.map((e) => ({ start: e.start, end: e.end })), [...new Set(hits.map((e) => e.type))].join('、')));
    }
    return out;
  }

  private followUp(node: FollowUpNode): Outcome {
    const anchors = this.evaluate(node.anchor);
    if (anchors === null) return null;
    if (anchors.length === 0) return EMPTY;
    const checks = this.evaluate(node.check);
    if (checks === null) return null;
    const v = this.v;
    // The checked sentences in order, to find those in a window by binary search (anchors × checks is quadratic).
    const inSentences = checks.filter((c) => c.p >= 0).sort((x, y) => x.p - y.p);
    const out: Match[] = [];
    const seen = new Set<number>();
    const where = node.direction === 'after' ? '之后' : '之前';
    const endsBefore = node.direction === 'before' && node.window.seconds !== undefined;
    const missing = node.direction === 'after' ? MISSING : MISSING_BEFORE;
    for (const a of anchors) {
      if (a.p < 0) continue;
      const [lo, hi] = this.windowRange(node, a.p);
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
  private windowRange(node: FollowUpNode, a: number): [number, number] {
    const v = this.v;
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

  private silence(node: SilenceNode): Outcome {
    const s = this.v.input.signals;
    if (!s) return null;
    const spans = [...s.speech.agent, ...s.speech.customer, ...s.speech.unknown].sort((a, b) => a.startMs - b.startMs);
    const notices = node.unless ? this.evaluate(node.unless) : EMPTY;
    const out: Match[] = [];
    let end = spans.length ? spans[0]!.endMs : 0;
    for (let i = 1; i < spans.length; i++) {
      const sp = spans[i]!;
      if (sp.startMs - end > node.minMs) {
        const gapStart = end;
        // Without a transcript nobody can tell whether a hold was announced: unknown, not a hit.
        if (notices === null) return null;
        const excused = notices.some((m) => m.p >= 0 && m.endMs <= gapStart + 1000 && m.endMs >= gapStart - node.noticeMs);
        if (!excused) out.push({ p: -1, startMs: gapStart, endMs: sp.startMs, spans: [], label: `静音 ${((sp.startMs - gapStart) / 1000).toFixed(1)} 秒${node.unless ? '，之前未提示等待' : ''}` });
      }
      end = Math.max(end, sp.endMs);
    }
    return out.length ? out : EMPTY;
  }

  private speechRate(node: SpeechRateNode): Outcome {
    const v = this.v;
    const over = (rate: number) => (node.above !== null && rate > node.above) || (node.below !== null && rate < node.below);
    if (!node.perSentence) {
      const rate = v.input.signals?.speechRate[SIDE[node.speaker]];
      if (rate === undefined || rate === null) return null;
      return over(rate) ? [this.callMatch(`${ROLE_NAME[node.speaker]}平均语速 ${Math.round(rate)} 字/分钟`)] : EMPTY;
    }
    if (!v.hasTranscript) return null;
    const out: Match[] = [];
    for (let p = 0; p < v.n; p++) {
      if (v.role[p] !== node.speaker) continue;
      const s = v.segs[p]!;
      let chars = 0;
      for (const ch of s.text) if (COUNTABLE.test(ch)) chars++;
      const ms = s.endMs - s.startMs;
      if (chars < node.minChars || ms <= 0) continue;
      const rate = (chars * 60000) / ms;
      if (over(rate)) out.push(this.sentenceMatch(p, [], `语速 ${Math.round(rate)} 字/分钟`));
    }
    return out.length ? out : EMPTY;
  }

  private metadata(node: CompiledRuleSet['rules'][number]['when'] & { k: 'metadata' }): boolean {
    const call = this.v.input.call;
    const raw: unknown = node.field.startsWith('extra.') ? call.extra[node.field.slice(6)] : (call as unknown as Record<string, unknown>)[node.field];
    const values = Array.isArray(raw) ? (raw as string[]) : raw === null || raw === undefined || raw === '' ? [] : [String(raw)];
    if (node.exists !== null && (values.length > 0) !== node.exists) return false;
    if (node.in && !values.some((x) => node.in!.includes(x))) return false;
    if (node.notIn && values.some((x) => node.notIn!.includes(x))) return false;
    if (node.gte !== null || node.lte !== null) {
      const num = values.length === 1 ? Number(values[0]) : NaN;
      if (!Number.isFinite(num)) return false;
      if (node.gte !== null && num < node.gte) return false;
      if (node.lte !== null && num > node.lte) return false;
    }
    return true;
  }

  /** The sentence of a speaker that starts closest to a moment (within 1.5 s), or -1. */
  private sentenceAt(role: 0 | 1, atMs: number): number {
    let best = -1;
    let dist = 1500;
    for (let p = 0; p < this.v.n; p++) {
      if (this.v.role[p] !== role) continue;
      const d = Math.abs(this.v.segs[p]!.startMs - atMs);
      if (d <= dist) {
        dist = d;
        best = p;
      }
    }
    return best;
  }
}

/**
 * One match per sentence: parts of an all/any that hold in the same sentence are one hit of the
 * rule (their spans and labels together), not one per part. Call-level matches stay as they are.
 */
function mergeBySentence(ms: Match[]): Match[] {
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

/**
 * Whether a cut-in took the turn: the other side did not go on speaking for a second or more
 * after the one who cut in fell silent. A short 嗯/对 inside the other's sentence, which goes on
 * regardless, is a backchannel; a customer trailing off for a moment after being talked over is not.
 */
function takesFloor(s: Signals, e: Interruption): boolean {
  const mine = s.speech[e.by].find((x) => x.startMs <= e.atMs + 50 && x.endMs > e.atMs);
  const theirs = s.speech[e.cutOff].find((x) => x.startMs < e.atMs && x.endMs > e.atMs);
  if (!mine || !theirs) return true; // spans merged differently than the event: keep the measured interruption
  return theirs.endMs - mine.endMs < BACKCHANNEL_GOES_ON_MS;
}

/** Index of the first match at sentence p or later (matches sorted by sentence). */
function lowerBound(ms: Match[], p: number): number {
  let lo = 0;
  let hi = ms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ms[mid]!.p < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The same numbers in an array twice as long. */
function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function sortMatches(ms: Match[]): Match[] {
  return ms.sort((a, b) => a.p - b.p || a.startMs - b.startMs);
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
}
