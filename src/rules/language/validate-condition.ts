import { ENTITY_TYPES } from '../entities/find-entities.js';
import { normalizePattern } from '../text/normalize-text.js';
import { CONDITION_KINDS, METADATA_FIELDS, ROLE_FILTERS, type Condition, type ConditionKind } from './condition.js';

/** One problem in a rule document: where (a path into the document) and what is allowed there. */
export interface RuleIssue {
  path: Array<string | number>;
  message: string;
}

type Path = Array<string | number>;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (xs: readonly string[]) => xs.join(', ');

/** Modifiers a text condition takes besides its kind key. */
const TEXT_SCOPE = ['speaker', 'first', 'last', 'except', 'exceptIn'];
const MODIFIERS: Partial<Record<ConditionKind, string[]>> = {
  keywords: [...TEXT_SCOPE, 'synonyms', 'fuzzy', 'negation', 'ignoreQuoted', 'scope', 'caseSensitive'],
  regex: [...TEXT_SCOPE, 'negation', 'ignoreQuoted'],
  similarTo: TEXT_SCOPE,
  entity: TEXT_SCOPE,
  sentiment: TEXT_SCOPE,
};

/**
 * Checks a condition tree and returns every problem at once, each with its path, so a file's
 * errors point at lines. Hand-written rather than a zod union: a union's error for a misspelt
 * kind says "invalid input" about all twenty alternatives; this says which keys are allowed.
 */
