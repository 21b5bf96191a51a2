import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { TingjianError } from '../../domain/errors.js';
import type { RuleModule, RuleSetDocument } from './rule-module.js';
import type { RuleIssue } from './validate-condition.js';
import { validateRuleModule, validateRuleSet, type ValidateSetOptions } from './validate-rule-set.js';

/** A rule file's problem as users see it: `general.yaml:12:7 rules[3].when.keywords: …`. */
export interface RuleFileError {
  file: string;
  /** Path into the document, e.g. `rules[3].when.keywords`; empty for the file as a whole. */
  path: string;
  line: number | null;
  column: number | null;
  message: string;
}

export interface RuleFileInput {
  /** A file name or a label (`request body`) used in error messages. */
  name: string;
  /** YAML or JSON text (JSON is read by the same parser, so its errors have lines too). */
  text?: string;
  /** An already-parsed module (the API's JSON body): errors then have paths but no lines. */
  value?: unknown;
}

export const formatRuleFileError = (e: RuleFileError): string =>
  `${e.file}${e.line !== null ? `:${e.line}:${e.column ?? 1}` : ''}${e.path ? ` ${e.path}` : ''}: ${e.message}`;

/** The typed error every entry point throws for invalid rules; details.errors holds them all. */
export function invalidRules(errors: RuleFileError[]): TingjianError {
  const shown = errors.slice(0, 20).map(formatRuleFileError);
  const more = errors.length > 20 ? `\n… and ${errors.length - 20} more` : '';
  return new TingjianError('INVALID_RULES', `the rule files have ${errors.length} problem${errors.length > 1 ? 's' : ''}:\n${shown.join('\n')}${more}`, { errors });
}

export function pathString(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function parseText(name: string, text: string): ParsedRuleFile | RuleFileError[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    return doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return { file: name, path: '', line: pos.line, column: pos.col, message: e.message.split('\n')[0]! };
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // e.g. an alias expanding too far ("billion laughs"): the file's problem, not a crash.
    return [{ file: name, path: '', line: null, column: null, message: `cannot be read: ${(e as Error).message}` }];
  }
  return {
    name,
    value,
    locate: (path) => {
      const offset = offsetOf(doc, path);
      if (offset === null) return null;
      const pos = lineCounter.linePos(offset);
      return { line: pos.line, column: pos.col };
    },
  };
}

/**
 * Where a path points in the YAML source: the deepest node the path reaches — a key for a field
 * that is there, its parent for one that is missing.
 */
function offsetOf(doc: Document, path: ReadonlyArray<string | number>): number | null {
  let node: unknown = doc.contents;
  let best: number | null = (node as Node | null)?.range?.[0] ?? null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg);
      if (!pair) break;
      best = (pair.key as Node).range?.[0] ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      best = item.range?.[0] ?? best;
      node = item;
    } else break;
  }
  return best;
}

/** A rule file read and checked on its own (shape, ids, conditions), not yet against the others. */
export interface ParsedRuleFile {
  name: string;
  value: unknown;
  locate: (path: ReadonlyArray<string | number>) => { line: number; column: number } | null;
}

/**
 * Reads rule files (YAML or JSON text, or parsed JSON from the API) and checks each module on its
 * own; throws INVALID_RULES listing every problem with file, path, line and what is allowed.
 * Checks that span modules (scorecard references, one scorecard per business line) are
 * ruleSetOf's, so a file can be checked together with modules it does not bring.
 */
export function parseRuleFiles(inputs: RuleFileInput[]): ParsedRuleFile[] {
  const errors: RuleFileError[] = [];
  const files: ParsedRuleFile[] = [];
  for (const input of inputs) {
    if (input.text !== undefined) {
      const parsed = parseText(input.name, input.text);
      if (Array.isArray(parsed)) errors.push(...parsed);
      else files.push(parsed);
    } else files.push({ name: input.name, value: input.value, locate: () => null });
  }
  if (errors.length) throw invalidRules(errors);
  if (files.length === 0) throw invalidRules([{ file: '(none)', path: '', line: null, column: null, message: 'no rule files given' }]);
  const issues = files.flatMap((f) => validateRuleModule(f.value).map((i) => located(f, i)));
  if (issues.length) throw invalidRules(issues);
  return files;
}

/** The files as one rule set, checked across modules (throws INVALID_RULES located in its file). */
export function ruleSetOf(files: ParsedRuleFile[], note?: string, opts: ValidateSetOptions = {}): RuleSetDocument {
  const issues = validateRuleSet({ modules: files.map((f) => f.value) }, opts);
  if (issues.length) throw invalidRules(issues.map((i) => located(files[i.module]!, i)));
  return { modules: files.map((f) => f.value as RuleModule), ...(note ? { note } : {}) };
}

function located(file: ParsedRuleFile, issue: RuleIssue): RuleFileError {
  const pos = file.locate(issue.path);
  return { file: file.name, path: pathString(issue.path), line: pos?.line ?? null, column: pos?.column ?? null, message: issue.message };
}

/**
 * Reads rule files into one rule set, validated as a whole.
 * @example loadRuleSet([{ name: 'general.yaml', text }])
 */
export function loadRuleSet(inputs: RuleFileInput[], note?: string, opts: ValidateSetOptions = {}): RuleSetDocument {
  return ruleSetOf(parseRuleFiles(inputs), note, opts);
}
