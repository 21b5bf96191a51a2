import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateSamples, evaluateTemplates } from '../../eval/evaluate-templates.js';

/*
 * The built-in templates against the hand-labelled calls (eval/labelled-calls) and the demo
 * samples' problem labels: what `npm run eval:templates` prints, held to a floor so a template
 * edit that breaks a tricky case (a quoted forbidden phrase, 我不知道 + 转接, anger without
 * keywords, ASR homophones, a masked number) fails the build.
 */
test('every template rule keeps precision and recall on the labelled calls; every label names a real rule', async () => {
  const r = await evaluateTemplates();
  assert.ok(r.calls >= 40, `${r.calls} labelled calls`);
  assert.deepEqual(r.unknownLabels, []);
  for (const row of r.rows) {
    assert.ok(row.labelledHits >= 2, `${row.ruleId}: at least two labelled hits`);
    assert.ok((row.recall ?? 0) >= 0.9, `${row.ruleId}: recall ${row.recall}`);
    assert.ok((row.precision ?? 0) >= 0.6, `${row.ruleId}: precision ${row.precision}`);
  }
  assert.ok(r.overall.precision! >= 0.95 && r.overall.recall! >= 0.95, JSON.stringify(r.overall));
});

test('the demo samples: the problems they were written with are found, and nothing else on the rules they label', async () => {
  const r = await evaluateSamples();
  assert.ok(r.overall.tp >= 15, JSON.stringify(r.overall));
  assert.equal(r.overall.fn, 0, JSON.stringify(r.disagreements));
  assert.equal(r.overall.fp, 0, JSON.stringify(r.disagreements));
});
