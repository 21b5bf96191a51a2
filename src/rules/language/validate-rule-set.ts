import { CALL_CHANNELS } from '../../domain/call.js';
import { compileOrderPatterns } from '../entities/find-entities.js';
import type { RuleModule, RuleSetDocument } from './rule-module.js';
import { checkSynonyms, validateCondition, type RuleIssue } from './validate-condition.js';

type Path = Array<string | number>;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const ID_HINT = 'lowercase letters, digits, - and _, starting with a letter or digit (at most 64)';

const MODULE_FIELDS = ['module', 'name', 'description', 'appliesTo', 'synonyms', 'negators', 'negationWindow', 'entities', 'rules', 'scorecards'];
const RULE_FIELDS = ['id', 'name', 'description', 'severity', 'type', 'when', 'onlyIf', 'appliesTo', 'minHits', 'enabled', 'tags'];
const SCORECARD_FIELDS = ['id', 'name', 'businessLines', 'naPolicy', 'bands', 'categories'];
const CATEGORY_FIELDS = ['id', 'name', 'points', 'items'];
const ITEM_FIELDS = ['id', 'name', 'points', 'rules', 'deduct', 'fatal', 'manual', 'naPolicy'];

/** A problem with the module it belongs to, so a file's errors are reported against that file. */
export interface LocatedRuleIssue extends RuleIssue {
  /** Index of the module in the document. */
  module: number;
}

/**
 * Checks one module on its own: shape, ids, conditions, patterns. Cross-module checks (rule
 * references of scorecards, one scorecard per business line) are in validateRuleSet.
 */
export function validateRuleModule(value: unknown): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const bad = (path: Path, message: string) => issues.push({ path, message });
  if (!isObj(value)) return [{ path: [], message: 'a rule module is an object: {module, name, rules: [...], scorecards: [...]}' }];
  unknownFields(value, [], MODULE_FIELDS, bad);
  if (typeof value.module !== 'string' || !ID.test(value.module)) bad(['module'], `the module id: ${ID_HINT}`);
  if (typeof value.name !== 'string' || value.name.trim() === '') bad(['name'], 'a display name, e.g. 通用客服');
  if (value.description !== undefined && typeof value.description !== 'string') bad(['description'], 'text');
  validateAppliesTo(value.appliesTo, ['appliesTo'], bad);
  checkSynonyms(value.synonyms, ['synonyms'], bad);
  if (value.negators !== undefined && (!Array.isArray(value.negators) || value.negators.some((n) => typeof n !== 'string' || n === ''))) bad(['negators'], 'a list of non-empty negation words, e.g. [不, 没有, 并非]');
  if (value.negationWindow !== undefined && (!Number.isInteger(value.negationWindow) || (value.negationWindow as number) < 1 || (value.negationWindow as number) > 12))
    bad(['negationWindow'], 'a whole number 1..12: how many characters before a word a negation word may stand');
  if (value.entities !== undefined) {
    if (!isObj(value.entities)) bad(['entities'], '{orderPatterns: [regular expressions]}');
    else {
      unknownFields(value.entities, ['entities'], ['orderPatterns'], bad);
      const pats = value.entities.orderPatterns;
      if (pats !== undefined) {
        if (!Array.isArray(pats) || pats.some((p) => typeof p !== 'string')) bad(['entities', 'orderPatterns'], 'a list of regular expressions');
        else
          pats.forEach((p, i) => {
            try {
              compileOrderPatterns([p as string]);
            } catch (e) {
              bad(['entities', 'orderPatterns', i], (e as Error).message);
            }
          });
      }
    }
  }
  if (!Array.isArray(value.rules)) bad(['rules'], 'a list of rules (may be empty)');
  else {
    const seen = new Map<string, number>();
    value.rules.forEach((r, i) => {
      const at = ['rules', i];
      if (!isObj(r)) return bad(at, 'a rule: {id, name, when: <condition>, ...}');
      unknownFields(r, at, RULE_FIELDS, bad);
      if (typeof r.id !== 'string' || !ID.test(r.id)) bad([...at, 'id'], `the rule id: ${ID_HINT}`);
      else if (seen.has(r.id)) bad([...at, 'id'], `duplicate rule id ${r.id} (also rules[${seen.get(r.id)}])`);
      else seen.set(r.id, i);
      if (typeof r.name !== 'string' || r.name.trim() === '') bad([...at, 'name'], 'a display name');
      if (r.description !== undefined && typeof r.description !== 'string') bad([...at, 'description'], 'text');
      if (r.severity !== undefined && r.severity !== 'normal' && r.severity !== 'fatal') bad([...at, 'severity'], 'normal or fatal');
      if (r.type !== undefined && r.type !== 'violation' && r.type !== 'required') bad([...at, 'type'], 'violation (hits when `when` holds) or required (hits when it does not)');
      if (r.when === undefined) bad([...at, 'when'], 'required: the condition this rule looks for');
      else issues.push(...validateCondition(r.when, [...at, 'when']));
      if (r.onlyIf !== undefined) issues.push(...validateCondition(r.onlyIf, [...at, 'onlyIf']));
      validateAppliesTo(r.appliesTo, [...at, 'appliesTo'], bad);
      if (r.minHits !== undefined && (!Number.isInteger(r.minHits) || (r.minHits as number) < 1 || (r.minHits as number) > 100)) bad([...at, 'minHits'], 'a whole number 1..100');
      if (r.minHits !== undefined && r.type === 'required') bad([...at, 'minHits'], 'only for violation rules');
      if (r.enabled !== undefined && typeof r.enabled !== 'boolean') bad([...at, 'enabled'], 'true or false');
      if (r.tags !== undefined && (!Array.isArray(r.tags) || r.tags.some((t) => typeof t !== 'string'))) bad([...at, 'tags'], 'a list of strings');
    });
  }
  if (value.scorecards !== undefined) {
    if (!Array.isArray(value.scorecards)) bad(['scorecards'], 'a list of scorecards');
    else value.scorecards.forEach((s, i) => validateScorecard(s, ['scorecards', i], bad));
  }
  return issues;
}

