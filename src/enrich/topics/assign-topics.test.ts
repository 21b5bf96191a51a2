import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Speaker } from '../../domain/transcript.js';
import { assignTopics } from './assign-topics.js';
import { loadDefaultTaxonomy, parseTaxonomy } from './parse-taxonomy.js';

const taxonomy = loadDefaultTaxonomy();
const call = (...turns: Array<[Speaker, string]>) => turns.map(([speaker, text], index) => ({ index, speaker, text }));

test('a call about a late parcel: one topic, the customer sentences as support', () => {
  const topics = assignTopics(
    call(['agent', '您好，请问有什么可以帮您'], ['customer', '我的快递怎么还没到，已经等了五天了'], ['agent', '我帮您催一下站点'], ['customer', '好的，尽快吧']),
    taxonomy,
  );
  assert.deepEqual(
    topics.map((t) => [t.id, t.name, t.source]),
    [['logistics-delay', '物流延迟', 'rule']],
  );
  assert.ok(topics[0]!.confidence > 0.8 && topics[0]!.confidence < 1);
  assert.deepEqual(topics[0]!.segments, [1, 2, 3]);
});

test('a call with two topics: both, most confident first', () => {
  const topics = assignTopics(
    call(
      ['customer', '我要退貨，這個耳機不想要了'],
      ['agent', '好的，已经为您提交退货申请'],
      ['customer', '另外发票能开电子发票吗'],
    ),
    taxonomy,
  );
  assert.deepEqual(topics.map((t) => t.id), ['refund-return', 'invoice']);
  assert.ok(topics[0]!.confidence > topics[1]!.confidence);
  assert.deepEqual(topics[0]!.segments, [0, 1], 'traditional 退貨 matched');
  assert.deepEqual(topics[1]!.segments, [2]);
});

test('a call with no topic: chit-chat, and an agent-only mention below the minimum', () => {
  assert.deepEqual(assignTopics(call(['agent', '您好'], ['customer', '你好，我随便问问'], ['agent', '好的，还有其他问题吗']), taxonomy), []);
  assert.deepEqual(assignTopics(call(['customer', '在吗'], ['agent', '亲，需要发票可以联系我哦']), taxonomy), [], 'one agent keyword: 0.18 < 0.3');
  assert.deepEqual(assignTopics([], taxonomy), []);
});

test('the customer side weighs more than the agent; exclude phrases cancel a sentence', () => {
  const byCustomer = assignTopics(call(['customer', '发票怎么开']), taxonomy)[0]!;
  const byAgent = assignTopics(call(['agent', '发票怎么开']), taxonomy);
  assert.ok(byCustomer.confidence > 0.35);
  assert.equal(byAgent.length, 0);
  assert.deepEqual(assignTopics(call(['customer', '我不需要发票']), taxonomy), []);
});

test('patterns read digits spoken in Chinese; repeated terms add less; deterministic', () => {
  const t = parseTaxonomy('topics:\n  - id: wait\n    name: 等待\n    keywords: [还没到]\n    patterns: ["等了[0-9]+天"]\n', 't.yaml');
  const byPattern = assignTopics(call(['customer', '等了三天']), t)[0]!;
  assert.equal(byPattern.confidence, 0.528, '1.5 → 1 − e^(−0.75)');
  const once = assignTopics(call(['customer', '还没到']), t)[0]!.confidence;
  const twice = assignTopics(call(['customer', '还没到'], ['customer', '还没到']), t)[0]!.confidence;
  assert.equal(once, 0.393);
  assert.ok(twice > once && twice < 0.5, 'a repeat adds 0.3 of a term');
  const segs = call(['customer', '快递还没到，我要退款，发票也没给'], ['agent', '好的']);
  assert.deepEqual(assignTopics(segs, taxonomy), assignTopics(segs, taxonomy));
});
