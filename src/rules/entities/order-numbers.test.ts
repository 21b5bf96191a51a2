import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileOrderPatterns, DEFAULT_ORDER_PATTERNS, findEntities } from './find-entities.js';

/** [the original chars the offsets point at, value] */
const orders = (text: string, orderPatterns?: RegExp[]) =>
  findEntities(text, new Set(['orderNumber']), { orderPatterns }).map((m) => [text.slice(m.start, m.end), m.value]);

test('default order patterns: carrier prefixes, letters + digits, digits after 订单号 …', () => {
  assert.deepEqual(orders('订单号JD0012345678901请查收'), [['JD0012345678901', 'JD0012345678901']]);
  assert.deepEqual(orders('快递单号：SF1234567890123'), [['SF1234567890123', 'SF1234567890123']]);
  assert.deepEqual(orders('中通zto1234567890'), [['zto1234567890', 'zto1234567890']]);
  assert.deepEqual(orders('DD20240305123456'), [['DD20240305123456', 'DD20240305123456']]);
  assert.deepEqual(orders('订单号是1234567890123'), [['1234567890123', '1234567890123']]);
  assert.deepEqual(orders('运单号 为：123456789012'), [['123456789012', '123456789012']]);
  assert.deepEqual(orders('订单编号1234567890'), [['1234567890', '1234567890']]);
  assert.deepEqual(orders('订单号是幺二三四五六七八九洞幺二'), [['幺二三四五六七八九洞幺二', '123456789012']], 'read aloud');
  assert.deepEqual(orders('订单号123456789'), [], 'nine digits');
  assert.deepEqual(orders('我打了1234567890123'), [], 'no cue');
  assert.deepEqual(orders('xJD0012345678901'), []);
});

test('order patterns of a rule module replace the defaults; an `id` group is the number', () => {
  const patterns = compileOrderPatterns(['PO-\\d{6}', '工单(?<id>\\d{8})']);
  assert.deepEqual(orders('采购单PO-123456，工单12345678', patterns), [
    ['PO-123456', 'PO-123456'],
    ['12345678', '12345678'],
  ]);
  assert.deepEqual(orders('订单号JD0012345678901', patterns), []);
  const both = [...DEFAULT_ORDER_PATTERNS, ...patterns];
  assert.deepEqual(orders('JD0012345678901，工单12345678', both), [
    ['JD0012345678901', 'JD0012345678901'],
    ['12345678', '12345678'],
  ]);
});

test('the caller’s RegExp objects and their lastIndex are left alone; repeated calls agree', () => {
  const mine = /XY\d{6}/g;
  mine.lastIndex = 5;
  const first = orders('XY123456 和 XY654321', [mine]);
  assert.deepEqual(first, [
    ['XY123456', 'XY123456'],
    ['XY654321', 'XY654321'],
  ]);
  assert.equal(mine.lastIndex, 5);
  assert.deepEqual(orders('XY123456 和 XY654321', [mine]), first);
  for (const re of DEFAULT_ORDER_PATTERNS) assert.equal(re.lastIndex, 0);
});

test('compileOrderPatterns names the bad pattern and why', () => {
  assert.throws(() => compileOrderPatterns(['JD\\d{10}', '([A-Z']), /order pattern 2 "\(\[A-Z" is not a valid regular expression/);
  assert.throws(() => compileOrderPatterns(['\\d*']), /order pattern 1 "\\\\d\*" matches the empty string/);
  assert.throws(() => compileOrderPatterns(['']), /order pattern 1 "": must be a non-empty string/);
  assert.equal(compileOrderPatterns(['JD\\d{10}'])[0]!.test('JD1234567890'), true);
});
