import assert from 'node:assert/strict';
import { test } from 'node:test';
import { everyReading, pinyinSimilarity, readInContext, syllableSimilarity } from './pinyin-similarity.js';

test('each pair ASR engines confuse is near-equal (0.9), both ways; two in one syllable 0.8', () => {
  const pairs = [
    ['zi', 'zhi'],
    ['cai', 'chai'],
    ['san', 'shan'],
    ['nan', 'lan'],
    ['fu', 'hu'],
    ['ri', 'li'],
    ['ban', 'bang'],
    ['fen', 'feng'],
    ['xin', 'xing'],
    ['jian', 'jiang'],
    ['guan', 'guang'],
  ];
  for (const [a, b] of pairs) {
    assert.equal(syllableSimilarity(a!, b!), 0.9, `${a}/${b}`);
    assert.equal(syllableSimilarity(b!, a!), 0.9, `${b}/${a}`);
  }
  assert.equal(syllableSimilarity('sai', 'shai'), 0.9);
  assert.equal(syllableSimilarity('zan', 'zhang'), 0.8, 'z/zh and an/ang at once');
  assert.equal(syllableSimilarity('tong', 'tong'), 1);
});

test('other syllables fall back to a steep edit distance that never reaches a confused pair', () => {
  assert.equal(syllableSimilarity('tong', 'dong'), 0.5); // one letter of four
  assert.equal(syllableSimilarity('zhong', 'chong'), 0.6); // zh/ch is not a listed pair
  assert.equal(syllableSimilarity('di', 'de'), 0); // one letter of two is half the syllable
  assert.equal(syllableSimilarity('kuo', 'hu'), 0);
  assert.equal(syllableSimilarity('jing', 'zhong'), 0);
  // n/l and r/l are pairs, n/r is not: no chaining through l
  assert.ok(syllableSimilarity('nan', 'ran') < 0.8);
  for (const [a, b] of [['tong', 'dong'], ['xiang', 'qiang'], ['bao', 'pao']]) assert.ok(syllableSimilarity(a!, b!) < 0.8);
});

test('a character without a pinyin reading only equals itself', () => {
  assert.equal(syllableSimilarity('⽆', 'wu'), 0);
  assert.equal(syllableSimilarity('⽆', '⽆'), 1);
});

test('text is read in context; a term with every reading of each character', () => {
  assert.deepEqual(readInContext('银行'), ['yin', 'hang']);
  assert.deepEqual(readInContext('圆桶快递'), ['yuan', 'tong', 'kuai', 'di']);
  const reading = everyReading('豆沙色');
  assert.deepEqual(reading[2]?.sort(), ['se', 'shai']);
  assert.equal(everyReading('𠮷野家').length, 3, 'one entry per character, even outside the BMP');
  assert.deepEqual(readInContext('七天⽆理由'), ['qi', 'tian', 'wu', 'li', 'you'], 'a Kangxi radical (⽆ U+2F46) reads as the character it stands for');
});

test('pinyinSimilarity: homophones 1, 豆沙塞 ≈ 0.97 via the colloquial shai, ordinary words low', () => {
  assert.equal(pinyinSimilarity('圆桶快递', '圆通快递'), 1);
  assert.ok(Math.abs(pinyinSimilarity('豆沙塞', '豆沙色') - (1 + 1 + 0.9) / 3) < 1e-9);
  assert.ok(pinyinSimilarity('价格包括', '价格保护') < 0.8, 'kuo/hu is a different syllable');
  assert.equal(pinyinSimilarity('京东', '中通'), 0.25);
  assert.equal(pinyinSimilarity('圆通', '圆通快递'), 0, 'different lengths');
  assert.equal(pinyinSimilarity('', ''), 0);
});
