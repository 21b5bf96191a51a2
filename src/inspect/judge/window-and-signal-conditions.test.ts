import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Signals } from '../../domain/signals.js';
import { signalsFromTranscript } from '../../enrich/transcript-signals.js';
import { dialogue, evidenceSegments, oneRule, ruleResult } from './judge-test-kit.js';

const EMPATHY = `followUp:
  after: {keywords: [生气, 投诉], speaker: customer}
  within: {turns: 2}
  expect: {keywords: [理解, 抱歉], speaker: agent}`;

test('followUp expect: an anchor with the expected reply within 2 agent turns passes; without it hits at the anchor', () => {
  assert.equal(ruleResult(oneRule(EMPATHY), ['C: 我很生气', 'A: 您稍等', 'C: 快点', 'A: 非常抱歉让您久等']).outcome, 'pass', 'second agent turn, customer sentence between');
  const r = ruleResult(oneRule(EMPATHY), ['C: 我很生气', 'A: 您稍等', 'A: 我查一下', 'A: 抱歉']);
  assert.equal(r.outcome, 'hit', 'the apology comes on the third agent turn');
  assert.deepEqual(evidenceSegments(r), [0]);
  assert.match(r.evidence[0]!.label!, /^生气（其后未出现要求的内容）$/);
  assert.equal(ruleResult(oneRule(EMPATHY), ['C: 我要问个问题', 'A: 您说']).outcome, 'pass', 'no anchor, nothing to follow up');
  const two = ruleResult(oneRule(EMPATHY), ['C: 我要投诉', 'A: 好的', 'A: 嗯', 'C: 我很生气', 'A: 理解您']);
  assert.equal(two.hits, 1, 'each anchor is checked: the first one went unanswered, the second did not');
  assert.deepEqual(evidenceSegments(two), [0]);
});

test('followUp window by segments and by seconds, and looking before the anchor', () => {
  const segs = oneRule('followUp:\n  after: {keywords: [订单], speaker: customer}\n  within: {segments: 1}\n  expect: {keywords: [订单号], speaker: agent}');
  assert.equal(ruleResult(segs, ['C: 我的订单呢', 'A: 请问订单号']).outcome, 'pass');
  assert.equal(ruleResult(segs, ['C: 我的订单呢', 'A: 好的', 'A: 请问订单号']).outcome, 'hit');
  const secs = oneRule('followUp:\n  after: {keywords: [订单], speaker: customer}\n  within: {seconds: 10}\n  expect: {keywords: [订单号], speaker: agent}');
  assert.equal(ruleResult(secs, ['C@0-2: 我的订单呢', 'A@3-4: 好的', 'A@8-11: 请问订单号']).outcome, 'pass', 'starts 6 s after the anchor ended');
  assert.equal(ruleResult(secs, ['C@0-2: 我的订单呢', 'A@3-4: 好的', 'A@13-15: 请问订单号']).outcome, 'hit');
  const before = oneRule('followUp:\n  before: {keywords: [余额], speaker: agent}\n  within: {segments: 6}\n  expect: {keywords: [核实身份, 身份证后四位], speaker: agent}');
  assert.equal(ruleResult(before, ['A: 先核实身份，请报身份证后四位', 'C: 1234', 'A: 您的余额是三千元']).outcome, 'pass');
  assert.equal(ruleResult(before, ['A: 您的余额是三千元', 'A: 再核实身份']).outcome, 'hit', 'verified only after');
});

test('followUp forbid: what must not follow the anchor is the evidence', () => {
  const rule = oneRule('followUp:\n  after: {keywords: [不需要, 不用了], speaker: customer}\n  within: {turns: 3}\n  forbid: {keywords: [办理, 优惠], speaker: agent}');
  const r = ruleResult(rule, ['A: 给您推荐个套餐', 'C: 不需要', 'A: 这个优惠很大的', 'C: 真不用了']);
  assert.equal(r.outcome, 'hit');
  assert.deepEqual(evidenceSegments(r), [2]);
  assert.equal(ruleResult(rule, ['A: 给您推荐个套餐', 'C: 不需要', 'A: 好的打扰了']).outcome, 'pass');
});

test('all / any / not compose, and a required rule hits when its condition is missing', () => {
  const rule = oneRule('all:\n  - {keywords: [理财, 基金], speaker: customer}\n  - not: {keywords: [理财有风险], speaker: agent}');
  assert.equal(ruleResult(rule, ['C: 我想买基金', 'A: 好的']).outcome, 'hit');
  assert.deepEqual(evidenceSegments(ruleResult(rule, ['C: 我想买基金', 'A: 好的'])), [0], 'the absent part is no evidence');
  assert.equal(ruleResult(rule, ['C: 我想买基金', 'A: 理财有风险']).outcome, 'pass');
  assert.equal(ruleResult(oneRule('any:\n  - {keywords: [甲]}\n  - {keywords: [乙]}'), ['A: 乙']).outcome, 'hit');
  const required = ruleResult(oneRule('keywords: [您好]\nspeaker: agent\nfirst: {sentences: 2}', 'type: required\ndescription: 开场问候'), ['A: 喂', 'A: 说吧']);
  assert.equal(required.outcome, 'hit');
  assert.equal(required.reason, '未检测到：开场问候');
});

