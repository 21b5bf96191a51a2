import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findEntities } from './find-entities.js';

/** [the original chars the offsets point at, value] */
const dates = (text: string) => findEntities(text, new Set(['date'])).map((m) => [text.slice(m.start, m.end), m.value]);

test('dates: 年月日/号 in Arabic and Chinese numerals, with or without a year', () => {
  assert.deepEqual(dates('我是2024年3月5日下的单'), [['2024年3月5日', '2024-03-05']]);
  assert.deepEqual(dates('3月5号到货'), [['3月5号', '03-05']]);
  assert.deepEqual(dates('三月五号'), [['三月五号', '03-05']]);
  assert.deepEqual(dates('二〇二四年三月五日'), [['二〇二四年三月五日', '2024-03-05']]);
  assert.deepEqual(dates('二零二四年十二月三十一日'), [['二零二四年十二月三十一日', '2024-12-31']]);
  assert.deepEqual(dates('十月一号'), [['十月一号', '10-01']]);
  assert.deepEqual(dates('2月29日'), [['2月29日', '02-29']], 'no year: 29 February may be');
  assert.deepEqual(dates('2024年2月29日'), [['2024年2月29日', '2024-02-29']]);
  assert.deepEqual(dates('24年3月5日'), [['3月5日', '03-05']], 'a two-digit year is not read');
});

test('dates: 2024-03-05, 2024/3/5, 2024.03.05', () => {
  assert.deepEqual(dates('下单时间2024-03-05'), [['2024-03-05', '2024-03-05']]);
  assert.deepEqual(dates('2024/3/5'), [['2024/3/5', '2024-03-05']]);
  assert.deepEqual(dates('2024.03.05。'), [['2024.03.05', '2024-03-05']]);
  assert.deepEqual(dates('2024-03-05 13812345678'), [['2024-03-05', '2024-03-05']]);
});

test('no such day, no month, or not a date: nothing', () => {
  for (const text of ['13月5日', '2月30日', '2023年2月29日', '2024-13-01', '2024/02/30', '三四月五号', '每月5号', '5号线', '三个月', '一月份', '1.2.3', '三四天']) {
    assert.deepEqual(dates(text), [], text);
  }
});
