import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callDurationMs, channelRolesFor } from './call-facts.js';

test('channel roles: as given, mono is mixed, stereo takes the default, a mismatch is named', () => {
  assert.deepEqual(channelRolesFor(['customer', 'agent'], 2, ['agent', 'customer']), ['customer', 'agent']);
  assert.deepEqual(channelRolesFor(null, 1, ['agent', 'customer']), ['unknown']);
  assert.deepEqual(channelRolesFor(null, 2, ['agent', 'customer']), ['agent', 'customer']);
  assert.deepEqual(channelRolesFor(null, 3, ['agent', 'customer']), ['agent', 'customer', 'unknown']);
  assert.throws(() => channelRolesFor(['agent', 'customer'], 1, []), /channelRoles names 2 channel\(s\) but the recording has 1/);
});

test('duration: as given, else the recording, else the end of the last segment', () => {
  const segs = [{ index: 0, speaker: 'agent' as const, startMs: 0, endMs: 9000, text: '您好' }, { index: 1, speaker: 'customer' as const, startMs: 500, endMs: 4000, text: '喂' }];
  assert.equal(callDurationMs(60_000, 61_000, segs), 60_000);
  assert.equal(callDurationMs(null, 61_000, segs), 61_000);
  assert.equal(callDurationMs(null, null, segs), 9000);
  assert.equal(callDurationMs(null, undefined, null), null);
});
