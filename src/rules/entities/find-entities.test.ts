import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENTITY_TYPES, findEntities, type EntityType } from './find-entities.js';

const ALL = new Set(ENTITY_TYPES);
/** [type, the original chars the offsets point at, value] */
const found = (text: string, types: ReadonlySet<EntityType> = ALL) => findEntities(text, types).map((m) => [m.type, text.slice(m.start, m.end), m.value]);

test('ordinary sentences have no entities', () => {
  for (const text of ['我一会儿再打给您', '请稍等一下', '第一次', '三四天', '您好请问有什么可以帮您', '一二三四五六七八九零', '我们一块去吃饭', '十分感谢您的耐心等待', '这个问题我帮您记录一下', '']) {
    assert.deepEqual(found(text), [], text);
  }
});

test('several types in one sentence, sorted by start, offsets in the original', () => {
  const text = '您2024年3月5日的订单，订单号是JD0012345678901，退款三千五百元到尾号1234的卡，电话一三八一二三四五六七八';
  assert.deepEqual(found(text), [
    ['date', '2024年3月5日', '2024-03-05'],
    ['orderNumber', 'JD0012345678901', 'JD0012345678901'],
    ['amount', '三千五百元', '3500'],
    ['bankCard', '尾号1234', '1234'],
    ['phone', '一三八一二三四五六七八', '13812345678'],
  ]);
  const matches = findEntities(text, ALL);
  assert.equal(matches[4]!.start, text.indexOf('一三八'));
  assert.equal(matches[4]!.end, text.length);
  assert.deepEqual(matches.map((m) => m.masked), [false, false, false, true, false]);
});

test('precedence: a valid phone or id card beats an order pattern; a Luhn-only card does not', () => {
  assert.deepEqual(found('订单号13812345678'), [['phone', '13812345678', '13812345678']]);
  assert.deepEqual(found('订单号13812345678', new Set(['orderNumber'])), [['orderNumber', '13812345678', '13812345678']]);
  const card = '6222021234567890128'; // passes Luhn
  assert.deepEqual(found(`订单号${card}`), [['orderNumber', card, card]]);
  assert.deepEqual(found(`订单号${card}`, new Set(['bankCard'])), [['bankCard', card, card]]);
  assert.deepEqual(found(`卡号${card}`), [['bankCard', card, card]]);
});

test('only the types asked for; no digit-like char, no work', () => {
  const text = '2024年3月5日退款199元';
  assert.deepEqual(found(text, new Set(['amount'])), [['amount', '199元', '199']]);
  assert.deepEqual(found(text, new Set(['date'])), [['date', '2024年3月5日', '2024-03-05']]);
  assert.deepEqual(found(text, new Set()), []);
});

test('matches never overlap and calls do not affect each other', () => {
  const text = '卡号6222 0212 3456 7890 128，2024-03-05还款¥1,999.00，手机138****5678';
  const first = findEntities(text, ALL);
  for (let i = 1; i < first.length; i++) assert.ok(first[i - 1]!.end <= first[i]!.start);
  assert.deepEqual(
    first.map((m) => m.type),
    ['bankCard', 'date', 'amount', 'phone'],
  );
  findEntities('订单号是1234567890123，3月5日，100元', ALL);
  assert.deepEqual(findEntities(text, ALL), first);
});
