import { createHash } from 'node:crypto';
import type { CallChannel } from '../../domain/call.js';
import type { RuleResult } from '../../domain/inspection.js';
import { compileOrderPatterns, DEFAULT_ORDER_PATTERNS } from '../entities/find-entities.js';
import type { Condition, KeywordList, KeywordsCondition, RangeSpec, RoleFilter, TextScope } from '../language/condition.js';
import { DEFAULT_BANDS, DEFAULT_NEGATORS, type RuleModule, type RuleSetDocument } from '../language/rule-module.js';
import { resolveRuleRef } from '../language/validate-rule-set.js';
import { bigrams, charBloom } from '../text/bigram-similarity.js';
import { fuzzyText } from '../text/fuzzy-pinyin.js';
import { KeywordScanner } from '../text/keyword-scanner.js';
import { requiredLiterals } from '../text/required-literals.js';
import { mapChars } from '../text/map-chars.js';
import { NORMALIZE_KEEP_CASE, normalizePattern, normalizeText } from '../text/normalize-text.js';
import type { CNode, CompiledRule, CompiledRuleSet, CompiledScope, CompiledScorecard, KeywordsNode, RegexNode, RoleCode, TermRef } from './compiled-rule-set.js';

/** Similarity conditions given a per-character example index (256 KiB each). */
const MAX_SIMILAR_INDEXES = 16;

/** character → bitmask of the examples that contain it. */
function charMask(examples: string[]): Uint32Array {
  const m = new Uint32Array(0x10000);
  examples.forEach((e, i) => {
    for (let k = 0; k < e.length; k++) m[e.charCodeAt(k)]! |= 1 << i;
  });
  return m;
}

/** Fuzzy (pinyin) matching applies to words of at least this many Han characters: two syllables collide with too many ordinary words. */
export const FUZZY_MIN_HAN = 3;
const HAN = /^\p{Script=Han}+$/u;

const role = (r: RoleFilter | undefined): RoleCode => (r === 'agent' ? 0 : r === 'customer' ? 1 : -1);

/** JSON with object keys sorted: the hash must not depend on the order fields were written in. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export const ruleSetHash = (doc: RuleSetDocument): string => createHash('sha256').update(canonicalJson({ modules: doc.modules })).digest('hex');

/**
 * Prepares a validated rule set (validateRuleSet / loadRuleSet) for judging. Pure and
 * deterministic; 4,000 rules compile in well under a second (bench:rules measures it).
 * @example const compiled = compileRuleSet(loadRuleSet(files), 3)
 */
