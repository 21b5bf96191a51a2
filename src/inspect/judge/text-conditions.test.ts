import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evidenceSegments, matchedWords, oneRule, ruleResult } from './judge-test-kit.js';

test('keywords any: hit with the sentence, its time and the matched characters', () => {
  const r = ruleResult(oneRule('keywords: [不归我管, 你自己查]\nspeaker: agent'), ['A: 您好', 'C: 我的快递丢了', 'A: 这个不归我管，你自己查吧']);
  assert.equal(r.outcome, 'hit');
  assert.equal(r.hits, 1);
  assert.deepEqual(evidenceSegments(r), [2]);
  assert.deepEqual(matchedWords(r), ['不归我管', '你自己查']);
  const e = r.evidence[0]!;
  assert.ok(e.startMs > 0 && e.endMs > e.startMs);
  assert.equal(e.text, '这个不归我管，你自己查吧');
});

test('keywords: the speaker filter; pass when only the other side says it', () => {
  const r = ruleResult(oneRule('keywords: [不归我管]\nspeaker: agent'), ['C: 你们总说不归我管', 'A: 非常抱歉']);
  assert.equal(r.outcome, 'pass');
  assert.equal(r.evidence.length, 0);
});

test('keywords all / atLeast within one sentence vs across the call', () => {
  const lines = ['A: 请问您的订单号', 'A: 还有手机号是多少'];
  assert.equal(ruleResult(oneRule('keywords: {all: [订单号, 手机号]}'), lines).outcome, 'pass', 'sentence scope: never both in one sentence');
  assert.equal(ruleResult(oneRule('keywords: {all: [订单号, 手机号]}\nscope: call'), lines).outcome, 'hit');
  assert.equal(ruleResult(oneRule('keywords: {atLeast: 2, of: [订单号, 手机号, 地址]}'), ['A: 订单号和手机号都告诉我']).outcome, 'hit');
  assert.equal(ruleResult(oneRule('keywords: {atLeast: 2, of: [订单号, 手机号, 地址]}'), ['A: 订单号告诉我']).outcome, 'pass');
});

test('synonyms inline and per module count as the word', () => {
  assert.equal(ruleResult(oneRule('keywords: [退款|退钱]'), ['C: 我要退钱']).outcome, 'hit');
  const mod = oneRule('keywords: [退款]').replace('rules:', 'synonyms: {退款: [返款]}\nrules:');
  const r = ruleResult(mod, ['C: 什么时候返款']);
  assert.equal(r.outcome, 'hit');
  assert.equal(r.evidence[0]!.label, '退款');
});

test('full-width, upper case and traditional characters are normalised; offsets stay on the original text', () => {
  const r = ruleResult(oneRule('keywords: [这不是我们的问题, vip]'), ['A: 這不是我們的問題', 'A: 您是ＶＩＰ客户']);
  assert.equal(r.hits, 2);
  assert.deepEqual(matchedWords(r), ['這不是我們的問題', 'ＶＩＰ']);
});

test('pinyin-fuzzy matching catches ASR near-homophones of words of 3+ characters only', () => {
  const fuzzy = oneRule('keywords: [稳赚不赔, 保本, 收益有保障]\nfuzzy: true');
  const r = ruleResult(fuzzy, ['A: 这个产品收益有宝障']);
  assert.equal(r.outcome, 'hit', '宝 bao = 保 bao');
  assert.deepEqual(matchedWords(r), ['收益有宝障']);
  assert.equal(ruleResult(fuzzy, ['A: 稳赚不赔的']).outcome, 'hit', 'exact words still match');
  assert.equal(ruleResult(fuzzy, ['A: 收益有宝章']).outcome, 'hit', 'zhang ~ zhang');
  assert.equal(ruleResult(fuzzy, ['A: 收益稳赚不陪的']).outcome, 'hit', '陪 pei = 赔 pei');
  assert.equal(ruleResult(fuzzy, ['A: 这是宝本的']).outcome, 'pass', '2-character words are matched exactly');
  assert.equal(ruleResult(oneRule('keywords: [稳赚不赔]'), ['A: 收益稳赚不陪的']).outcome, 'pass', 'without fuzzy: exact only');
});

