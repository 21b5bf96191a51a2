import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findPii } from './find-pii.js';
import { redactText, redactTranscriptSegments } from './redact-text.js';

test('redactText masks exactly the spans and keeps the length', () => {
  const text = '我的手机号是13812345678，地址是建国路88号。';
  const phone = { start: 6, end: 17 };
  const address = { start: 21, end: 27 };
  const redacted = redactText(text, [phone, address]);
  assert.equal(redacted.length, text.length);
  assert.equal(redacted, '我的手机号是***********，地址是＊＊＊**＊。', 'ASCII chars get *, others ＊');
  for (let i = 0; i < text.length; i++) {
    const inside = (i >= phone.start && i < phone.end) || (i >= address.start && i < address.end);
    assert.equal(redacted[i] === text[i], !inside, `char ${i}`);
  }
});

test('redactText: spaces inside a span stay, overlapping and out-of-range spans are fine, no span no change', () => {
  assert.equal(redactText('电话 138 1234 5678 好', [{ start: 3, end: 16 }]), '电话 *** **** **** 好');
  assert.equal(redactText('幺三八一二', [{ start: 0, end: 3 }, { start: 2, end: 99 }]), '＊＊＊＊＊');
  assert.equal(redactText('没有', []), '没有');
  assert.equal(redactText('😀a', [{ start: 0, end: 3 }]).length, 3, 'a surrogate pair gives two masks: UTF-16 length kept');
});

test('redactTranscriptSegments masks each segment by its own spans and leaves the input alone', () => {
  const segments = [
    { index: 7, speaker: 'customer' as const, startMs: 0, endMs: 2_000, text: '我的电话是幺三八一二三四五六七八' },
    { index: 8, speaker: 'agent' as const, startMs: 2_000, endMs: 3_000, text: '好的，已经记下了' },
    { index: 9, speaker: 'customer' as const, startMs: 3_000, endMs: 5_000, text: '邮箱是zhangsan@qq.com', rawText: '邮箱是zhangsan艾特qq点com' },
  ];
  const before = structuredClone(segments);
  const out = redactTranscriptSegments(segments, findPii(segments));
  assert.deepEqual(segments, before);
  assert.deepEqual(
    out.map((s) => s.text),
    ['我的电话是＊＊＊＊＊＊＊＊＊＊＊', '好的，已经记下了', `邮箱是${'*'.repeat(15)}`],
  );
  assert.equal(out[0]!.speaker, 'customer');
  assert.equal(out[2]!.rawText, `邮箱是${'*'.repeat(8)}＊＊**＊***`, 'rawText has offsets of its own: masked by what is found in it');
});
