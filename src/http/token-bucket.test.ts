import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBuckets } from './token-bucket.js';

test('a minute of allowance at once, then one per 60/perMinute s, with the wait to the next token', () => {
  const b = new TokenBuckets(10);
  for (let i = 0; i < 10; i++) assert.deepEqual(b.take('a', 1000), { allowed: true }, `request ${i + 1}`);
  assert.deepEqual(b.take('a', 1000), { allowed: false, retryAfterSeconds: 6, firstRefusal: true });
  assert.deepEqual(b.take('a', 4000), { allowed: false, retryAfterSeconds: 3, firstRefusal: false });
  assert.deepEqual(b.take('a', 7000), { allowed: true }, 'one token back after 6 s');
  assert.equal(b.take('a', 7000).allowed, false);
  assert.equal(b.take('b', 7000).allowed, true, 'another key has its own bucket');
  for (let i = 0; i < 10; i++) assert.equal(b.take('a', 67_000 + i).allowed, true, 'full again after a minute');
});

test('a sub-second retry rounds up to 1 s; a fast limit refills in proportion', () => {
  const b = new TokenBuckets(120);
  for (let i = 0; i < 120; i++) b.take('x', 0);
  const r = b.take('x', 100);
  assert.equal(r.allowed, false);
  assert.equal(!r.allowed && r.retryAfterSeconds, 1);
  assert.equal(b.take('x', 500).allowed, true, '0.5 s → one token at 2/s');
});

test('memory stays bounded: idle buckets are dropped, and past the cap the least recently used', () => {
  const b = new TokenBuckets(10, 1000);
  for (let i = 0; i < 1000; i++) b.take(`ip-${i}`, 0);
  assert.equal(b.size, 1000);
  b.take('late', 60_000);
  assert.equal(b.size, 1, 'buckets idle for a minute are full again: dropped');
  for (let i = 0; i < 5000; i++) b.take(`flood-${i}`, 61_000);
  assert.equal(b.size, 1000, 'never past the cap');
  for (let i = 0; i < 10; i++) b.take('kept', 61_000);
  for (let i = 0; i < 500; i++) b.take(`flood2-${i}`, 61_000);
  assert.equal(b.take('kept', 61_000).allowed, false, 'a recently used bucket survives the eviction of older ones');
});
