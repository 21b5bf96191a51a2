import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanLexicon, type LexiconHit } from './lexicon-scanner.js';

const words = (text: string) => scanLexicon(text).words;
const complaints = (text: string) => scanLexicon(text).complaints;

test('a negator flips the word after it; longest match keeps 不满意 and 不错 whole', () => {
  assert.ok(words('满意') > 0);
  assert.ok(words('不满意') < 0);
  assert.ok(words('不好') < 0);
  assert.ok(words('不错') > 0);
  assert.ok(words('没觉得好') < 0, 'reaches over two characters');
  assert.equal(words('不，挺好') > 0, true, 'not past a comma');
});

test('negation strength: 不太 and 不是很 soften, 一点都不 and degree before the negator strengthen', () => {
  assert.ok(words('不太好') > words('不好'));
  assert.ok(words('不是很满意') > words('不满意') && words('不是很满意') < 0);
  assert.ok(words('一点都不好用') < words('不好用'));
  assert.ok(words('很不好') < words('不好'));
});

test('a negated negative word is a weak positive: 不差, 一点都没坏', () => {
  assert.ok(words('不差') > 0 && words('不差') < words('不错'));
  assert.ok(words('一点都没坏') > 0);
  assert.ok(words('不是不满意') > 0, 'double negation');
});

test('degree adverbs scale', () => {
  assert.ok(words('非常满意') > words('很满意'));
  assert.ok(words('很满意') > words('满意'));
  assert.ok(words('有点满意') < words('满意'));
});

test('questions, politeness and acknowledgements are no sentiment', () => {
  for (const text of ['能不能帮我查一下', '好的', '不好意思', '不客气', '麻烦您帮我看一下', '请问快递到哪了', '我有个问题想问']) {
    assert.deepEqual(scanLexicon(text), { words: 0, complaints: 0 }, text);
  }
});

test('complaint patterns: counts from two, durations, still not done', () => {
  assert.ok(complaints('我都打了五次电话了') < 0);
  assert.ok(complaints('这都第三次了') < 0);
  assert.equal(complaints('我打了一次电话'), 0);
  assert.ok(complaints('快递一个星期了还在路上') < complaints('快递在路上'));
  assert.ok(complaints('我都等两周了') < 0);
  assert.equal(complaints('预计三天到'), 0);
});

test('what follows 但是 counts more than what precedes it; ! makes it louder', () => {
  const r = scanLexicon('东西不错，但是物流太慢了');
  assert.ok(r.words + r.complaints < 0);
  assert.ok(complaints('货没收到!') < complaints('货没收到'));
});

test('hits say what matched where, in the original text', () => {
  const hits: LexiconHit[] = [];
  scanLexicon('等了三天還沒到，非常感謝', hits);
  assert.deepEqual(
    hits.map((h) => [h.kind, h.text, h.start]),
    [
      ['complaint', '還沒', 4],
      ['degree', '非常', 8],
      ['word', '感謝', 10],
      ['pattern', '等了三天', 0],
    ],
  );
});

test('praise asked about is not given; blame said as a question stays', () => {
  assert.ok(words('能准时送达吗') < 0.5 * words('能准时送达'));
  assert.ok(words('服务好不好?') === 0, 'A-not-A question');
  assert.equal(complaints('怎么还没到?'), complaints('怎么还没到'));
});

test('bare 好 is mostly "OK": weak alone, full after a degree adverb or negator', () => {
  assert.ok(words('好') < words('很好') / 2);
  assert.ok(Math.abs(words('不好') + words('好') / 0.4) < 1e-9, '不好 is 好 negated in full');
});