test('onlyIf: the rule is n/a when its precondition does not occur', () => {
  const rule = oneRule('keywords: [理财有风险]\nspeaker: agent', 'type: required\nonlyIf: {keywords: [理财, 基金]}');
  assert.equal(ruleResult(rule, ['C: 快递到哪了']).outcome, 'na');
  assert.equal(ruleResult(rule, ['C: 这个理财怎么样', 'A: 年化三个点']).outcome, 'hit');
  assert.equal(ruleResult(rule, ['C: 这个理财怎么样', 'A: 理财有风险，投资需谨慎']).outcome, 'pass');
});

test('appliesTo: business lines and channels outside the rule are n/a', () => {
  const rule = oneRule('keywords: [保本]', 'appliesTo: {businessLines: [金融], channels: [phone]}');
  assert.equal(ruleResult(rule, ['A: 保本'], { call: { businessLine: '电商客服' } }).outcome, 'na');
  assert.equal(ruleResult(rule, ['A: 保本'], { call: { businessLine: '金融', channel: 'chat' } }).outcome, 'na');
  assert.equal(ruleResult(rule, ['A: 保本'], { call: { businessLine: '金融' } }).outcome, 'hit');
});

test('minHits: a violation rule hits only from the Nth match', () => {
  const rule = oneRule('keywords: [嗯嗯]\nspeaker: agent', 'minHits: 3');
  assert.equal(ruleResult(rule, ['A: 嗯嗯', 'A: 嗯嗯']).outcome, 'pass');
  assert.equal(ruleResult(rule, ['A: 嗯嗯', 'A: 嗯嗯', 'A: 嗯嗯']).hits, 3);
});

test('silence longer than N s, excused by a hold notice just before it', () => {
  const rule = oneRule('silence:\n  longerThan: 10\n  unless: {keywords: [请稍等], speaker: agent}\n  noticeWithin: 30');
  const noNotice = ruleResult(rule, ['C@0-3: 帮我查下', 'A@3.5-5: 好的', 'A@20-22: 查到了']);
  assert.equal(noNotice.outcome, 'hit');
  assert.equal(noNotice.evidence[0]!.segmentIndex, null);
  assert.equal(noNotice.evidence[0]!.startMs, 5000);
  assert.equal(noNotice.evidence[0]!.endMs, 20000);
  assert.match(noNotice.evidence[0]!.label!, /静音 15\.0 秒/);
  assert.equal(ruleResult(rule, ['C@0-3: 帮我查下', 'A@3.5-5: 好的请稍等', 'A@20-22: 查到了']).outcome, 'pass');
  assert.equal(ruleResult(rule, ['A@0-2: 请稍等', 'C@40-42: 喂', 'A@42.5-44: 在的', 'A@60-62: 好了']).outcome, 'hit', 'the notice was for an earlier pause');
  assert.equal(ruleResult(rule, ['C@0-3: 帮我查下', 'A@3.5-5: 好的', 'A@12-14: 查到了']).outcome, 'pass', '7 s is not long');
  assert.equal(ruleResult(rule, ['A: 好的'], { signals: null }).outcome, 'na', 'no signals: cannot tell');
});

test('interruptions by the agent, at least N, with a minimum overlap', () => {
  const segs = dialogue(['C@0-6: 我跟你说这个事情是这样的', 'A@4-7: 您先听我说', 'C@8-9: 好']);
  const signals = signalsFromTranscript(segs, { durationMs: 9000, language: 'zh-CN' });
  const lines = ['C@0-6: 我跟你说这个事情是这样的', 'A@4-7: 您先听我说', 'C@8-9: 好'];
  const r = ruleResult(oneRule('interruptions: {by: agent, atLeast: 1, minOverlap: 1}'), lines, { signals });
  assert.equal(r.outcome, signals.interruptionEvents.length ? 'hit' : 'pass');
  assert.ok(signals.interruptionEvents.some((e) => e.by === 'agent'), 'the dialogue has an agent interruption');
  assert.deepEqual(evidenceSegments(r), [1]);
  assert.equal(ruleResult(oneRule('interruptions: {by: customer}'), lines, { signals }).outcome, 'pass');
  assert.equal(ruleResult(oneRule('interruptions: {by: agent, atLeast: 2}'), lines, { signals }).outcome, 'pass');
});

