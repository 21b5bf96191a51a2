import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTingjianError } from '../../domain/errors.js';
import type { RuleFileError } from '../../rules/language/parse-rule-files.js';
import { loadDefaultTaxonomy, parseTaxonomy } from './parse-taxonomy.js';

function errorsOf(text: string): RuleFileError[] {
  try {
    parseTaxonomy(text, 'topics.yaml');
  } catch (e) {
    assert.ok(isTingjianError(e) && e.code === 'INVALID_RULES', String(e));
    return (e.details as { errors: RuleFileError[] }).errors;
  }
  assert.fail('expected INVALID_RULES');
}

const GOOD = `minConfidence: 0.3
topics:
  - id: invoice
    name: 发票
    keywords: [发票, 开票]
  - id: logistics-delay
    name: 物流延迟
    keywords:
      - 还没到
    patterns:
      - '等了[0-9]+天'
`;

test('the built-in taxonomy loads: the ten topics with defaults filled in', () => {
  const t = loadDefaultTaxonomy();
  const ids = t.topics.map((x) => x.id);
  for (const id of ['logistics-delay', 'refund-return', 'billing-dispute', 'product-inquiry', 'complaint-escalation', 'invoice', 'account-access', 'repair', 'price-promotion', 'address-change']) {
    assert.ok(ids.includes(id), id);
  }
  assert.equal(t.speakerWeights.customer, 1);
  assert.ok(t.speakerWeights.agent < t.speakerWeights.customer, 'the customer side weighs more');
});

test('a small taxonomy parses with defaults', () => {
  const t = parseTaxonomy(GOOD, 'topics.yaml');
  assert.equal(t.maxTopics, 3);
  assert.deepEqual(t.speakerWeights, { customer: 1, agent: 0.4, unknown: 0.7 });
  assert.deepEqual(t.topics[1]!.patterns, ['等了[0-9]+天']);
});

test('an unknown field is located at its key', () => {
  const errors = errorsOf(GOOD.replace('    keywords: [发票, 开票]', '    keyword: [发票, 开票]'));
  assert.equal(errors.length, 2, 'the unknown field and the missing keywords');
  const unknown = errors.find((e) => e.path === 'topics[0].keyword')!;
  assert.deepEqual(unknown, { file: 'topics.yaml', path: 'topics[0].keyword', line: 5, column: 5, message: 'unknown field; allowed: id, name, description, keywords, patterns, exclude' });
  const missing = errors.find((e) => e.path === 'topics[0].keywords')!;
  assert.match(missing.message, /expected array/i);
  assert.equal(missing.line, 3, 'a missing field: at the topic');
});

test('a bad regular expression, a one-character keyword, a duplicate id: each at its line', () => {
  const text = GOOD.replace("'等了[0-9]+天'", "'等了[0-9+天'").replace('[发票, 开票]', '[发票, 票]').replace('id: logistics-delay', 'id: invoice');
  const errors = errorsOf(text);
  const byPath = Object.fromEntries(errors.map((e) => [e.path, e]));
  assert.match(byPath['topics[1].patterns[0]']!.message, /not a valid regular expression/);
  assert.equal(byPath['topics[1].patterns[0]']!.line, 11);
  assert.match(byPath['topics[0].keywords[1]']!.message, /at least 2 characters/);
  assert.equal(byPath['topics[0].keywords[1]']!.line, 5);
  assert.match(byPath['topics[1].id']!.message, /duplicate id invoice/);
  assert.equal(byPath['topics[1].id']!.line, 6);
});

test('YAML syntax errors have a line; the message names the file', () => {
  try {
    parseTaxonomy('topics:\n  - id: a\n    name: [x\n', 'broken.yaml');
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(isTingjianError(e));
    assert.match(e.message, /broken\.yaml:\d+:\d+/);
  }
});
