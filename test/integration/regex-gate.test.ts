import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeInputOf, loadLabelledCalls, loadSampleCalls } from '../../eval/evaluate-templates.js';
import { judgeCall } from '../../src/inspect/judge/judge-call.js';
import { compileRuleSet } from '../../src/rules/compile/compile-rule-set.js';
import type { RegexNode } from '../../src/rules/compile/compiled-rule-set.js';
import { loadRuleSet } from '../../src/rules/language/parse-rule-files.js';
import { templateFiles } from '../../src/rules/templates.js';

/*
 * A regex runs only on sentences holding one of its required literals (found by the keyword
 * scan): an optimisation, so it must never change a result. The built-in templates' regexes over
 * every labelled call and sample, gated and not, must agree exactly.
 */
test('gating regexes by their required literals changes no inspection', async () => {
  const doc = loadRuleSet(await templateFiles());
  const gated = compileRuleSet(doc, 1);
  const plain = compileRuleSet(doc, 1);
  assert.ok(gated.gatedRegexNodes.length >= 5, 'the templates have gated regexes');
  for (const n of plain.gatedRegexNodes as RegexNode[]) n.gate = null;
  plain.gatedRegexNodes.length = 0;
  const calls = [...loadLabelledCalls(), ...loadSampleCalls()];
  assert.ok(calls.length > 50);
  for (const c of calls) {
    const input = judgeInputOf(c);
    assert.deepEqual(judgeCall(gated, input), judgeCall(plain, input), c.id);
  }
});
