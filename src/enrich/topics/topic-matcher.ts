import { NORMALIZE, normalizePattern, normalizeText } from '../../rules/text/normalize-text.js';
import { KeywordScanner } from '../../rules/text/keyword-scanner.js';
import { normalizeForMatching } from '../text/normalize-for-matching.js';
import type { Taxonomy } from './taxonomy.js';

/** Which topic a scanned word belongs to, and whether it finds or cancels it. */
interface WordUse {
  topic: number;
  exclude: boolean;
}

/**
 * A taxonomy compiled for matching: every keyword and exclude phrase of every topic in one
 * keyword scanner (one pass over a sentence whatever the number of topics), the patterns as
 * regular expressions. Keywords match the normalised text (退貨 finds 退货); patterns also see the
 * digit view (等了[0-9]+天 finds 等了三天), since 一 reads as 1 there and a pattern like 一直 would
 * not match it alone.
 */
export class TopicMatcher {
  private readonly scanner = new KeywordScanner();
  private readonly uses: WordUse[][] = [];
  private readonly patterns: RegExp[][];

  constructor(readonly taxonomy: Taxonomy) {
    taxonomy.topics.forEach((topic, t) => {
      for (const w of topic.keywords) this.use(w, { topic: t, exclude: false });
      for (const w of topic.exclude ?? []) this.use(w, { topic: t, exclude: true });
    });
    this.patterns = taxonomy.topics.map((topic) => (topic.patterns ?? []).map((p) => new RegExp(normalizePattern(p), 'u')));
  }

  private use(word: string, use: WordUse): void {
    const id = this.scanner.add(normalizeText(word));
    (this.uses[id] ??= []).push(use);
  }

  /**
   * The terms of each topic found in one sentence: keywords (a keyword inside a longer one of the
   * same topic counts once, as the longer: 还没收到 is not also 没收到) and `/pattern/` for each
   * pattern that matches. A topic with an exclude phrase in the sentence gets nothing from it.
   */
  match(text: string): Map<number, string[]> {
    const found = new Map<number, Array<{ term: string; start: number; end: number }>>();
    const excluded = new Set<number>();
    this.scanner.scanMapped(text, NORMALIZE, (id, start, end) => {
      for (const u of this.uses[id]!) {
        if (u.exclude) excluded.add(u.topic);
        else {
          let list = found.get(u.topic);
          if (!list) found.set(u.topic, (list = []));
          list.push({ term: this.scanner.wordOf(id), start, end });
        }
      }
    });
    const out = new Map<number, string[]>();
    for (const [t, list] of found) {
      if (excluded.has(t)) continue;
      list.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
      const kept: typeof list = [];
      for (const m of list) if (!kept.some((k) => k.start <= m.start && m.end <= k.end)) kept.push(m);
      out.set(t, [...new Set(kept.map((k) => k.term))]);
    }
    let normalized: string | null = null;
    let digits: string | null = null;
    this.patterns.forEach((regexes, t) => {
      if (!regexes.length || excluded.has(t)) return;
      normalized ??= normalizeText(text);
      digits ??= normalizeForMatching(text);
      for (const re of regexes) {
        if (!re.test(normalized) && !re.test(digits)) continue;
        const terms = out.get(t) ?? [];
        terms.push(`/${re.source}/`);
        out.set(t, terms);
      }
    });
    return out;
  }
}

/** One matcher per taxonomy object: compiling is per taxonomy, matching per sentence. */
const compiled = new WeakMap<Taxonomy, TopicMatcher>();
export function matcherOf(taxonomy: Taxonomy): TopicMatcher {
  let m = compiled.get(taxonomy);
  if (!m) compiled.set(taxonomy, (m = new TopicMatcher(taxonomy)));
  return m;
}