export function compileRuleSet(doc: RuleSetDocument, version: number | null = null): CompiledRuleSet {
  const exact = new KeywordScanner();
  const fuzzy = new KeywordScanner();
  let nodeCount = 0;
  let similarIndexes = 0;
  const negationChars = new Uint8Array(0x10000);
  const noteNegators = (ns: string[]) => ns.forEach((n) => [...n].forEach((ch) => (negationChars[ch.charCodeAt(0)] = 1)));
  const keywordNodes: KeywordsNode[] = [];
  const gatedRegexNodes: RegexNode[] = [];
  const gateOf = (pattern: string): TermRef[] | null => requiredLiterals(pattern)?.map((l) => ({ fuzzy: false, id: exact.add(l) })) ?? null;
  const custom = doc.modules.flatMap((m) => (m.entities?.orderPatterns?.length ? compileOrderPatterns(m.entities.orderPatterns) : []));
  // null = the defaults (findEntities then knows every order number has a long digit run and can skip most sentences at once).
  const orderPatterns = custom.length ? [...DEFAULT_ORDER_PATTERNS, ...custom] : null;

  const compileModule = (m: RuleModule) => {
    const synonyms = new Map<string, string[]>();
    const addSyn = (map: Record<string, string[]> | undefined, into: Map<string, string[]>) => {
      for (const [w, syns] of Object.entries(map ?? {})) into.set(normalizeText(w), [...(into.get(normalizeText(w)) ?? []), ...syns]);
    };
    addSyn(m.synonyms, synonyms);
    const negators = (m.negators ?? DEFAULT_NEGATORS).map(normalizeText);

    const term = (word: string, wantFuzzy: boolean): TermRef => {
      const w = normalizeText(word.trim());
      if (wantFuzzy && w.length >= FUZZY_MIN_HAN && HAN.test(w)) return { fuzzy: true, id: fuzzy.add(fuzzyText(w)) };
      return { fuzzy: false, id: exact.add(w) };
    };

    const scope = (c: TextScope): CompiledScope => ({
      speaker: role(c.speaker),
      first: range(c.first),
      last: range(c.last),
      except: c.except ? node(c.except) : null,
      exceptIn: c.exceptIn ?? 'sameOrNext',
    });
    const range = (r: RangeSpec | undefined) => (r ? { ...r } : null);

    // The same condition written twice in a module (a YAML anchor reused as onlyIf and as an
    // anchor, a common exception) becomes one node: evaluated once per call, cached by id.
    const known = new Map<string, CNode>();
    const node = (c: Condition): CNode => {
      const key = canonicalJson(c);
      const seen = known.get(key);
      if (seen) return seen;
      const id = nodeCount++;
      let n: CNode;
      if ('keywords' in c) {
        const kw = keywordsNode(c, id);
        keywordNodes.push(kw);
        n = kw;
      } else n = otherNode(c, id);
      if (n.k === 'regex' && n.gate) gatedRegexNodes.push(n);
      known.set(key, n);
      return n;
    };
    const keywordsNode = (c: KeywordsCondition, id: number): KeywordsNode => {
      const { words, need } = keywordList(c.keywords);
      const local = new Map(synonyms);
      addSyn(c.synonyms, local);
      // A fuzzy word matches its exact spelling too (same characters, same fuzzy view), so one term each.
      const groups = words.map((entry) => {
        const forms = entry.split('|').map((s) => s.trim());
        const refs = new Map<string, TermRef>();
        for (const f of [...forms, ...forms.flatMap((f) => local.get(normalizeText(f)) ?? [])]) {
          const ref = term(f, c.fuzzy === true);
          refs.set(`${ref.fuzzy ? 'f' : 'e'}${ref.id}`, ref);
        }
        return [...refs.values()];
      });
      return {
        k: 'keywords',
        id,
        scope: scope(c),
        groups,
        labels: words.map((w) => w.split('|')[0]!.trim()),
        need: need === 'all' ? groups.length : need,
        acrossCall: c.scope === 'call',
        negation: c.negation === true,
        ignoreQuoted: c.ignoreQuoted === true,
        caseForms: c.caseSensitive ? new Set(words.flatMap((w) => w.split('|').map((f) => f.trim())).flatMap((f) => [f, ...(local.get(normalizeText(f)) ?? [])]).map((f) => mapChars(f, NORMALIZE_KEEP_CASE))) : null,
        negators: c.negation ? (noteNegators(negators), negators) : [],
        negationWindow: m.negationWindow ?? 4,
      };
    };
    const otherNode = (c: Exclude<Condition, KeywordsCondition>, id: number): CNode => {
      if ('regex' in c) {
        const spec = typeof c.regex === 'string' ? { pattern: c.regex } : c.regex;
        const flags = `gu${spec.ignoreCase ? 'i' : ''}`;
        return {
          k: 'regex',
          id,
          scope: scope(c),
          source: spec.pattern,
          re: new RegExp(normalizePattern(spec.pattern), flags),
          // Case-insensitive: Unicode folds letters the scanner's table does not (É/é, Σ/σ), so a
          // literal could miss a sentence the regex matches; such a regex runs on every sentence.
          gate: spec.ignoreCase ? null : gateOf(normalizePattern(spec.pattern)),
          not: spec.not ? new RegExp(normalizePattern(spec.not), flags.replace('g', '')) : null,
          negation: c.negation === true,
          ignoreQuoted: c.ignoreQuoted === true,
          negators: c.negation ? (noteNegators(negators), negators) : [],
        negationWindow: m.negationWindow ?? 4,
        };
      }
      if ('similarTo' in c) {
        const examples = c.similarTo.examples.map(normalizeText);
        const exampleMask = examples.length <= 32 && similarIndexes++ < MAX_SIMILAR_INDEXES ? charMask(examples) : null;
        return { k: 'similarTo', id, scope: scope(c), examples: examples.map(bigrams), exampleChars: examples.map(charBloom), exampleMask, threshold: c.similarTo.threshold ?? 0.6 };
      }
      if ('sentiment' in c) return { k: 'sentiment', id, scope: scope(c), label: c.sentiment.label ?? null, min: c.sentiment.above ?? -1, max: c.sentiment.below ?? 1 };
      if ('entity' in c) return { k: 'entity', id, scope: scope(c), types: new Set(c.entity.types), typesKey: [...new Set(c.entity.types)].sort().join(','), masked: c.entity.masked ?? 'exclude' };
      if ('followUp' in c) {
        const f = c.followUp;
        const checkCond = (f.expect ?? f.forbid)!;
        return {
          k: 'followUp',
          id,
          anchor: node((f.after ?? f.before)!),
          check: node(checkCond),
          expect: f.expect !== undefined,
          direction: f.after !== undefined ? 'after' : 'before',
          window: { ...f.within },
          turnSpeaker: speakerOf(checkCond),
        };
      }
      if ('silence' in c) return { k: 'silence', id, minMs: c.silence.longerThan * 1000, unless: c.silence.unless ? node(c.silence.unless) : null, noticeMs: (c.silence.noticeWithin ?? 30) * 1000 };
      if ('interruptions' in c) return { k: 'interruptions', id, by: role(c.interruptions.by), atLeast: c.interruptions.atLeast ?? 1, minOverlapMs: (c.interruptions.minOverlap ?? 0) * 1000, takesFloor: c.interruptions.takesFloor === true };
      if ('overlap' in c) return { k: 'overlap', id, by: role(c.overlap.by), minMs: c.overlap.longerThan * 1000 };
      if ('speechRate' in c) {
        const s = c.speechRate;
        return { k: 'speechRate', id, speaker: s.speaker === 'customer' ? 1 : 0, above: s.above ?? null, below: s.below ?? null, perSentence: s.per === 'sentence', minChars: s.minChars ?? 5 };
      }
      if ('loudness' in c) return { k: 'loudness', id, speaker: c.loudness.speaker === 'customer' ? 1 : 0, above: c.loudness.above ?? null, below: c.loudness.below ?? null };
      if ('duration' in c) {
        const d = c.duration;
        const below = d.outside ? d.outside[0] : (d.below ?? null);
        const above = d.outside ? d.outside[1] : (d.above ?? null);
        return { k: 'duration', id, belowMs: below === null ? null : below * 1000, aboveMs: above === null ? null : above * 1000 };
      }
      if ('metadata' in c) {
        const md = c.metadata;
        return { k: 'metadata', id, field: md.field, in: md.in ?? null, notIn: md.notIn ?? null, gte: md.gte ?? null, lte: md.lte ?? null, exists: md.exists ?? null };
      }
      if ('all' in c) return { k: 'all', id, children: c.all.map(node) };
      if ('any' in c) return { k: 'any', id, children: c.any.map(node) };
      return { k: 'not', id, child: node(c.not) };
    };

    const rules: CompiledRule[] = [];
    for (const r of m.rules) {
      if (r.enabled === false) continue;
      const ruleId = `${m.module}.${r.id}`;
      const severity = r.severity ?? 'normal';
      const lines = intersect(m.appliesTo?.businessLines, r.appliesTo?.businessLines);
      const channels = intersect(m.appliesTo?.channels, r.appliesTo?.channels) as CallChannel[] | null;
      const base = { ruleId, ruleName: r.name, severity, hits: 0 };
      rules.push({
        id: ruleId,
        name: r.name,
        description: r.description ?? null,
        severity,
        required: r.type === 'required',
        when: node(r.when),
        onlyIf: r.onlyIf ? node(r.onlyIf) : null,
        businessLines: lines ? new Set(lines) : null,
        channels: channels ? new Set(channels) : null,
        minHits: r.minHits ?? 1,
        passResult: Object.freeze<RuleResult>({ ...base, outcome: 'pass', evidence: Object.freeze([]) as unknown as RuleResult['evidence'] }),
        notApplicableResult: Object.freeze<RuleResult>({
          ...base,
          outcome: 'na',
          reason: `不适用：仅用于${[lines ? `业务线 ${lines.join('/')}` : '', channels ? `渠道 ${channels.join('/')}` : ''].filter(Boolean).join('，')}`,
          evidence: Object.freeze([]) as unknown as RuleResult['evidence'],
        }),
      });
    }
    return rules;
  };

  const rules = doc.modules.flatMap(compileModule);
  const fuzzyRules = rules.filter((r) => usesFuzzy(r.when) || (r.onlyIf !== null && usesFuzzy(r.onlyIf)));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const scorecards: CompiledScorecard[] = doc.modules.flatMap((m) =>
    (m.scorecards ?? []).map((s) => ({
      id: s.id,
      name: s.name,
      businessLines: new Set(s.businessLines.filter((b) => b !== '*')),
      isDefault: s.businessLines.includes('*'),
      bands: [...(s.bands ?? DEFAULT_BANDS)].sort((a, b) => b.min - a.min),
      categories: s.categories.map((c) => ({ id: c.id, name: c.name })),
      items: s.categories.flatMap((c, categoryIndex) =>
        c.items.map((it) => ({
          id: it.id,
          categoryId: c.id,
          categoryIndex,
          name: it.name,
          points: it.points,
          ruleIds: (it.rules ?? []).map((ref) => resolveRuleRef(m.module, ref)),
          ruleIndexes: [] as number[],
          deduct: it.deduct ? { perHit: it.deduct.perHit, max: it.deduct.max ?? it.points } : null,
          fatal: it.fatal === true,
          manual: it.manual === true,
          naPolicy: it.naPolicy ?? s.naPolicy ?? 'exclude',
        })),
      ),
    })),
  );
  // A disabled rule has no result: its items are scored as if the rule were n/a.
  for (const card of scorecards) for (const it of card.items) it.ruleIndexes = it.ruleIds.map((id) => ruleIndex.get(id) ?? -1).filter((i) => i >= 0);
  return { version, hash: ruleSetHash(doc), rules, ruleIndex, scorecards, exact, fuzzy: fuzzy.size ? fuzzy : null, fuzzyRules, orderPatterns, keywordNodes, gatedRegexNodes, negationChars, nodeCount };
}

