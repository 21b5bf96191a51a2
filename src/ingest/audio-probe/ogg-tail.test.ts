import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oggTruncation } from './ogg-tail.js';

/** One Ogg page with a single packet of `bodyBytes` bytes (≤ 255). */
function page(bodyBytes: number, eos = false): Buffer {
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'latin1');
  header[4] = 0; // stream structure version
  header[5] = eos ? 0x04 : 0;
  header[26] = 1;
  return Buffer.concat([header, Buffer.from([bodyBytes]), Buffer.alloc(bodyBytes, 0x55)]);
}

const check = (file: Buffer) => oggTruncation(file, 0, file.length);

test('whole pages, with or without the end-of-stream flag, are not truncated', () => {
  assert.equal(check(Buffer.concat([page(200), page(100, true)])), null);
  assert.equal(check(Buffer.concat([page(200), page(100)])), null);
});

test('a last page running past the end of the file is truncated', () => {
  const file = Buffer.concat([page(200), page(100, true)]);
  assert.equal(check(file.subarray(0, file.length - 40)), 'the last Ogg page declares 128 bytes but only 88 are present');
  assert.match(check(file.subarray(0, 228 + 10)) ?? '', /header is cut off after 10 bytes/);
});

test('works on a tail slice: offsets are relative to the whole file', () => {
  const file = Buffer.concat([page(200), page(200), page(100)]);
  const cut = file.subarray(0, file.length - 1);
  const tailOffset = 100;
  assert.equal(oggTruncation(cut.subarray(tailOffset), tailOffset, cut.length), 'the last Ogg page declares 128 bytes but only 127 are present');
});

test('an "OggS" inside packet data (version byte not 0) is skipped', () => {
  const last = page(100, true);
  last.write('OggS\x07', 40, 'latin1');
  assert.equal(check(Buffer.concat([page(50), last])), null);
});