function validateScorecard(s: unknown, at: Path, bad: (p: Path, m: string) => void): void {
  if (!isObj(s)) return bad(at, 'a scorecard: {id, name, businessLines, categories: [...]}');
  unknownFields(s, at, SCORECARD_FIELDS, bad);
  if (typeof s.id !== 'string' || !ID.test(s.id)) bad([...at, 'id'], `the scorecard id: ${ID_HINT}`);
  if (typeof s.name !== 'string' || s.name.trim() === '') bad([...at, 'name'], 'a display name');
  if (!Array.isArray(s.businessLines) || s.businessLines.length === 0 || s.businessLines.some((b) => typeof b !== 'string' || b === ''))
    bad([...at, 'businessLines'], 'the business lines it scores, e.g. [电商客服, 物流]; "*" for every line no other scorecard claims');
  if (s.naPolicy !== undefined && s.naPolicy !== 'exclude' && s.naPolicy !== 'award') bad([...at, 'naPolicy'], 'exclude (n/a items leave the maximum) or award (they earn full points)');
  if (s.bands !== undefined) {
    if (!Array.isArray(s.bands) || s.bands.length === 0) bad([...at, 'bands'], 'a list of {name, min} (min = lowest percent of the band)');
    else {
      s.bands.forEach((b, i) => {
        if (!isObj(b) || typeof b.name !== 'string' || typeof b.min !== 'number' || b.min < 0 || b.min > 100) bad([...at, 'bands', i], '{name, min: 0..100}');
        else unknownFields(b, [...at, 'bands', i], ['name', 'min'], bad);
      });
      if (!s.bands.some((b) => isObj(b) && b.min === 0)) bad([...at, 'bands'], 'one band must start at min: 0, so every score has a band');
    }
  }
  if (!Array.isArray(s.categories) || s.categories.length === 0) return bad([...at, 'categories'], 'a non-empty list of categories {id, name, items: [...]}');
  const itemIds = new Set<string>();
  s.categories.forEach((c, ci) => {
    const cat = [...at, 'categories', ci];
    if (!isObj(c)) return bad(cat, 'a category {id, name, points, items}');
    unknownFields(c, cat, CATEGORY_FIELDS, bad);
    if (typeof c.id !== 'string' || !ID.test(c.id)) bad([...cat, 'id'], `the category id: ${ID_HINT}`);
    if (typeof c.name !== 'string' || c.name.trim() === '') bad([...cat, 'name'], 'a display name, e.g. 礼貌用语');
    if (!Array.isArray(c.items) || c.items.length === 0) return bad([...cat, 'items'], 'a non-empty list of items');
    let sum = 0;
    c.items.forEach((it, ii) => {
      const ip = [...cat, 'items', ii];
      if (!isObj(it)) return bad(ip, 'an item {id, name, points, rules | manual}');
      unknownFields(it, ip, ITEM_FIELDS, bad);
      if (typeof it.id !== 'string' || !ID.test(it.id)) bad([...ip, 'id'], `the item id: ${ID_HINT}`);
      else if (itemIds.has(it.id)) bad([...ip, 'id'], `duplicate item id ${it.id} in this scorecard`);
      else itemIds.add(it.id);
      if (typeof it.name !== 'string' || it.name.trim() === '') bad([...ip, 'name'], 'a display name');
      if (typeof it.points !== 'number' || !(it.points > 0)) bad([...ip, 'points'], 'a number > 0');
      else sum += it.points;
      const manual = it.manual === true;
      if (it.manual !== undefined && typeof it.manual !== 'boolean') bad([...ip, 'manual'], 'true or false');
      if (manual && it.rules !== undefined) bad([...ip, 'rules'], 'a manual item is scored by a person and has no rules');
      if (!manual && (!Array.isArray(it.rules) || it.rules.length === 0 || it.rules.some((r) => typeof r !== 'string')))
        bad([...ip, 'rules'], 'the rule ids that drive it (e.g. [greeting] or [general.greeting]), or manual: true');
      if (it.deduct !== undefined) {
        if (!isObj(it.deduct) || typeof it.deduct.perHit !== 'number' || !(it.deduct.perHit > 0)) bad([...ip, 'deduct'], '{perHit: points off per hit, max: cap}');
        else {
          unknownFields(it.deduct, [...ip, 'deduct'], ['perHit', 'max'], bad);
          if (it.deduct.max !== undefined && (typeof it.deduct.max !== 'number' || it.deduct.max <= 0)) bad([...ip, 'deduct', 'max'], 'a number > 0');
        }
      }
      if (it.fatal !== undefined && typeof it.fatal !== 'boolean') bad([...ip, 'fatal'], 'true or false');
      if (it.naPolicy !== undefined && it.naPolicy !== 'exclude' && it.naPolicy !== 'award') bad([...ip, 'naPolicy'], 'exclude or award');
    });
    if (c.points !== undefined && (typeof c.points !== 'number' || Math.abs(c.points - sum) > 1e-9)) bad([...cat, 'points'], `must equal the sum of its items' points (${sum})`);
  });
}

