import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNumeral } from './chinese-numerals.js';
import { digitView } from './digit-view.js';

test('digit view: spoken, written and full-width digits become ASCII, char for char', () => {
  assert.equal(digitView('零〇洞一幺二两三四五六七拐八九勾'), '0001122345677899');
  assert.equal(digitView('电话１３８　Ｘｘ＊'), '电话138　XX*');
  const text = '我的号码是幺三八 一二三四-五六七八，谢谢';
  const view = digitView(text)!;
  assert.equal(view.length, text.length);
  assert.equal(view, '我的号码是138 1234-5678，谢谢');
  assert.equal(digitView('退款3500元'), '退款3500元', 'ASCII digits only: the same string');
  assert.equal(digitView('三千五百元'), '3千5百元');
});

test('digit view: null when nothing could be a number (the fast path)', () => {
  assert.equal(digitView('您好请问有什么可以帮您'), null);
  assert.equal(digitView(''), null);
  assert.notEqual(digitView('十块'), null, '十 alone still starts a number');
  assert.equal(digitView('十块'), '十块');
});

test('numerals: Arabic, grouped, Chinese with units, spoken shortcuts', () => {
  const cases: [string, number | null][] = [
    ['3500', 3500],
    ['3,500.00', 3500],
    ['1.5万', 15000],
    ['3,500万', 35_000_000],
    ['3千5百', 3500],
    ['1百2十', 120],
    ['十', 10],
    ['十2', 12],
    ['2十', 20],
    ['3十1', 31],
    ['1百05', 105], // 一百零五
    ['1千05十', 1050], // 一千零五十
    ['3千5', 3500], // 三千五
    ['1万2', 12000], // 一万二
    ['1万5千', 15000],
    ['1亿2千万', 120_000_000],
    ['1点5万', 15000],
    ['十2.5', 12.5],
    ['十百', null],
    ['35百', null],
    ['百', null],
    ['1万万', null],
    ['1,23', null],
    ['1.5百', null],
  ];
  for (const [written, value] of cases) assert.equal(parseNumeral(written), value, written);
});
