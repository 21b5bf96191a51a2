import { useState } from 'react';
import type { RuleFileError } from '../../api/rule-sets';
import { rulesOf } from './rule-model';
import { locate, parseModule, parsePath, ruleText, spliceRule, type ParsedModule } from './rule-yaml';

/** A problem as the editor's list shows it: placed (line) in the text shown, or not (elsewhere). */
export interface ShownProblem {
  line: number | null;
  column: number | null;
  path: string;
  message: string;
  /** Where it is when not in the text shown (another file, or the module outside this rule). */
  elsewhere?: string;
}

interface Draft {
  m: number;
  r: number;
  text: string;
  /** The rule (JSON) this text was last in step with: when the module's rule differs, the form changed it. */
  json: string;
}

const ruleJsonOf = (p: ParsedModule | undefined, r: number) => {
  const raw = rulesOf(p?.value)[r]?.raw;
  return raw === undefined ? undefined : JSON.stringify(raw);
};

/**
 * "This rule only" in the YAML editor: one rule's text, kept apart from the module's while typed
 * in (so the cursor stays and a half-typed line is not lost) and written into the module each
 * time it parses; made again from the module when the form changes the rule.
 */
export function useRuleDraft(on: boolean, modules: ParsedModule[], texts: string[], m: number, r: number | null, setModuleText: (m: number, text: string) => void) {
  const [kept, setDraft] = useState<Draft | null>(null);
  const json = r === null ? undefined : ruleJsonOf(modules[m], r);
  let draft = kept;
  // Made again (during render, so the editor never shows a stale text) only when the rule itself changed.
  if (on && r !== null && json !== undefined && !(draft && draft.m === m && draft.r === r && draft.json === json)) {
    const text = ruleText(modules[m]!, r);
    if (text !== null) {
      draft = { m, r, text, json };
      setDraft(draft);
    }
  }
  const mine = on && draft && draft.m === m && draft.r === r ? draft : null;

  const change = (text: string) => {
    if (!mine) return;
    const spliced = spliceRule(texts[m] ?? '', mine.r, text);
    const nextJson = spliced === null ? mine.json : (ruleJsonOf(parseModule(spliced), mine.r) ?? mine.json);
    setDraft({ ...mine, text, json: nextJson });
    if (spliced !== null) setModuleText(m, spliced);
  };

  /** The module's problems as they fall in this rule's text: its own syntax errors first, else the server's located by path. */
  const problems = (moduleProblems: RuleFileError[], textFile: string): ShownProblem[] => {
    if (!mine) return [];
    const parsed = parseModule(mine.text);
    if (parsed.syntax.length) return parsed.syntax.map((s) => ({ ...s, path: '' }));
    const prefix = `rules[${mine.r}]`;
    return moduleProblems.map((p) => {
      const inRule = p.file === textFile && (p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`));
      if (!inRule) return { line: null, column: null, path: p.path, message: p.message, elsewhere: p.file === textFile ? '' : p.file };
      const rest = p.path.slice(prefix.length).replace(/^\./, '');
      return { ...locate(parsed, parsePath(rest)), path: p.path, message: p.message };
    });
  };

  return mine ? { text: mine.text, change, problems } : null;
}