test('negation: 不保本 is not a promise; a negator outside the clause does not count', () => {
  const rule = oneRule('keywords: [保本]\nnegation: true\nspeaker: agent');
  assert.equal(ruleResult(rule, ['A: 这款产品不保本']).outcome, 'pass');
  assert.equal(ruleResult(rule, ['A: 这款产品并非保本型']).outcome, 'pass');
  assert.equal(ruleResult(rule, ['A: 不用担心，这款产品保本']).outcome, 'hit', 'the 不 of 不用 is in another clause');
  assert.equal(ruleResult(rule, ['A: 这款是保本的']).outcome, 'hit');
  assert.equal(ruleResult(oneRule('keywords: [这不是我们的问题]\nnegation: true'), ['A: 我从没说过这不是我们的问题']).outcome, 'pass');
});

test('ignoreQuoted: quoting a forbidden phrase is not saying it', () => {
  const rule = oneRule('keywords: [不归我管]\nignoreQuoted: true');
  assert.equal(ruleResult(rule, ['A: 您说之前的客服讲“不归我管”，我向您道歉']).outcome, 'pass');
  assert.equal(ruleResult(rule, ['A: 「不归我管」这种话我们不会说']).outcome, 'pass');
  assert.equal(ruleResult(rule, ['A: “好的”，不过这不归我管']).outcome, 'hit', 'after the closing quote');
});

test('exception in the same or the next sentence of that speaker cancels the hit', () => {
  const rule = oneRule('keywords: [我不知道]\nspeaker: agent\nexcept: {keywords: [帮您转接, 帮您查], speaker: agent}');
  assert.equal(ruleResult(rule, ['A: 我不知道，我帮您转接售后专员']).outcome, 'pass', 'same sentence');
  assert.equal(ruleResult(rule, ['A: 这个我不知道', 'C: 那怎么办', 'A: 我帮您查一下']).outcome, 'pass', "the agent's next sentence, a customer sentence between");
  assert.equal(ruleResult(rule, ['A: 这个我不知道', 'A: 您再等等吧', 'A: 我帮您查一下']).outcome, 'hit', 'two sentences later is too late');
  assert.equal(ruleResult(rule, ['A: 这个我不知道', 'C: 我帮您查？']).outcome, 'hit', 'the customer saying it does not count');
  const sameOnly = oneRule('keywords: [我不知道]\nspeaker: agent\nexceptIn: same\nexcept: {keywords: [帮您查], speaker: agent}');
  assert.equal(ruleResult(sameOnly, ['A: 这个我不知道', 'A: 我帮您查一下']).outcome, 'hit');
});

test('position: first/last N sentences of the speaker; first/last N seconds of the call', () => {
  const lines = ['C: 喂', 'A: 您好很高兴为您服务', 'C: 我问一下', 'A: 好的', 'A: 请问还有什么可以帮您', 'C: 没了'];
  assert.equal(ruleResult(oneRule('keywords: [您好]\nspeaker: agent\nfirst: {sentences: 1}'), lines).outcome, 'hit', "the agent's first sentence is the call's second");
  assert.equal(ruleResult(oneRule('keywords: [您好]\nfirst: {sentences: 1}'), lines).outcome, 'pass', "the call's first sentence is the customer's 喂");
  assert.equal(ruleResult(oneRule('keywords: [还有什么可以帮您]\nspeaker: agent\nlast: {sentences: 1}'), lines).outcome, 'hit');
  assert.equal(ruleResult(oneRule('keywords: [好的]\nspeaker: agent\nlast: {sentences: 1}'), lines).outcome, 'pass');
  const timed = ['A@0-3: 您好', 'C@3.5-6: 嗯', 'A@40-42: 再见'];
  assert.equal(ruleResult(oneRule('keywords: [再见]\nfirst: {seconds: 30}'), timed).outcome, 'pass');
  assert.equal(ruleResult(oneRule('keywords: [再见]\nlast: {seconds: 5}'), timed).outcome, 'hit');
  assert.equal(ruleResult(oneRule('keywords: [您好]\nlast: {seconds: 5}'), timed).outcome, 'pass');
});

