import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expiryOf, type RetentionFacts } from './expiry.js';
import { parseRetentionPolicy } from './parse-retention-policy.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10, 2, 0, 0);

const policy = parseRetentionPolicy(`defaultKeepDays: 180
misdialMaxSeconds: 10
misdialKeepDays: 7
rules:
  - id: finance
    match: { businessLine: 金融 }
    keepDays: 1825
    keepMisdials: true
  - id: education-refund
    match: { customerTag: 教育退款 }
    keepDays: 1095
  - id: chat
    match: { channel: chat }
    keepDays: 90
  - id: ecom-chat
    match: { businessLine: 电商客服, channel: chat }
    keepDays: 60
`);

const call = (o: Partial<RetentionFacts> = {}): RetentionFacts => ({
  businessLine: '电商客服',
  customerTags: ['VIP'],
  channel: 'phone',
  durationMs: 120_000,
  startedAt: T0,
  createdAt: T0 + 5 * DAY,
  ...o,
});

test('no rule matches: the default, counted from the call start', () => {
  assert.deepEqual(expiryOf(call(), policy), { expiresAt: T0 + 180 * DAY, policy: 'default', keepDays: 180 });
});

test('a call without a start time counts from when it was accepted', () => {
  assert.equal(expiryOf(call({ startedAt: null }), policy).expiresAt, T0 + 5 * DAY + 180 * DAY);
});

test('per business line and per customer tag', () => {
  assert.equal(expiryOf(call({ businessLine: '金融' }), policy).policy, 'finance');
  assert.equal(expiryOf(call({ customerTags: ['VIP', '教育退款'] }), policy).keepDays, 1095);
  assert.equal(expiryOf(call({ businessLine: null }), policy).policy, 'default');
});

test('several rules match: the longest keep wins, whatever their order', () => {
  const both = call({ businessLine: '金融', customerTags: ['教育退款'] });
  assert.deepEqual(expiryOf(both, policy), { expiresAt: T0 + 1825 * DAY, policy: 'finance', keepDays: 1825 });
  const reversed = { ...policy, rules: [...policy.rules].reverse() };
  assert.equal(expiryOf(both, reversed).policy, 'finance');
  // chat (90) and ecom-chat (60) both match an e-commerce chat: 90, even though 60 is more specific.
  assert.equal(expiryOf(call({ channel: 'chat' }), policy).policy, 'chat');
  // Every field of a match must hold: ecom-chat does not match a phone call.
  assert.equal(expiryOf(call({ channel: 'phone' }), policy).policy, 'default');
});

test('a short phone call is a misdial, purged early; a rule can keep its misdials', () => {
  assert.deepEqual(expiryOf(call({ durationMs: 4000 }), policy), { expiresAt: T0 + 7 * DAY, policy: 'misdial', keepDays: 7 });
  assert.equal(expiryOf(call({ durationMs: 10_000 }), policy).policy, 'default', 'at the bound: not a misdial');
  assert.equal(expiryOf(call({ durationMs: null }), policy).policy, 'default', 'unknown duration: not a misdial');
  assert.equal(expiryOf(call({ durationMs: 4000, channel: 'chat' }), policy).policy, 'chat', 'only phone calls are misdials');
  assert.equal(expiryOf(call({ durationMs: 4000, businessLine: '金融' }), policy).policy, 'finance', 'keepMisdials');
  const long = { ...policy, misdialKeepDays: 400 };
  assert.equal(expiryOf(call({ durationMs: 4000 }), long).policy, 'default', 'a misdial is never kept longer than the rules say');
});

test("a misdial's length is the longer of the declared one and the recording's", () => {
  assert.equal(expiryOf(call({ durationMs: 2000, recordingMs: 10_000 }), policy).policy, 'default', 'a 10-second recording declared as 2 s is no misdial');
  assert.equal(expiryOf(call({ durationMs: 60_000, recordingMs: 2000 }), policy).policy, 'default', 'a cut-short recording of a long call is no misdial');
  assert.equal(expiryOf(call({ durationMs: null, recordingMs: 3000 }), policy).policy, 'misdial', 'nothing declared: the recording decides');
  assert.equal(expiryOf(call({ durationMs: 3000, recordingMs: 4000 }), policy).policy, 'misdial');
});
