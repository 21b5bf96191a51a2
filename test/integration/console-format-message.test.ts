import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMessage } from '../../console/src/i18n/format-message.js';

// The console's message formatting (pure, no browser needed): placeholders and plural forms.

const calls = '{n, plural, =0 {no calls} one {# call} other {# calls}}';

test('English picks one/other by the number, an exact =N first; # is the number', () => {
  assert.equal(formatMessage(calls, { n: 1 }, 'en-US'), '1 call');
  assert.equal(formatMessage(calls, { n: 2 }, 'en-US'), '2 calls');
  assert.equal(formatMessage(calls, { n: 0 }, 'en-US'), 'no calls');
  assert.equal(formatMessage(calls, { n: '1,234' }, 'en-US'), '1,234 calls', 'a number formatted for display keeps its form');
  assert.equal(formatMessage('{n, plural, one {# rule hit} other {# rules hit}}, {who}', { n: 1, who: 'A1001' }, 'en-US'), '1 rule hit, A1001');
  assert.equal(formatMessage('Re-inspect {n, plural, one {the selected call} other {the # selected calls}}?', { n: 3 }, 'en-US'), 'Re-inspect the 3 selected calls?');
});

test('Chinese has only "other"; plain placeholders fill as before; unknown names stay as written', () => {
  assert.equal(formatMessage('{n, plural, other {# 通}}', { n: 1 }, 'zh-CN'), '1 通');
  assert.equal(formatMessage('共 {total} 通', { total: 5 }, 'zh-CN'), '共 5 通');
  assert.equal(formatMessage('{missing} and {n, plural, one {# x} other {# xs}}', { n: 2 }, 'en-US'), '{missing} and 2 xs');
  assert.equal(formatMessage(calls, { m: 1 }, 'en-US'), calls, 'a plural over a missing variable is left alone');
  assert.equal(formatMessage(calls, undefined, 'en-US'), calls);
});
