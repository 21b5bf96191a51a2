import type { CNode, CompiledRuleSet } from '../../rules/compile/compiled-rule-set.js';
import type { CallView } from './call-view.js';
import { followUp } from './follow-up.js';
import { KeywordHits, keywords } from './keyword-condition.js';
import { KeywordIndex } from './keyword-index.js';
import { ABSENT, EMPTY, mergeBySentence, type Match, type Outcome } from './match.js';
import { metadata } from './metadata-condition.js';
import { duration, interruptions, loudness, overlap, silence, speechRate } from './signal-conditions.js';
import { SentimentScores, SimilarityCache, entity, regex, sentiment, similar, type EntityCache } from './text-conditions.js';
import { withExceptions } from './text-scope.js';

/**
 * Evaluates the condition nodes of one compiled rule set on one call at a time. Holds buffers
 * reused from call to call (keyword occurrences as linked lists in typed arrays, a per-node cache
 * stamped with the call's number) so judging a call allocates little beyond its matches.
 * Not re-entrant: one evaluator per thread.
 *
 * This is the dispatcher: it owns the per-call state and sends each node to the function that
 * judges its kind (keyword-condition, text-conditions, follow-up, signal-conditions,
 * metadata-condition); all / any / not are combined here.
 */
export class ConditionEvaluator {
  private readonly index: KeywordIndex;
  private readonly hits = new KeywordHits();
  private readonly cacheStamp: Int32Array;
  private readonly cacheValue: Outcome[];
  private stamp = 0;
  private v!: CallView;
  private readonly similarity = new SimilarityCache();
  private readonly sentimentScores = new SentimentScores();
  private readonly entityCache: EntityCache = new Map();

  constructor(private readonly rs: CompiledRuleSet) {
    this.index = new KeywordIndex(rs);
    this.cacheStamp = new Int32Array(rs.nodeCount);
    this.cacheValue = new Array<Outcome>(rs.nodeCount).fill(null);
  }

  /** Prepare for a new call: scan every sentence for every keyword of the rule set at once. */
  begin(view: CallView): void {
    this.stamp++;
    this.v = view;
    this.similarity.begin(view.n);
    this.sentimentScores.begin();
    this.entityCache.clear();
    this.index.scan(view);
  }

  /**
   * True when a keywords condition cannot match this call because none of its words occur: most
   * keyword rules on most calls. Lets the judge pass such a rule without evaluating it.
   */
  keywordsAbsent(node: CNode): boolean {
    return node.k === 'keywords' && this.v.hasTranscript && !this.index.occurs(node.id);
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
        return v.hasTranscript ? keywords(this, v, node, this.index, this.hits, this.rs.negationChars) : null;
      case 'regex':
        return v.hasTranscript ? withExceptions(this, v, node.scope, regex(v, node, this.index, this.rs.negationChars)) : null;
      case 'similarTo':
        return v.hasTranscript ? withExceptions(this, v, node.scope, similar(v, node, this.similarity)) : null;
      case 'entity':
        return v.hasTranscript ? withExceptions(this, v, node.scope, entity(v, node, this.entityCache, this.rs.orderPatterns)) : null;
      case 'sentiment':
        return v.hasTranscript ? withExceptions(this, v, node.scope, sentiment(v, node, this.sentimentScores)) : null;
      case 'followUp':
        return followUp(this, v, node);
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
        return silence(this, v, node);
      case 'interruptions':
        return interruptions(v, node);
      case 'overlap':
        return overlap(v, node);
      case 'speechRate':
        return speechRate(v, node);
      case 'loudness':
        return loudness(v, node);
      case 'duration':
        return duration(v, node);
      case 'metadata':
        return metadata(v, node);
    }
  }
}