function validateAppliesTo(v: unknown, at: Path, bad: (p: Path, m: string) => void): void {
  if (v === undefined) return;
  if (!isObj(v)) return bad(at, '{businessLines: [...], channels: [phone, chat, email]}');
  unknownFields(v, at, ['businessLines', 'channels'], bad);
  if (v.businessLines !== undefined && (!Array.isArray(v.businessLines) || v.businessLines.some((b) => typeof b !== 'string' || b === ''))) bad([...at, 'businessLines'], 'a list of business line names');
  if (v.channels !== undefined) {
    if (!Array.isArray(v.channels)) bad([...at, 'channels'], `a list of: ${CALL_CHANNELS.join(', ')}`);
    else v.channels.forEach((c, i) => (CALL_CHANNELS as readonly unknown[]).includes(c) || bad([...at, 'channels', i], `one of: ${CALL_CHANNELS.join(', ')}`));
  }
}

function unknownFields(v: Obj, at: Path, known: string[], bad: (p: Path, m: string) => void): void {
  for (const k of Object.keys(v)) if (!known.includes(k)) bad([...at, k], `unknown field; allowed: ${known.join(', ')}`);
}

export interface ValidateSetOptions {
  /**
   * Given: the files are part of a set (checked alone, before they are merged over the published
   * version), so a scorecard citing a module that is not among them is not an error; each such
   * reference is pushed here instead. A cited rule of a module that is present must exist.
   */
  otherModules?: string[];
}

