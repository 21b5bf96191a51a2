import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientKey, RateLimiter } from './rate-limit.js';

test('clientKey: IPv4 as is (also IPv4-mapped), IPv6 by its /64', () => {
  assert.equal(clientKey('203.0.113.9'), '203.0.113.9');
  assert.equal(clientKey('::ffff:203.0.113.9'), '203.0.113.9');
  assert.equal(clientKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  assert.equal(clientKey('2001:0DB8:0001:0002::9'), '2001:db8:1:2::/64');
  assert.equal(clientKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(clientKey('::1'), '0:0:0:0::/64');
  assert.equal(clientKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
  assert.equal(clientKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
});

test('RateLimiter: groups are separate; a limit of 0 is off; one IPv6 /64 shares a bucket', () => {
  let now = 0;
  const limiter = new RateLimiter({ login: 2, upload: 0 }, () => now);
  assert.equal(limiter.take('login', '2001:db8::1').allowed, true);
  assert.equal(limiter.take('login', '2001:db8::2').allowed, true);
  assert.equal(limiter.take('login', '2001:db8::3').allowed, false, 'same /64');
  assert.equal(limiter.take('login', '2001:db8:0:1::1').allowed, true, 'another /64');
  for (let i = 0; i < 1000; i++) assert.equal(limiter.take('upload', '2001:db8::1').allowed, true);
  now = 30_000;
  assert.equal(limiter.take('login', '2001:db8::3').allowed, true);
});
