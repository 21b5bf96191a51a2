import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tagFillers } from './fillers.js';

/** The tagged words, as `word@offset`. */
const tagged = (text: string): string[] => tagFillers(text).map((s) => `${text.slice(s.start, s.end)}@${s.start}`);

test('hesitation sounds and clause-initial discourse words are tagged, with offsets into the text', () => {
  assert.deepEqual(tagged('嗯，那个，我想问一下退款'), ['嗯@0', '那个@2']);
  assert.deepEqual(tagged('呃我想退款'), ['呃@0']);
  assert.deepEqual(tagged('嗯那个我想问'), ['嗯@0', '那个@1'], 'after a filler a clause starts again');
  assert.deepEqual(tagged('那个嗯我想问'), ['那个@0', '嗯@2'], 'directly before a filler');
  assert.deepEqual(tagged('就是我昨天买的那个耳机'), ['就是@0'], 'clause-initial 就是 before the subject; 那个耳机 is a determiner');
  assert.deepEqual(tagged('然后呢，他说不行'), ['然后呢@0']);
  assert.deepEqual(tagged('啊，你好'), ['啊@0']);
});

test('a meaningful 就是 / 那个 / 啊 / 额 is not tagged', () => {
  assert.deepEqual(tagged('就是这个订单还没到'), [], '就是这个订单: "it is this order"');
  assert.deepEqual(tagged('问题就是我没收到'), [], 'copula after a subject');
  assert.deepEqual(tagged('也就是说，不能退了'), [], '也就是说');
  assert.deepEqual(tagged('那个订单到了吗'), [], 'determiner');
  assert.deepEqual(tagged('我要这个，太贵了'), [], 'the object before a comma');
  assert.deepEqual(tagged('这个我看是有现货的'), [], 'a topic: "this one, I see …"');
  assert.deepEqual(tagged('好啊，是啊'), [], 'sentence particles');
  assert.deepEqual(tagged('额度还有多少，金额，多少'), [], '额度 and 金额 are words');
  assert.deepEqual(tagged('然后我去了快递点'), [], 'a narrative 然后');
});

test('repetitions: every copy but the last; the last judged on its own', () => {
  assert.deepEqual(tagged('那个那个订单'), ['那个@0']);
  assert.deepEqual(tagged('那个那个，我想问'), ['那个@0', '那个@2']);
  assert.deepEqual(tagged('然后然后我就'), ['然后@0']);
  assert.deepEqual(tagged('我买的啊啊啊'), ['啊@3', '啊@4', '啊@5'], 'the last 啊 starts a clause after the others');
});

test('traditional and full-width input: matched normalised, offsets unchanged', () => {
  assert.deepEqual(tagged('這個這個訂單'), ['這個@0']);
  assert.deepEqual(tagged('就是　我想問'), ['就是@0'], 'an ideographic space is a pause');
  assert.deepEqual(tagFillers(''), []);
});
