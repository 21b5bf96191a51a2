import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashedFeatures } from './hashed-features.js';

const features = (text: string, bits = 18) => {
  const out = new Int32Array(3 * text.length);
  return [...out.subarray(0, hashedFeatures(text, bits, out))];
};

test('unigrams, bigrams and trigrams within a clause, in buckets below 2^bits', () => {
  assert.equal(features('很好').length, 3); // 很 好 很好
  assert.equal(features('非常好').length, 6); // 3 + 2 + 1
  assert.equal(features('很好，不错').length, 6, 'no n-gram across the comma');
  assert.ok(features('非常满意你们的服务', 12).every((b) => b >= 0 && b < 4096));
  assert.deepEqual(features('，。 '), []);
});

test('the same text always hashes to the same buckets; different texts differ', () => {
  assert.deepEqual(features('等了三天还没到'), features('等了三天还没到'));
  assert.notDeepEqual(features('满意'), features('意满'));
});

test('normalised first: full-width, traditional and case do not change the features', () => {
  assert.deepEqual(features('感謝你們'), features('感谢你们'));
  assert.deepEqual(features('ＶＩＰ会员'), features('vip会员'));
});

test('digits are one feature, spoken digit runs too, a lone 一 stays a word', () => {
  assert.deepEqual(features('订单号123'), features('订单号987'));
  assert.deepEqual(features('手机号一三八零'), features('手机号1380'));
  assert.notDeepEqual(features('一直'), features('1直'));
});