function keywordList(k: KeywordList): { words: string[]; need: number | 'all' } {
  if (Array.isArray(k)) return { words: k, need: 1 };
  if ('any' in k) return { words: k.any, need: 1 };
  if ('all' in k) return { words: k.all, need: 'all' };
  return { words: k.of, need: k.atLeast };
}

function intersect<T>(a: T[] | undefined, b: T[] | undefined): T[] | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a.filter((x) => b.includes(x));
}

/** The speaker a condition is about, when all its text parts agree (for counting turns). */
export function speakerOf(c: Condition): RoleCode {
  if ('keywords' in c || 'regex' in c || 'similarTo' in c || 'entity' in c || 'sentiment' in c) return role(c.speaker);
  const kids = 'all' in c ? c.all : 'any' in c ? c.any : null;
  if (!kids) return -1;
  const roles = new Set(kids.map(speakerOf));
  return roles.size === 1 ? [...roles][0]! : -1;
}

/** Whether a condition tree has a fuzzy word anywhere (exceptions, anchors and notices included). */
function usesFuzzy(n: CNode): boolean {
  switch (n.k) {
    case 'keywords':
      return n.groups.some((g) => g.some((t) => t.fuzzy)) || (n.scope.except !== null && usesFuzzy(n.scope.except));
    case 'regex':
    case 'similarTo':
    case 'entity':
    case 'sentiment':
      return n.scope.except !== null && usesFuzzy(n.scope.except);
    case 'followUp':
      return usesFuzzy(n.anchor) || usesFuzzy(n.check);
    case 'silence':
      return n.unless !== null && usesFuzzy(n.unless);
    case 'all':
    case 'any':
      return n.children.some(usesFuzzy);
    case 'not':
      return usesFuzzy(n.child);
    default:
      return false;
  }
}
