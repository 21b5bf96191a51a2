import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { isTingjianError } from '../../domain/errors.js';
import { Segmenter } from './segmenter.js';
import { correctionWords, loadUserDictionary, parseUserDictionary } from './user-dictionary.js';

const words = (s: Segmenter, text: string): string[] => s.cut(text).map((t) => t.word);

test('built-in customer-service words stay one token', () => {
  const s = new Segmenter();
  assert.deepEqual(words(s, '运费险京东快递售后服务单价保以旧换新'), ['运费险', '京东快递', '售后服务单', '价保', '以旧换新']);
  assert.deepEqual(words(s, '我想申请价保'), ['我', '想', '申请', '价保']);
  assert.deepEqual(words(s, '这个单价保持不变'), ['这个', '单价', '保持', '不变'], 'a strong user word does not steal from its neighbours');
});

test('traditional input is segmented with the user dictionary; offsets point into the original', () => {
  const s = new Segmenter({ userWords: ['超級會員日'] });
  const text = '七天無理由退貨，超級會員日買的';
  const tokens = s.cut(text);
  assert.deepEqual(
    tokens.map((t) => t.word),
    ['七天无理由退货', ',', '超级会员日', '买', '的'],
  );
  const member = tokens[2]!;
  assert.equal(text.slice(member.start, member.end), '超級會員日');
  assert.equal(text.slice(tokens[0]!.start, tokens[0]!.end), '七天無理由退貨');
});

test('without the user word jieba splits it; whitespace is no token', () => {
  const plain = new Segmenter({ builtIn: false });
  assert.ok(words(plain, '运费险').length > 1);
  assert.deepEqual(plain.cut(' 退款  谢谢 '), [
    { word: '退款', start: 1, end: 3 },
    { word: '谢谢', start: 5, end: 7 },
  ]);
});

test('a dictionary file: word [freq [tag]], comments; problems name the file and line', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tj-dict-'));
  const file = path.join(dir, 'products.txt');
  writeFileSync(file, '# products\n小蓝瓶精华\n闪电退款 20000 nz\n\n');
  const entries = loadUserDictionary(file);
  assert.deepEqual(entries, [{ word: '小蓝瓶精华' }, { word: '闪电退款', freq: 20000, tag: 'nz' }]);
  assert.ok(words(new Segmenter({ userWords: entries }), '小蓝瓶精华支持闪电退款吗').includes('小蓝瓶精华'));

  try {
    parseUserDictionary('好词\n坏 词 1 2\n另一个 abc', 'bad.txt');
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(isTingjianError(e) && e.code === 'CONFIG_INVALID');
    assert.match(e.message, /bad\.txt:2:/);
    assert.match(e.message, /bad\.txt:3: the frequency "abc"/);
  }
});

test('a user word with a space is refused, not silently dropped', () => {
  assert.throws(() => new Segmenter({ userWords: ['iPhone 15'] }), /no spaces/);
});

test('correction dictionary terms as user words', () => {
  assert.deepEqual(correctionWords({ terms: [{ term: '圆通快递', aliases: ['圆桶快递'] }, { term: '花呗' }] }), ['圆通快递', '花呗']);
});

test('search-mode words: a long word and the words inside it', () => {
  const w = new Segmenter().words('物流信息好幾天沒更新');
  assert.ok(w.includes('物流信息') && w.includes('物流') && w.includes('信息'));
  assert.ok(w.includes('没'), 'normalised');
});
