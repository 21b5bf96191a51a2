import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findEntities } from './find-entities.js';

/** [the original chars the offsets point at, value] */
const amounts = (text: string) => findEntities(text, new Set(['amount'])).map((m) => [text.slice(m.start, m.end), m.value]);

test('amounts in Arabic numerals with a currency cue', () => {
  assert.deepEqual(amounts('退您3500元'), [['3500元', '3500']]);
  assert.deepEqual(amounts('共3,500.00元'), [['3,500.00元', '3500']]);
  assert.deepEqual(amounts('¥199'), [['¥199', '199']]);
  assert.deepEqual(amounts('￥ 1,999.00。'), [['￥ 1,999.00', '1999']]);
  assert.deepEqual(amounts('199块'), [['199块', '199']]);
  assert.deepEqual(amounts('12.5元'), [['12.5元', '12.5']]);
  assert.deepEqual(amounts('5万元'), [['5万元', '50000']]);
  assert.deepEqual(amounts('贷款1.5万'), [['1.5万', '15000']]);
  assert.deepEqual(amounts('我借了5万给他'), [['5万', '50000']]);
  assert.deepEqual(amounts('１２０元'), [['１２０元', '120']]);
});

test('amounts in Chinese numerals', () => {
  assert.deepEqual(amounts('给您退款三千五百元，预计三到五个工作日'), [['三千五百元', '3500']]);
  assert.deepEqual(amounts('两万块'), [['两万块', '20000']]);
  assert.deepEqual(amounts('五百块钱'), [['五百块钱', '500']]);
  assert.deepEqual(amounts('一百二十元'), [['一百二十元', '120']]);
  assert.deepEqual(amounts('十块'), [['十块', '10']]);
  assert.deepEqual(amounts('一百零五元'), [['一百零五元', '105']]);
  assert.deepEqual(amounts('一万五块'), [['一万五块', '15000']]);
  assert.deepEqual(amounts('一点五万元'), [['一点五万元', '15000']]);
  assert.deepEqual(amounts('五块五毛'), [['五块五毛', '5.5']]);
  assert.deepEqual(amounts('十二块五的'), [['十二块五', '12.5']]);
  assert.deepEqual(amounts('1亿2千万元'), [['1亿2千万元', '120000000']]);
});

test('no currency cue, a noun after 块, a range or a reading: no amount', () => {
  for (const text of ['3500', '2024年', '第一次', '三四天', '5万人', '一点五万', '十分感谢', '三点钟', '千万不要', '十万火急', '两块蛋糕', '我们一块去', '一块儿', '三四百块', '一两块', '幺百元', '100美元', '3,50元']) {
    assert.deepEqual(amounts(text), [], text);
  }
});