test('regex with an exclusion pattern, and negation on regex matches', () => {
  const rule = oneRule("regex: {pattern: '打了.{1,3}次', not: '没打'}");
  const r = ruleResult(rule, ['C: 我都打了五次电话了']);
  assert.equal(r.outcome, 'hit');
  assert.deepEqual(matchedWords(r), ['打了五次']);
  assert.equal(ruleResult(rule, ['C: 我没打几次，打了两次而已']).outcome, 'pass', 'not excludes the sentence');
  assert.equal(ruleResult(oneRule("regex: '保证.{0,2}收益'\nnegation: true"), ['A: 我们不保证收益']).outcome, 'pass');
});

test('similarTo: a paraphrase over the threshold hits, a different sentence does not', () => {
  const rule = oneRule('similarTo: {examples: [非常理解您的着急，我马上帮您查物流], threshold: 0.5}\nspeaker: agent');
  const r = ruleResult(rule, ['A: 非常理解您着急的心情，我马上帮您查一下物流']);
  assert.equal(r.outcome, 'hit');
  assert.match(r.evidence[0]!.label!, /^相似度 0\.\d\d$/);
  assert.equal(ruleResult(rule, ['A: 我查一下']).outcome, 'pass');
});

test('entities: a phone number read in full (digits or Chinese digits) hits; a masked mention does not', () => {
  const rule = oneRule('entity: {types: [phone, idCard, bankCard]}\nspeaker: agent');
  assert.equal(ruleResult(rule, ['A: 您的手机号是13812345678对吗']).outcome, 'hit');
  assert.equal(ruleResult(rule, ['A: 您的手机号是一三八一二三四五六七八对吗']).outcome, 'hit');
  assert.equal(ruleResult(rule, ['A: 您尾号5678的手机']).outcome, 'pass');
  assert.equal(ruleResult(rule, ['A: 手机号138****5678']).outcome, 'pass');
  assert.equal(ruleResult(oneRule('entity: {types: [phone], masked: only}'), ['A: 手机号138****5678']).outcome, 'hit');
});

test('a text condition on a call without a transcript is n/a, not a pass', () => {
  const r = ruleResult(oneRule('keywords: [您好]'), ['A: 您好'], { transcript: false });
  assert.equal(r.outcome, 'na');
  assert.match(r.reason!, /缺少/);
});

test('sentiment: sentences by label or score band, with the speaker filter and exceptions; evidence says the score', () => {
  const lines = ['A: 您好，请问有什么可以帮您', 'C: 我都打了五次电话了，到底有没有人管', 'A: 非常抱歉，我马上帮您处理', 'C: 好的，谢谢你们'];
  const neg = ruleResult(oneRule('sentiment: {label: negative}\nspeaker: customer'), lines);
  assert.equal(neg.outcome, 'hit');
  assert.deepEqual(evidenceSegments(neg), [1], 'a complaint without emotion words is negative');
  assert.match(neg.evidence[0]!.label!, /^负面情绪 -[01]\.\d\d$/);
  assert.equal(ruleResult(oneRule('sentiment: {label: negative}\nspeaker: agent'), lines).outcome, 'pass');
  assert.deepEqual(evidenceSegments(ruleResult(oneRule('sentiment: {above: 0.3}\nspeaker: customer'), lines)), [3]);
  assert.deepEqual(evidenceSegments(ruleResult(oneRule('sentiment: {below: -0.5}'), lines)), [1]);
  assert.equal(ruleResult(oneRule('sentiment: {below: -0.5, above: -0.6}'), lines).outcome, 'pass', 'a band the complaint lies outside');
  const excepted = ruleResult(oneRule('sentiment: {label: negative}\nspeaker: customer\nexcept: {keywords: [五次]}\nexceptIn: same'), lines);
  assert.equal(excepted.outcome, 'pass');
});

test('sentiment composes: a negative customer sentence not followed by an apology within 2 agent turns', () => {
  const rule = oneRule('followUp:\n  after: {sentiment: {label: negative}, speaker: customer}\n  within: {turns: 2}\n  expect: {keywords: [抱歉, 对不起], speaker: agent}');
  assert.equal(ruleResult(rule, ['C: 等了三天还没到，太慢了', 'A: 您的订单在路上']).outcome, 'hit');
  assert.equal(ruleResult(rule, ['C: 等了三天还没到，太慢了', 'A: 非常抱歉']).outcome, 'pass');
});