export function validateCondition(value: unknown, path: Path, depth = 0): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const bad = (p: Path, message: string) => issues.push({ path: p, message });
  if (depth > 32) return [{ path, message: 'conditions nest more than 32 levels deep' }];
  if (!isObj(value)) return [{ path, message: `a condition is an object with one of: ${list(CONDITION_KINDS)}` }];
  const kinds = Object.keys(value).filter((k): k is ConditionKind => (CONDITION_KINDS as readonly string[]).includes(k));
  if (kinds.length !== 1) {
    bad(path, kinds.length === 0 ? `a condition needs one of: ${list(CONDITION_KINDS)} (found: ${list(Object.keys(value)) || 'nothing'})` : `a condition has exactly one kind; found ${list(kinds)} — combine them with all/any`);
    return issues;
  }
  const kind = kinds[0]!;
  const allowed = new Set<string>([kind, ...(MODIFIERS[kind] ?? [])]);
  for (const k of Object.keys(value)) if (!allowed.has(k)) bad([...path, k], `unknown field for a ${kind} condition; allowed: ${list([...allowed])}`);
  const body = value[kind];
  const at = [...path, kind];
  const sub = (v: unknown, p: Path) => issues.push(...validateCondition(v, p, depth + 1));

  if (MODIFIERS[kind]) validateTextScope(value, path, bad, sub);
  switch (kind) {
    case 'keywords':
      validateKeywords(body, at, bad);
      checkSynonyms(value.synonyms, [...path, 'synonyms'], bad);
      for (const f of ['fuzzy', 'negation', 'ignoreQuoted', 'caseSensitive']) if (value[f] !== undefined && typeof value[f] !== 'boolean') bad([...path, f], 'true or false');
      if (value.scope !== undefined && value.scope !== 'sentence' && value.scope !== 'call') bad([...path, 'scope'], 'sentence (all words in one sentence) or call (across the range)');
      break;
    case 'regex':
      validateRegex(body, at, bad);
      for (const f of ['negation', 'ignoreQuoted']) if (value[f] !== undefined && typeof value[f] !== 'boolean') bad([...path, f], 'true or false');
      break;
    case 'similarTo':
      shape(body, at, { examples: 'strings', threshold: 'fraction?' }, bad);
      if (isObj(body) && Array.isArray(body.examples) && body.examples.length === 0) bad([...at, 'examples'], 'at least one example sentence');
      break;
    case 'entity':
      shape(body, at, { types: 'strings', masked: ['exclude', 'include', 'only', '?'] }, bad);
      if (isObj(body) && Array.isArray(body.types)) {
        body.types.forEach((t, i) => {
          if (!(ENTITY_TYPES as readonly unknown[]).includes(t)) bad([...at, 'types', i], `unknown entity type; allowed: ${list(ENTITY_TYPES)}`);
        });
        if (body.types.length === 0) bad([...at, 'types'], `at least one of: ${list(ENTITY_TYPES)}`);
      }
      break;
    case 'sentiment':
      shape(body, at, { label: ['negative', 'neutral', 'positive', '?'], below: 'number?', above: 'number?' }, bad);
      needOne(body, at, ['label', 'below', 'above'], bad);
      if (isObj(body)) {
        for (const f of ['below', 'above']) if (typeof body[f] === 'number' && Math.abs(body[f]) > 1) bad([...at, f], 'a sentiment score between -1 (very negative) and 1 (very positive)');
        if (typeof body.above === 'number' && typeof body.below === 'number' && body.above > body.below) bad(at, `no score is at or above ${body.above} and at or below ${body.below}: the condition could never hold`);
      }
      break;
    case 'all':
    case 'any':
      if (!Array.isArray(body) || body.length === 0) bad(at, `a non-empty list of conditions`);
      else body.forEach((c, i) => sub(c, [...at, i]));
      break;
    case 'not':
      sub(body, at);
      break;
    case 'followUp': {
      if (!isObj(body)) {
        bad(at, 'an object: {after | before: <condition>, expect | forbid: <condition>, within: {turns | segments | seconds: N}}');
        break;
      }
      for (const k of Object.keys(body)) if (!['after', 'before', 'expect', 'forbid', 'within'].includes(k)) bad([...at, k], 'unknown field; allowed: after, before, expect, forbid, within');
      const anchors = ['after', 'before'].filter((k) => body[k] !== undefined);
      const checks = ['expect', 'forbid'].filter((k) => body[k] !== undefined);
      if (anchors.length !== 1) bad(at, 'exactly one of after (look after each anchor) or before (look before it)');
      if (checks.length !== 1) bad(at, 'exactly one of expect (must follow) or forbid (must not follow)');
      for (const k of [...anchors, ...checks]) sub(body[k], [...at, k]);
      validateWindow(body.within, [...at, 'within'], bad);
      break;
    }
    case 'silence':
      shape(body, at, { longerThan: 'seconds', unless: 'condition?', noticeWithin: 'seconds?' }, bad);
      if (isObj(body) && body.unless !== undefined) sub(body.unless, [...at, 'unless']);
      break;
    case 'interruptions':
      shape(body, at, { by: [...ROLE_FILTERS, '?'], atLeast: 'count?', minOverlap: 'seconds?', takesFloor: 'boolean?' }, bad);
      break;
    case 'overlap':
      shape(body, at, { by: [...ROLE_FILTERS, '?'], longerThan: 'seconds' }, bad);
      break;
    case 'speechRate':
      shape(body, at, { speaker: ['agent', 'customer', '?'], above: 'number?', below: 'number?', per: ['call', 'sentence', '?'], minChars: 'count?' }, bad);
      needOne(body, at, ['above', 'below'], bad);
      break;
    case 'loudness':
      shape(body, at, { speaker: ['agent', 'customer', '?'], above: 'number?', below: 'number?' }, bad);
      needOne(body, at, ['above', 'below'], bad);
      break;
    case 'duration':
      shape(body, at, { outside: 'range?', below: 'seconds?', above: 'seconds?' }, bad);
      needOne(body, at, ['outside', 'below', 'above'], bad);
      break;
    case 'metadata':
      shape(body, at, { field: 'string', in: 'strings?', notIn: 'strings?', gte: 'number?', lte: 'number?', exists: 'boolean?' }, bad);
      if (isObj(body) && typeof body.field === 'string' && !(METADATA_FIELDS as readonly string[]).includes(body.field) && !/^extra\.[^.]+$/.test(body.field))
        bad([...at, 'field'], `unknown field; allowed: ${list(METADATA_FIELDS)}, or extra.<name> for integrator fields (e.g. extra.agentTenureMonths)`);
      needOne(body, at, ['in', 'notIn', 'gte', 'lte', 'exists'], bad);
      break;
  }
  return issues;
}

