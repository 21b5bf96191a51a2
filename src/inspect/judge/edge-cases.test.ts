import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NORMALIZE, normalizePattern, normalizeText } from '../../rules/text/normalize-text.js';
import { inspect, dialogue, evidenceSegments, matchedWords, oneRule, ruleResult } from './judge-test-kit.js';

test('normalisation is idempotent: simplified characters are never rewritten (什么, 显著), traditional ones are', () => {
  for (let c = 0; c < 0x10000; c++) assert.equal(NORMALIZE[NORMALIZE[c]!], NORMALIZE[c], `U+${c.toString(16)}`);
  assert.equal(normalizeText('什么 什麼 显著 怎麼'), '什么 什么 显著 怎么');
  assert.equal(ruleResult(oneRule('keywords: [为什么]'), ['C: 為什麼還沒發貨']).outcome, 'hit');
  assert.equal(ruleResult(oneRule("regex: '为什么'"), ['C: 为什么还没发货']).outcome, 'hit');
  assert.equal(ruleResult(oneRule("regex: 'VIP客户'"), ['C: 我是VIP客户']).outcome, 'hit', 'regex literals are normalised like the text');
  assert.equal(ruleResult(oneRule("regex: '（请）'"), ['A: （请）稍等']).outcome, 'hit', 'a full-width parenthesis stays a literal');
});

test('traditional variants OpenCC knows only from Taiwan or Hong Kong fold too, and chains end at the simplified character', () => {
  assert.equal(normalizeText('衞生 衹要 枱面 睪丸 屋簷 粧容 糭子 敍述 痺 苧麻 薴'), '卫生 只要 台面 睾丸 屋檐 妆容 粽子 叙述 痹 苎麻 苎');
  assert.equal(ruleResult(oneRule('keywords: [卫生]'), ['C: 注意衞生']).outcome, 'hit');
});

test('a regex written with escapes or full-width syntax characters means what it says', () => {
  assert.equal(normalizePattern('[０－９]元'), '[0\\x2d9]元', 'a full-width dash in a class is a literal, not a range');
  assert.equal(ruleResult(oneRule("regex: '[０－９]元'"), ['C: 5元']).outcome, 'pass', 'the class is {0, -, 9}');
  assert.equal(ruleResult(oneRule("regex: '\\d+[.－/]\\d+'"), ['C: 日期2024－05']).outcome, 'hit');
  assert.equal(normalizePattern('\\u6703員'), '会员', 'a character written as its code is normalised like one written as itself');
  assert.equal(ruleResult(oneRule("regex: '\\u6703員'"), ['C: 我是會員']).outcome, 'hit');
  assert.equal(ruleResult(oneRule("regex: '请稍等\\u3002'"), ['A: 请稍等。']).outcome, 'hit');
  assert.equal(ruleResult(oneRule("regex: '您好[^]{0,5}|退款'"), ['C: 我要退款']).outcome, 'hit');
  assert.equal(ruleResult(oneRule("regex: '👍?好'"), ['C: 好']).outcome, 'hit');
  assert.equal(ruleResult(oneRule("regex: {pattern: 'café', ignoreCase: true}"), ['C: CAFÉ']).outcome, 'hit', 'Unicode case folding beyond the normalisation table');
  assert.equal(ruleResult(oneRule("regex: {pattern: 'σ', ignoreCase: true}"), ['C: Σ']).outcome, 'hit');
});

test('parts of an any/all holding in one sentence are one hit (one deduction), with both words as evidence', () => {
  const rule = oneRule('any:\n  - {keywords: [这不是我们的问题]}\n  - {regex: \'我也不清楚\'}');
  const r = ruleResult(rule, ['C: 怎么回事', 'A: 这不是我们的问题，我也不清楚']);
  assert.equal(r.hits, 1);
  assert.deepEqual(evidenceSegments(r), [1]);
  assert.deepEqual(matchedWords(r), ['这不是我们的问题', '我也不清楚']);
});

test('a scorecard with nothing to score has no percent and no band', () => {
  const mod = `${oneRule('keywords: [您好]', 'appliesTo: {businessLines: [金融]}')}scorecards:\n  - id: s\n    name: S\n    businessLines: ['*']\n    categories:\n      - {id: c, name: C, items: [{id: i, name: I, points: 10, rules: [r]}, {id: m, name: M, points: 5, manual: true}]}\n`;
  const score = inspect(mod, dialogue(['A: 您好'])).score!;
  assert.equal(score.percent, null);
  assert.equal(score.band, null);
  assert.equal(score.pendingManual, 1);
});