test('duration outside a range, speech rate, loudness, overlap — from signals', () => {
  const lines = ['A@0-2: 您好', 'C@2.5-4: 你好'];
  const base = signalsFromTranscript(dialogue(lines), { durationMs: 100_000, language: 'zh-CN' });
  assert.equal(ruleResult(oneRule('duration: {outside: [180, 480]}'), lines, { signals: base }).outcome, 'hit');
  assert.match(ruleResult(oneRule('duration: {outside: [180, 480]}'), lines, { signals: base }).evidence[0]!.label!, /1 分 40 秒/);
  assert.equal(ruleResult(oneRule('duration: {outside: [180, 480]}'), lines, { signals: { ...base, durationMs: 200_000 } }).outcome, 'pass');
  const fast: Signals = { ...base, speechRate: { agent: 320, customer: 200 } };
  assert.equal(ruleResult(oneRule('speechRate: {speaker: agent, above: 280}'), lines, { signals: fast }).outcome, 'hit');
  assert.equal(ruleResult(oneRule('speechRate: {speaker: customer, above: 280}'), lines, { signals: fast }).outcome, 'pass');
  assert.equal(ruleResult(oneRule('speechRate: {speaker: agent, above: 280, per: sentence, minChars: 2}'), ['A@0-0.3: 您好您好您好']).outcome, 'hit', '6 chars in 0.3 s');
  assert.equal(ruleResult(oneRule('loudness: {speaker: agent, above: -6}'), lines, { signals: base }).outcome, 'na', 'transcript signals have no loudness');
  const loud: Signals = { ...base, loudness: { agent: { rmsDbfs: -3, peakDbfs: 0 }, customer: { rmsDbfs: -20, peakDbfs: -6 } } };
  assert.equal(ruleResult(oneRule('loudness: {speaker: agent, above: -6}'), lines, { signals: loud }).outcome, 'hit');
  const overlapping: Signals = { ...base, overlaps: [{ startMs: 1000, endMs: 5000, by: 'customer' }] };
  assert.equal(ruleResult(oneRule('overlap: {by: customer, longerThan: 3}'), lines, { signals: overlapping }).outcome, 'hit');
  assert.equal(ruleResult(oneRule('overlap: {by: agent, longerThan: 3}'), lines, { signals: overlapping }).outcome, 'pass');
});

test('metadata: business line, customer tags, integrator fields such as agent tenure', () => {
  const lines = ['A: 您好'];
  assert.equal(ruleResult(oneRule('metadata: {field: customerTags, in: [VIP]}'), lines, { call: { customerTags: ['VIP', '老客户'] } }).outcome, 'hit');
  assert.equal(ruleResult(oneRule('metadata: {field: customerTags, in: [VIP]}'), lines).outcome, 'pass');
  assert.equal(ruleResult(oneRule('metadata: {field: extra.agentTenureMonths, lte: 3}'), lines, { call: { extra: { agentTenureMonths: '2' } } }).outcome, 'hit');
  assert.equal(ruleResult(oneRule('metadata: {field: extra.agentTenureMonths, lte: 3}'), lines, { call: { extra: { agentTenureMonths: '12' } } }).outcome, 'pass');
  assert.equal(ruleResult(oneRule('metadata: {field: extra.agentTenureMonths, lte: 3}'), lines).outcome, 'pass', 'missing field is not ≤ 3');
  assert.equal(ruleResult(oneRule('metadata: {field: businessLine, notIn: [金融]}'), lines).outcome, 'hit');
});

test('interruptions takesFloor: a backchannel inside the customer sentence is not a cut-in that takes the turn', () => {
  const backchannel = ['C@0-10: 我跟你说这个事情是这样的我上周买的东西', 'A@4-5.5: 嗯对对您说', 'C@11-12: 好'];
  const cutIn = ['C@0-6: 我跟你说这个事情是这样的', 'A@4-9: 您先听我说我们这边规定', 'C@10-11: 好'];
  const measure = (lines: string[]) => signalsFromTranscript(dialogue(lines), { durationMs: 12_000, language: 'zh-CN' });
  const rule = oneRule('interruptions: {by: agent, minOverlap: 1, takesFloor: true}');
  assert.ok(measure(backchannel).interruptionEvents.some((e) => e.by === 'agent'), 'measured as an overlap with the agent cutting in');
  assert.equal(ruleResult(rule, backchannel, { signals: measure(backchannel) }).outcome, 'pass');
  assert.equal(ruleResult(rule, cutIn, { signals: measure(cutIn) }).outcome, 'hit');
  assert.equal(ruleResult(oneRule('interruptions: {by: agent, minOverlap: 1}'), backchannel, { signals: measure(backchannel) }).outcome, 'hit', 'without takesFloor every measured cut-in counts');
});
