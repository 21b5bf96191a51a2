import type { Path } from './rule-yaml';

/**
 * Reading the rule language's modules (docs/rules.md, src/rules/language/rule-module.ts) for the
 * page: the rules of a module, the keyword conditions of a rule, and the scorecard items that
 * score it. Values come from YAML people edit, so every field is checked before use.
 */
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number') ? v.map(String) : undefined);

export interface RuleView {
  /** `<module>.<rule>` as results name it. */
  fullId: string;
  id: string;
  name: string;
  description: string;
  severity: 'normal' | 'fatal';
  type: 'violation' | 'required';
  enabled: boolean;
  minHits: number | undefined;
  when: unknown;
  onlyIf: unknown;
  raw: Obj;
}

export function rulesOf(module: Obj | undefined): RuleView[] {
  const moduleId = str(module?.module) ?? '?';
  const rules = Array.isArray(module?.rules) ? module.rules : [];
  return rules.map((r: unknown, i) => {
    const o = isObj(r) ? r : {};
    const id = str(o.id) ?? `#${i + 1}`;
    return {
      fullId: `${moduleId}.${id}`,
      id,
      name: str(o.name) ?? '',
      description: str(o.description) ?? '',
      severity: o.severity === 'fatal' ? 'fatal' : 'normal',
      type: o.type === 'required' ? 'required' : 'violation',
      enabled: o.enabled !== false,
      minHits: num(o.minHits),
      when: o.when,
      onlyIf: o.onlyIf,
      raw: o,
    };
  });
}

/** A `keywords` condition somewhere in a rule: its words and where they are in the module. */
export interface KeywordSpot {
  /** The condition (an object with `keywords`), from the module root. */
  path: Path;
  /** The list of words: `keywords`, or `keywords.any|all|of`. */
  listPath: Path;
  words: string[];
  mode: 'any' | 'all' | 'atLeast';
  atLeast: number | undefined;
  speaker: string | undefined;
  fuzzy: boolean;
  negation: boolean;
  /** `when.any[0]`: where it is in the rule, for people. */
  where: string;
}

const SUB_CONDITIONS: ReadonlyArray<readonly [string, 'one' | 'many']> = [
  ['all', 'many'],
  ['any', 'many'],
  ['not', 'one'],
  ['except', 'one'],
];
const FOLLOW_UP_PARTS = ['after', 'before', 'expect', 'forbid'] as const;

function keywordList(k: unknown): { rel: string[]; words: string[]; mode: KeywordSpot['mode']; atLeast?: number } | null {
  const direct = strings(k);
  if (direct) return { rel: [], words: direct, mode: 'any' };
  if (!isObj(k)) return null;
  for (const key of ['any', 'all'] as const) {
    const w = strings(k[key]);
    if (w) return { rel: [key], words: w, mode: key };
  }
  const of = strings(k.of);
  return of ? { rel: ['of'], words: of, mode: 'atLeast', atLeast: num(k.atLeast) } : null;
}

const whereOf = (path: Path): string => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/** Every keyword condition of a rule (when, onlyIf and the conditions inside them), in document order. */
export function keywordSpots(rule: Obj, rulePath: Path): KeywordSpot[] {
  const out: KeywordSpot[] = [];
  const walk = (c: unknown, rel: Path) => {
    if (!isObj(c)) return;
    if ('keywords' in c) {
      const list = keywordList(c.keywords);
      if (list) {
        out.push({
          path: [...rulePath, ...rel],
          listPath: [...rulePath, ...rel, 'keywords', ...list.rel],
          words: list.words,
          mode: list.mode,
          atLeast: list.atLeast,
          speaker: str(c.speaker),
          fuzzy: c.fuzzy === true,
          negation: c.negation === true,
          where: whereOf(rel),
        });
      }
    }
    for (const [key, kind] of SUB_CONDITIONS) {
      if (kind === 'many' && Array.isArray(c[key])) (c[key] as unknown[]).forEach((x, i) => walk(x, [...rel, key, i]));
      else if (kind === 'one') walk(c[key], [...rel, key]);
    }
    if (isObj(c.followUp)) for (const part of FOLLOW_UP_PARTS) walk(c.followUp[part], [...rel, 'followUp', part]);
    if (isObj(c.silence)) walk(c.silence.unless, [...rel, 'silence', 'unless']);
  };
  walk(rule.when, ['when']);
  walk(rule.onlyIf, ['onlyIf']);
  return out;
}

/** A scorecard item that scores a rule: where it is and what it takes off. */
export interface ItemRef {
  moduleIndex: number;
  /** The item, from its module's root. */
  path: Path;
  /** Its category, whose `points` (when given) must equal the sum of its items. */
  categoryPath: Path;
  categoryPoints: number | undefined;
  scorecard: string;
  category: string;
  name: string;
  points: number | undefined;
  perHit: number | undefined;
  max: number | undefined;
  fatal: boolean;
}

/** The items of every module's scorecards that cite this rule (`greeting` in its own module, `general.greeting` anywhere). */
export function itemsForRule(modules: ReadonlyArray<Obj | undefined>, moduleId: string, ruleId: string): ItemRef[] {
  const out: ItemRef[] = [];
  modules.forEach((m, mi) => {
    const own = str(m?.module) === moduleId;
    const cards = Array.isArray(m?.scorecards) ? m.scorecards : [];
    cards.forEach((card: unknown, si) => {
      if (!isObj(card) || !Array.isArray(card.categories)) return;
      card.categories.forEach((cat: unknown, ci) => {
        if (!isObj(cat) || !Array.isArray(cat.items)) return;
        cat.items.forEach((item: unknown, ii) => {
          if (!isObj(item)) return;
          const cites = (strings(item.rules) ?? []).some((r) => r === `${moduleId}.${ruleId}` || (own && r === ruleId));
          if (!cites) return;
          const deduct = isObj(item.deduct) ? item.deduct : undefined;
          out.push({
            moduleIndex: mi,
            path: ['scorecards', si, 'categories', ci, 'items', ii],
            categoryPath: ['scorecards', si, 'categories', ci],
            categoryPoints: num(cat.points),
            scorecard: str(card.name) ?? str(card.id) ?? '',
            category: str(cat.name) ?? str(cat.id) ?? '',
            name: str(item.name) ?? str(item.id) ?? '',
            points: num(item.points),
            perHit: num(deduct?.perHit),
            max: num(deduct?.max),
            fatal: item.fatal === true,
          });
        });
      });
    });
  });
  return out;
}

/** What a rule costs in words the table shows, one entry per distinct way it is scored. */
export function deductionOf(items: ItemRef[], words: { fatal: string; perHit: (n: number, max?: number) => string; points: (n: number) => string }): string {
  const each = items.map((i) => (i.fatal ? words.fatal : i.perHit !== undefined ? words.perHit(i.perHit, i.max) : i.points !== undefined ? words.points(i.points) : ''));
  return [...new Set(each.filter(Boolean))].join(' / ');
}
