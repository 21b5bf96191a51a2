import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTingjianError } from '../domain/errors.js';
import type { RuleFileError } from '../rules/language/parse-rule-files.js';
import { defaultRetentionPolicyFile, loadRetentionPolicy, parseRetentionPolicy } from './parse-retention-policy.js';

function errorsOf(text: string): RuleFileError[] {
  try {
    parseRetentionPolicy(text, 'retention.yaml');
  } catch (e) {
    assert.ok(isTingjianError(e) && e.code === 'CONFIG_INVALID', String(e));
    assert.match(e.message, /TINGJIAN_RETENTION_POLICY/, 'the message names the setting to fix');
    return (e.details as { errors: RuleFileError[] }).errors;
  }
  assert.fail('expected CONFIG_INVALID');
}

const GOOD = `defaultKeepDays: 180
misdialMaxSeconds: 10
misdialKeepDays: 7
rules:
  - id: finance
    match: { businessLine: [金融, 信用卡] }
    keepDays: 1825
  - id: education-refund
    match:
      customerTag: 教育退款
    keepDays: 1095
`;

test('the built-in policy loads: 180 days, no rules', () => {
  const p = loadRetentionPolicy(defaultRetentionPolicyFile());
  assert.equal(p.defaultKeepDays, 180);
  assert.deepEqual(p.rules, []);
  assert.equal(p.misdialMaxSeconds, undefined);
});

test('a policy parses; a single value is a list of one', () => {
  const p = parseRetentionPolicy(GOOD, 'retention.yaml');
  assert.deepEqual(p.rules[0]!.match, { businessLine: ['金融', '信用卡'] });
  assert.deepEqual(p.rules[1]!.match, { customerTag: ['教育退款'] });
  assert.equal(p.rules[1]!.keepMisdials, false);
  assert.equal(p.misdialKeepDays, 7);
});

test('an unknown field is located at its key, naming the fields allowed', () => {
  const errors = errorsOf(GOOD.replace('      customerTag: 教育退款', '      customerTags: 教育退款'));
  const unknown = errors.find((e) => e.path === 'rules[1].match.customerTags')!;
  assert.deepEqual(unknown, { file: 'retention.yaml', path: 'rules[1].match.customerTags', line: 10, column: 7, message: 'unknown field; allowed: businessLine, customerTag, channel' });
  // And the match left empty says what it needs, at the match.
  const empty = errors.find((e) => e.path === 'rules[1].match')!;
  assert.match(empty.message, /needs businessLine, customerTag or channel/);
  assert.equal(empty.line, 9);
});

test('bad days and an unknown channel: each at its line', () => {
  const text = GOOD.replace('keepDays: 1825', 'keepDays: 0').replace('match: { businessLine: [金融, 信用卡] }', 'match: { channel: [phone, fax] }');
  const byPath = Object.fromEntries(errorsOf(text).map((e) => [e.path, e]));
  assert.match(byPath['rules[0].keepDays']!.message, /at least 1 day/);
  assert.equal(byPath['rules[0].keepDays']!.line, 7);
  assert.match(byPath['rules[0].match.channel']!.message, /expected one of "phone"\|"chat"\|"email"/);
  assert.equal(byPath['rules[0].match.channel']!.line, 6);
});

test('a duplicate id and a misdial setting alone: each at its line', () => {
  const text = GOOD.replace('id: education-refund', 'id: finance').replace('misdialKeepDays: 7\n', '');
  const byPath = Object.fromEntries(errorsOf(text).map((e) => [e.path, e]));
  assert.match(byPath['rules[1].id']!.message, /duplicate id finance \(also rules\[0\]\)/);
  assert.equal(byPath['rules[1].id']!.line, 7);
  assert.match(byPath['misdialKeepDays']!.message, /go together/);
  assert.equal(byPath['misdialKeepDays']!.line, 1, 'a missing top-level field: at the document');
});

test('reserved ids and a missing defaultKeepDays are refused', () => {
  const byPath = Object.fromEntries(errorsOf('rules:\n  - id: default\n    match: { channel: chat }\n    keepDays: 30\n').map((e) => [e.path, e]));
  assert.match(byPath['rules[0].id']!.message, /built-in cases/);
  assert.equal(byPath['rules[0].id']!.line, 2);
  assert.ok(byPath['defaultKeepDays'], 'defaultKeepDays is required');
});

test('YAML syntax errors have a line; the message names the file', () => {
  try {
    parseRetentionPolicy('defaultKeepDays: 180\nrules:\n  - id: [x\n', 'broken.yaml');
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(isTingjianError(e) && e.code === 'CONFIG_INVALID');
    assert.match(e.message, /broken\.yaml:\d+:\d+/);
  }
});

test('an unreadable file is CONFIG_INVALID naming the setting', () => {
  assert.throws(() => loadRetentionPolicy('/nonexistent/retention.yaml'), (e: unknown) => isTingjianError(e) && e.code === 'CONFIG_INVALID' && /retentionPolicyFile/.test(e.message));
});