function validateTextScope(value: Obj, path: Path, bad: (p: Path, m: string) => void, sub: (v: unknown, p: Path) => void): void {
  if (value.speaker !== undefined && !(ROLE_FILTERS as readonly unknown[]).includes(value.speaker)) bad([...path, 'speaker'], `one of: ${list(ROLE_FILTERS)}`);
  for (const edge of ['first', 'last'] as const) {
    if (value[edge] === undefined) continue;
    const r = value[edge];
    if (!isObj(r)) bad([...path, edge], '{sentences: N} (of the speaker) or {seconds: N} (of the call)');
    else {
      shape(r, [...path, edge], { sentences: 'count?', seconds: 'seconds?' }, bad);
      needOne(r, [...path, edge], ['sentences', 'seconds'], bad, true);
    }
  }
  if (value.first !== undefined && value.last !== undefined) bad(path, 'first and last cannot be combined in one condition; use all: [...]');
  if (value.except !== undefined) sub(value.except, [...path, 'except']);
  if (value.exceptIn !== undefined && !['same', 'next', 'sameOrNext'].includes(value.exceptIn as string)) bad([...path, 'exceptIn'], 'same, next or sameOrNext (the default)');
}

function validateKeywords(body: unknown, at: Path, bad: (p: Path, m: string) => void): void {
  const words = (v: unknown, p: Path) => {
    if (!Array.isArray(v) || v.length === 0) return bad(p, 'a non-empty list of words (a word may list synonyms: 退款|退钱)');
    v.forEach((w, i) => {
      if (typeof w === 'number') bad([...p, i], `a word is text: quote numbers ('${w}')`);
      else if (typeof w !== 'string' || w.split('|').some((s) => s.trim().length === 0)) bad([...p, i], 'a non-empty word (synonyms separated by |, none empty)');
    });
  };
  if (Array.isArray(body)) return words(body, at);
  if (!isObj(body)) return bad(at, 'a list of words, or {any: [...]}, {all: [...]}, {atLeast: N, of: [...]}');
  const keys = Object.keys(body);
  if (keys.length === 1 && (keys[0] === 'any' || keys[0] === 'all')) return words(body[keys[0]], [...at, keys[0]]);
  if (keys.includes('atLeast') || keys.includes('of')) {
    for (const k of keys) if (k !== 'atLeast' && k !== 'of') bad([...at, k], 'unknown field; {atLeast: N, of: [...]}');
    if (!Number.isInteger(body.atLeast) || (body.atLeast as number) < 1) bad([...at, 'atLeast'], 'a whole number ≥ 1');
    words(body.of, [...at, 'of']);
    if (Array.isArray(body.of) && Number.isInteger(body.atLeast) && (body.atLeast as number) > body.of.length) bad([...at, 'atLeast'], `cannot exceed the ${body.of.length} words listed`);
    return;
  }
  bad(at, `one of {any: [...]}, {all: [...]}, {atLeast: N, of: [...]} (found: ${list(keys)})`);
}

function validateRegex(body: unknown, at: Path, bad: (p: Path, m: string) => void): void {
  const compile = (src: unknown, p: Path, flags: string) => {
    if (typeof src !== 'string' || src.length === 0) return bad(p, 'a non-empty regular expression (JavaScript syntax)');
    try {
      new RegExp(src, flags);
      // What actually runs: the pattern normalised like the text (full-width, case, traditional).
      if (new RegExp(normalizePattern(src), flags).test('')) bad(p, 'matches the empty string, so it would hit every sentence');
    } catch (e) {
      bad(p, `not a valid regular expression: ${(e as Error).message}`);
    }
  };
  if (typeof body === 'string') return compile(body, at, 'u');
  if (!isObj(body)) return bad(at, 'a pattern, or {pattern, not (an exclusion pattern), ignoreCase}');
  for (const k of Object.keys(body)) if (!['pattern', 'not', 'ignoreCase'].includes(k)) bad([...at, k], 'unknown field; allowed: pattern, not, ignoreCase');
  const flags = body.ignoreCase === true ? 'iu' : 'u';
  compile(body.pattern, [...at, 'pattern'], flags);
  if (body.not !== undefined) compile(body.not, [...at, 'not'], flags);
  if (body.ignoreCase !== undefined && typeof body.ignoreCase !== 'boolean') bad([...at, 'ignoreCase'], 'true or false');
}

