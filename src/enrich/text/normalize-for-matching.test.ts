import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeForMatching } from './normalize-for-matching.js';

test('width, case, traditional and digits in one view of the same length', () => {
  const text = '訂單號一三八ＡＢＣ，電話１３９';
  const view = normalizeForMatching(text);
  assert.equal(view, '订单号138abc,电话139');
  assert.equal(view.length, text.length, 'offsets stay valid');
  assert.equal(normalizeForMatching('您好请问有什么可以帮您'), '您好请问有什么可以帮您');
});
