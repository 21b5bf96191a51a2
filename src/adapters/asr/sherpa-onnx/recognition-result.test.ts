import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanText, confidenceFrom, hotwordString, joinPieces, segmentFrom } from './recognition-result.js';

test('cleanText strips SenseVoice and Whisper special tokens and collapses whitespace', () => {
  assert.equal(cleanText('<|zh|><|NEUTRAL|><|Speech|><|withitn|>您好，请问有什么可以帮您？'), '您好，请问有什么可以帮您？');
  assert.equal(cleanText('  hello   world <|endoftext|> '), 'hello world');
  assert.equal(cleanText('<|nospeech|><|EMO_UNKNOWN|>'), '');
  assert.equal(cleanText('a < b'), 'a < b');
});

test('joinPieces: Chinese runs on, Latin words keep one space', () => {
  assert.equal(joinPieces(['您好', '请问']), '您好请问');
  assert.equal(joinPieces(['order', 'number 42']), 'order number 42');
  assert.equal(joinPieces(['VIP', '会员', '', 'OK']), 'VIP会员OK');
});

test('confidenceFrom: the geometric mean of token probabilities, null without any', () => {
  assert.equal(confidenceFrom([]), null);
  assert.equal(confidenceFrom([0, 0]), 1);
  assert.equal(confidenceFrom([Math.log(0.5), Math.log(0.5)]), 0.5);
  assert.equal(confidenceFrom([Math.log(0.25), Number.NaN, -Infinity]), 0.25);
});

test('segmentFrom keeps the span times and drops spans without words', () => {
  const span = { startMs: 100, endMs: 900 };
  assert.deepEqual(segmentFrom(span, [{ text: ' <|zh|>好的 ', logProbs: [] }]), { startMs: 100, endMs: 900, text: '好的', confidence: null });
  assert.deepEqual(segmentFrom(span, [{ text: '嗯', logProbs: [Math.log(0.8)] }]), { startMs: 100, endMs: 900, text: '嗯', confidence: 0.8 });
  assert.equal(segmentFrom(span, [{ text: '<|nospeech|>', logProbs: [] }, { text: ' ', logProbs: [] }]), null);
});

test('hotwordString: "/"-joined phrases without the characters sherpa-onnx parses as syntax', () => {
  assert.equal(hotwordString(['退款', '会员 卡', '退款', ''], 'keep'), '退款/会员 卡');
  // ':' would start a score (std::stof aborts on text), '/' would split a phrase.
  assert.equal(hotwordString([':2.0 speech', 'a/b', 'x\ny'], 'keep'), '2.0 speech/a b/x y');
  assert.equal(hotwordString(['vip 会员'], 'upper'), 'VIP 会员');
});