function validateWindow(v: unknown, at: Path, bad: (p: Path, m: string) => void): void {
  if (!isObj(v)) return bad(at, 'the window: {turns: N} (sentences of the expected speaker), {segments: N} or {seconds: N}');
  shape(v, at, { turns: 'count?', segments: 'count?', seconds: 'seconds?' }, bad);
  needOne(v, at, ['turns', 'segments', 'seconds'], bad, true);
}

export function checkSynonyms(v: unknown, at: Path, bad: (p: Path, m: string) => void): void {
  if (v === undefined) return;
  if (!isObj(v)) return bad(at, 'a map from a word to its synonyms: {退款: [退钱, 返款]}');
  for (const [w, syns] of Object.entries(v)) {
    if (!Array.isArray(syns) || syns.some((s) => typeof s !== 'string' || s.trim() === '')) bad([...at, w], 'a list of non-empty synonyms');
  }
}

type FieldType = 'string' | 'strings' | 'number' | 'seconds' | 'count' | 'fraction' | 'boolean' | 'range' | 'condition';
type FieldSpec = `${FieldType}` | `${FieldType}?` | string[];

/** Checks an object's fields against simple types; `?` = optional; a list = allowed values ('?' in it = optional). */
function shape(v: unknown, at: Path, spec: Record<string, FieldSpec>, bad: (p: Path, m: string) => void): void {
  if (!isObj(v)) return bad(at, `an object with: ${list(Object.keys(spec))}`);
  for (const k of Object.keys(v)) if (!(k in spec)) bad([...at, k], `unknown field; allowed: ${list(Object.keys(spec))}`);
  for (const [k, t] of Object.entries(spec)) {
    const x = v[k];
    const optional = Array.isArray(t) ? t.includes('?') : t.endsWith('?');
    if (x === undefined) {
      if (!optional) bad([...at, k], 'required');
      continue;
    }
    const p = [...at, k];
    if (Array.isArray(t)) {
      const values = t.filter((s) => s !== '?');
      if (!values.includes(x as string)) bad(p, `one of: ${list(values)}`);
      continue;
    }
    const type = t.replace('?', '') as FieldType;
    const num = typeof x === 'number' && Number.isFinite(x);
    const ok: Record<FieldType, () => boolean> = {
      string: () => typeof x === 'string' && x.length > 0,
      strings: () => Array.isArray(x) && x.every((s) => typeof s === 'string' && s.length > 0),
      number: () => num,
      seconds: () => num && (x as number) >= 0,
      count: () => Number.isInteger(x) && (x as number) >= 1,
      fraction: () => num && (x as number) > 0 && (x as number) <= 1,
      boolean: () => typeof x === 'boolean',
      range: () => Array.isArray(x) && x.length === 2 && x.every((n) => typeof n === 'number' && n >= 0) && (x[0] as number) < (x[1] as number),
      condition: () => true,
    };
    const what: Record<FieldType, string> = {
      string: 'a non-empty string',
      strings: 'a list of non-empty strings',
      number: 'a number',
      seconds: 'seconds, a number ≥ 0',
      count: 'a whole number ≥ 1',
      fraction: 'a number in (0, 1]',
      boolean: 'true or false',
      range: '[low, high] in seconds, low < high',
      condition: 'a condition',
    };
    if (!ok[type]()) bad(p, what[type]);
  }
}

function needOne(v: unknown, at: Path, keys: string[], bad: (p: Path, m: string) => void, exactlyOne = false): void {
  if (!isObj(v)) return;
  const n = keys.filter((k) => v[k] !== undefined).length;
  if (n === 0) bad(at, `needs ${exactlyOne ? 'one' : 'at least one'} of: ${list(keys)}`);
  else if (exactlyOne && n > 1) bad(at, `only one of: ${list(keys)}`);
}

export const asCondition = (v: unknown): Condition => v as Condition;
