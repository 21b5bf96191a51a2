import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTrustProxy } from './trust-proxy.js';

test('trustProxy: off by default; a hop count; addresses, CIDRs and named ranges', () => {
  for (const off of [undefined, false, 'false', '', '0', 0]) assert.deepEqual(parseTrustProxy(off), { value: false }, String(off));
  assert.deepEqual(parseTrustProxy('1'), { value: 1 });
  assert.deepEqual(parseTrustProxy(2), { value: 2 });
  assert.deepEqual(parseTrustProxy(' 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8,loopback'), { value: ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback'] });
  assert.deepEqual(parseTrustProxy(['192.168.1.10']), { value: ['192.168.1.10'] });
});

test('trustProxy: true, bad addresses and prefixes are refused with what to set instead', () => {
  for (const [input, mention] of [
    [true, 'true would trust any client'],
    ['true', 'true would trust any client'],
    ['11', 'from 1 to 10'],
    [1.5, 'from 1 to 10'],
    ['10.0.0.0/33', 'invalid prefix length'],
    ['nginx.internal', 'not an IP address'],
    ['10.0.0.1/8/2', 'not an IP address'],
    [',', 'empty list'],
    [{ a: 1 }, 'a hop count'],
  ] as const) {
    const r = parseTrustProxy(input);
    assert.ok('problem' in r, `${JSON.stringify(input)} should be refused`);
    assert.match(r.problem, new RegExp(mention), JSON.stringify(input));
    assert.match(r.problem, /127\.0\.0\.1,10\.0\.0\.0\/8/, 'the message shows a valid value');
  }
});