test('a hold-notice excuse that cannot be checked (no transcript) makes a long silence n/a, not a hit', () => {
  const segs = ['C@0-3: 帮我查下', 'A@3.5-5: 好的请稍等', 'A@28-30: 查到了'];
  const rule = oneRule('silence: {longerThan: 10, unless: {keywords: [请稍等], speaker: agent}}');
  assert.equal(inspect(rule, dialogue(segs)).results[0]!.outcome, 'pass', 'with the transcript: the notice excuses it');
  // Signals (measured from the timing) but no transcript: whether a hold was announced is unknown.
  assert.equal(inspect(rule, dialogue(segs), { transcript: false }).results[0]!.outcome, 'na');
});

test('an exception holding only at call level (a not, a signal) cancels no particular sentence', () => {
  const rule = oneRule('keywords: [我不知道]\nspeaker: agent\nexcept:\n  all:\n    - {keywords: [帮您转接], speaker: agent}\n    - not: {keywords: [投诉], speaker: customer}');
  assert.equal(ruleResult(rule, ['A: 我帮您转接一下', 'C: 好的', 'A: 这个我不知道', 'C: 哦']).outcome, 'hit');
  assert.equal(ruleResult(rule, ['A: 我帮您转接一下', 'C: 好的', 'A: 这个我不知道', 'C: 哦', 'A: 再见']).outcome, 'hit');
});

test('caseSensitive keeps synonyms and width/traditional folding; only the case is strict', () => {
  const mod = oneRule('keywords: [VIP, VIP会员]\ncaseSensitive: true').replace('rules:', 'synonyms: {VIP: [会员]}\nrules:');
  assert.equal(ruleResult(mod, ['C: 我是会员']).outcome, 'hit');
  assert.equal(ruleResult(mod, ['C: 我是VIP會員']).outcome, 'hit');
  assert.equal(ruleResult(mod, ['C: 我是ＶＩＰ']).outcome, 'hit');
  assert.equal(ruleResult(mod, ['C: 我是vip']).outcome, 'pass');
});

test('a window of seconds before the anchor finds a sentence that ends inside it, even around a shorter one', () => {
  const rule = oneRule('followUp:\n  before: {keywords: [帮您转接], speaker: agent}\n  within: {seconds: 3}\n  expect: {keywords: [同意], speaker: customer}');
  assert.equal(ruleResult(rule, ['C@10-24: 好吧那我同意转人工', 'A@12-13: 嗯', 'A@25-27: 现在帮您转接']).outcome, 'pass');
  assert.equal(ruleResult(rule, ['C@10-20: 好吧那我同意转人工', 'A@21-22: 嗯', 'A@25-27: 现在帮您转接']).outcome, 'hit', 'ended 5 s before');
});

test('scope call: a word cancelled by the exception does not complete an all in another sentence', () => {
  const rule = oneRule('keywords: {all: [保本, 高收益]}\nscope: call\nspeaker: agent\nexceptIn: same\nexcept: {keywords: [不保证], speaker: agent}');
  assert.equal(ruleResult(rule, ['A: 这个产品保本', 'A: 高收益是不保证的哦']).outcome, 'pass');
  assert.equal(ruleResult(rule, ['A: 这个产品保本', 'A: 而且高收益']).outcome, 'hit');
});

test('negation: 不 inside 不错 negates nothing; a colon or an ellipsis ends the clause', () => {
  const rule = oneRule('keywords: [保本]\nnegation: true');
  assert.equal(ruleResult(rule, ['A: 很不错保本的']).outcome, 'hit');
  assert.equal(ruleResult(rule, ['A: 不是的：保本的']).outcome, 'hit');
  assert.equal(ruleResult(rule, ['A: 这个不保本']).outcome, 'pass');
});

test('evidence labels list the words in the order the rule lists them, whatever else the call says', () => {
  const rule = oneRule('keywords: [服务态度, 服务]');
  const alone = ruleResult(rule, ['C: 服务态度差']);
  const after = ruleResult(rule, ['C: 服务', 'C: 服务态度差']);
  assert.equal(alone.evidence[0]!.label, '服务态度、服务');
  assert.equal(after.evidence[1]!.label, '服务态度、服务');
});

test("a module's negationWindow reaches negators further before the word", () => {
  const rule = (w: string) => oneRule('keywords: [推荐]\nnegation: true').replace('rules:', `${w}rules:`);
  assert.equal(ruleResult(rule(''), ['A: 以后不会再给您推荐了']).outcome, 'hit', 'default 4: 不 is 5 characters before');
  assert.equal(ruleResult(rule('negationWindow: 6\n'), ['A: 以后不会再给您推荐了']).outcome, 'pass');
});