/**
 * Checks a whole rule set: each module, then what spans modules — unique module ids, scorecard
 * rule references (local or `module.rule`), one scorecard per business line and at most one `*`.
 */
export function validateRuleSet(doc: { modules: unknown[] }, opts: ValidateSetOptions = {}): LocatedRuleIssue[] {
  const issues: LocatedRuleIssue[] = [];
  doc.modules.forEach((m, i) => issues.push(...validateRuleModule(m).map((x) => ({ ...x, module: i }))));
  if (issues.length) return issues;
  const modules = doc.modules as RuleModule[];
  const ruleIds = new Set(modules.flatMap((m) => m.rules.map((r) => `${m.module}.${r.id}`)));
  const moduleIds = new Set(modules.map((m) => m.module));
  const moduleAt = new Map<string, number>();
  const lineOwner = new Map<string, string>();
  const scorecardIds = new Map<string, string>();
  modules.forEach((m, mi) => {
    if (moduleAt.has(m.module)) issues.push({ module: mi, path: ['module'], message: `module id ${m.module} is used by two modules; each file needs its own` });
    moduleAt.set(m.module, mi);
    (m.scorecards ?? []).forEach((s, si) => {
      const at = ['scorecards', si];
      if (scorecardIds.has(s.id)) issues.push({ module: mi, path: [...at, 'id'], message: `scorecard id ${s.id} is also used in module ${scorecardIds.get(s.id)}` });
      scorecardIds.set(s.id, m.module);
      s.businessLines.forEach((b, bi) => {
        const owner = lineOwner.get(b);
        if (owner) issues.push({ module: mi, path: [...at, 'businessLines', bi], message: `${b === '*' ? 'the default scorecard (*)' : `business line ${b}`} is already scored by ${owner}; one scorecard per business line` });
        else lineOwner.set(b, `${m.module}/${s.id}`);
      });
      s.categories.forEach((c, ci) =>
        c.items.forEach((it, ii) =>
          (it.rules ?? []).forEach((r, ri) => {
            const id = resolveRuleRef(m.module, r);
            if (ruleIds.has(id)) return;
            const other = id.slice(0, id.indexOf('.'));
            if (opts.otherModules && !moduleIds.has(other)) {
              opts.otherModules.push(`${m.module}/${s.id} cites ${id}: module ${other} is not among these files; checked when the set is published`);
              return;
            }
            issues.push({ module: mi, path: [...at, 'categories', ci, 'items', ii, 'rules', ri], message: `no rule ${r}: not in module ${m.module} nor a <module>.<rule> id of this rule set` });
          }),
        ),
      );
    });
  });
  return issues;
}

/** `greeting` in module general → `general.greeting`; `finance.x` stays. */
export function resolveRuleRef(module: string, ref: string): string {
  return ref.includes('.') ? ref : `${module}.${ref}`;
}

export const asRuleSet = (modules: unknown[]): RuleSetDocument => ({ modules: modules as RuleModule[] });
