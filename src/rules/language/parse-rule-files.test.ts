import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTingjianError } from '../../domain/errors.js';
import { loadRuleSet, type RuleFileError } from './parse-rule-files.js';
import { validateRuleFiles } from '../rule-set-service.js';

function errorsOf(files: Array<{ name: string; text: string }>): RuleFileError[] {
  try {
    loadRuleSet(files);
  } catch (e) {
    assert.ok(isTingjianError(e) && e.code === 'INVALID_RULES', String(e));
    return (e.details as { errors: RuleFileError[] }).errors;
  }
  assert.fail('expected INVALID_RULES');
}

const GOOD = `module: general
name: 通用客服
rules:
  - id: greeting
    name: 开场问候
    type: required
    when:
      keywords: [您好]
      speaker: agent
`;

test('a valid module loads', () => {
  const doc = loadRuleSet([{ name: 'general.yaml', text: GOOD }]);
  assert.equal(doc.modules[0]!.rules[0]!.id, 'greeting');
});

test('an unknown field is reported at its line and column with the allowed fields', () => {
  const text = GOOD.replace('      speaker: agent', '      speakr: agent');
  const [e, ...rest] = errorsOf([{ name: 'general.yaml', text }]);
  assert.equal(rest.length, 0);
  assert.equal(e!.file, 'general.yaml');
  assert.equal(e!.path, 'rules[0].when.speakr');
  assert.equal(e!.line, 9);
  assert.equal(e!.column, 7);
  assert.match(e!.message, /unknown field for a keywords condition; allowed: keywords, speaker/);
});

test('every problem is reported at once, each at its own place', () => {
  const text = `module: Bad Id
name: x
rules:
  - id: a
    name: A
    when: {keywords: {atLeast: 3, of: [甲, 乙]}}
  - id: a
    name: B
    when: {regex: '([unclosed'}
  - id: c
    name: C
    when: {silence: {longerThan: -1}, keywords: [x]}
`;
  const errors = errorsOf([{ name: 'bad.yaml', text }]);
  const byPath = new Map(errors.map((e) => [e.path, e]));
  assert.match(byPath.get('module')!.message, /lowercase/);
  assert.equal(byPath.get('module')!.line, 1);
  assert.match(byPath.get('rules[0].when.keywords.atLeast')!.message, /cannot exceed the 2 words/);
  assert.equal(byPath.get('rules[0].when.keywords.atLeast')!.line, 6);
  assert.match(byPath.get('rules[1].id')!.message, /duplicate rule id a/);
  assert.equal(byPath.get('rules[1].id')!.line, 7);
  assert.match(byPath.get('rules[1].when.regex')!.message, /not a valid regular expression/);
  assert.match(byPath.get('rules[2].when')!.message, /exactly one kind; found silence, keywords/);
});

test('YAML syntax errors carry their line; JSON files are read by the same parser', () => {
  const [e] = errorsOf([{ name: 'broken.yaml', text: 'module: x\nrules: [\n  - id: a\n' }]);
  assert.equal(e!.file, 'broken.yaml');
  assert.ok(e!.line !== null && e!.line >= 2, JSON.stringify(e));
  const json = JSON.stringify({ module: 'j', name: 'J', rules: [{ id: 'r', name: 'R', when: { keywords: [] } }] }, null, 2);
  const [je] = errorsOf([{ name: 'rules.json', text: json }]);
  assert.equal(je!.path, 'rules[0].when.keywords');
  assert.ok(je!.line !== null && je!.line > 1);
});

test('cross-module problems: scorecard references, two scorecards for one business line, duplicate module ids', () => {
  const card = (id: string, lines: string) => `module: ${id}
name: ${id}
rules:
  - {id: r, name: R, when: {keywords: [您好]}}
scorecards:
  - id: card-${id}
    name: 卡
    businessLines: [${lines}]
    categories:
      - id: c
        name: 类
        items:
          - {id: i, name: 项, points: 10, rules: [r, other.missing]}
`;
  const errors = errorsOf([
    { name: 'a.yaml', text: card('a', '金融, "*"') },
    { name: 'b.yaml', text: card('b', '金融') },
  ]);
  assert.ok(errors.some((e) => e.file === 'a.yaml' && e.path === 'scorecards[0].categories[0].items[0].rules[1]' && /no rule other.missing/.test(e.message) && e.line === 13));
  assert.ok(errors.some((e) => e.file === 'b.yaml' && e.path === 'scorecards[0].businessLines[0]' && /already scored by a\/card-a/.test(e.message)));
});

test('a category whose points do not add up, bands without a floor, a manual item with rules', () => {
  const text = `module: s
name: S
rules:
  - {id: r, name: R, when: {keywords: [您好]}}
scorecards:
  - id: s
    name: S
    businessLines: ['*']
    bands: [{name: 好, min: 60}]
    categories:
      - id: c
        name: C
        points: 30
        items:
          - {id: a, name: A, points: 10, rules: [r]}
          - {id: b, name: B, points: 10, manual: true, rules: [r]}
`;
  const errors = errorsOf([{ name: 's.yaml', text }]);
  assert.ok(errors.some((e) => e.path === 'scorecards[0].categories[0].points' && /sum of its items' points \(20\)/.test(e.message)));
  assert.ok(errors.some((e) => e.path === 'scorecards[0].bands' && /min: 0/.test(e.message)));
  assert.ok(errors.some((e) => e.path === 'scorecards[0].categories[0].items[1].rules'));
});

test('files checked on their own may cite modules they do not bring (noted); a missing rule of a module they bring is an error', () => {
  const card = (rules: string[]) =>
    `module: a\nname: A\nrules:\n  - {id: r, name: R, when: {keywords: [您好]}}\nscorecards:\n  - id: s\n    name: S\n    businessLines: ['*']\n    categories:\n      - {id: c, name: C, items: [{id: i, name: I, points: 10, rules: [${rules.join(', ')}]}]}\n`;
  const ok = validateRuleFiles([{ name: 'a.yaml', text: card(['r', 'finance.guaranteed-returns']) }]);
  assert.deepEqual(ok.unresolved, ['a/s cites finance.guaranteed-returns: module finance is not among these files; checked when the set is published']);
  assert.throws(() => validateRuleFiles([{ name: 'a.yaml', text: card(['a.nope']) }]), /a\.yaml:10:\d+ .*no rule a\.nope/);
  assert.throws(() => loadRuleSet([{ name: 'a.yaml', text: card(['finance.guaranteed-returns']) }]), /no rule finance\.guaranteed-returns/, 'a whole set must resolve every reference');
});

test('a sentiment condition needs a label or a score band within -1..1', () => {
  const mod = (when: string) => [{ name: 's.yaml', text: `module: s\nname: S\nrules:\n  - id: r\n    name: R\n    when: ${when}\n` }];
  assert.doesNotThrow(() => loadRuleSet(mod('{sentiment: {label: negative}, speaker: customer}')));
  const e1 = errorsOf(mod('{sentiment: {}}'));
  assert.match(e1[0]!.message, /label, below, above/);
  const e2 = errorsOf(mod('{sentiment: {below: -2}}'));
  assert.equal(e2[0]!.path, 'rules[0].when.sentiment.below');
  assert.match(e2[0]!.message, /between -1/);
  assert.match(errorsOf(mod('{sentiment: {above: 0.5, below: -0.5}}'))[0]!.message, /could never hold/);
  const e3 = errorsOf(mod('{sentiment: {label: angry}}'));
  assert.equal(e3[0]!.path, 'rules[0].when.sentiment.label');
});
