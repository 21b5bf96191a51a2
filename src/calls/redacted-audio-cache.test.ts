import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { RedactedAudioCache, type CachedFile } from './redacted-audio-cache.js';

const root = mkdtempSync(path.join(tmpdir(), 'tingjian-redacted-cache-'));
after(() => rm(root, { recursive: true, force: true }));

let made = 0;
/** A real file per making, counted, removed by its cleanup. */
function maker(name: string): () => Promise<CachedFile> {
  return async () => {
    made++;
    const file = path.join(root, `${name}-${made}.wav`);
    writeFileSync(file, name);
    return { file, sizeBytes: name.length, spans: 1, cleanup: () => rm(file, { force: true }) };
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('concurrent and repeated requests share one copy; it is removed once idle for idleMs', async () => {
  made = 0;
  const cache = new RedactedAudioCache({ idleMs: 50 });
  const [a, b] = await Promise.all([cache.acquire('k', maker('k')), cache.acquire('k', maker('k'))]);
  assert.equal(made, 1, 'one making for two concurrent requests');
  assert.equal(a.file, b.file);
  a.release();
  a.release(); // idempotent: does not end b's use
  await sleep(80);
  assert.ok(existsSync(b.file), 'kept while a response still streams it');
  const c = await cache.acquire('k', maker('k'));
  assert.equal(made, 1, 'reused');
  b.release();
  c.release();
  await sleep(80);
  assert.ok(!existsSync(c.file), 'removed after being idle');
  assert.equal(cache.size, 0);
  const d = await cache.acquire('k', maker('k'));
  assert.equal(made, 2, 'made again after removal');
  d.release();
  await cache.clear();
  assert.ok(!existsSync(d.file));
});

test('a failed making is not kept: the next request tries again', async () => {
  made = 0;
  const cache = new RedactedAudioCache();
  await assert.rejects(cache.acquire('bad', () => Promise.reject(new Error('ffmpeg failed'))), /ffmpeg failed/);
  assert.equal(cache.size, 0);
  const ok = await cache.acquire('bad', maker('bad'));
  assert.equal(made, 1);
  ok.release();
  await cache.clear();
});

test('beyond maxEntries the longest-idle copies go first; copies in use are never removed', async () => {
  made = 0;
  const cache = new RedactedAudioCache({ maxEntries: 2 });
  const one = await cache.acquire('one', maker('one'));
  const two = await cache.acquire('two', maker('two'));
  one.release();
  await sleep(5);
  two.release();
  const three = await cache.acquire('three', maker('three'));
  await sleep(10);
  assert.ok(!existsSync(one.file), 'the longest idle is dropped');
  assert.ok(existsSync(two.file));
  assert.equal(cache.size, 2);
  const four = await cache.acquire('four', maker('four'));
  await sleep(10);
  assert.ok(existsSync(three.file) && existsSync(four.file), 'both in use: kept even over the limit');
  assert.ok(!existsSync(two.file));
  three.release();
  four.release();
  await cache.clear();
  assert.equal(cache.size, 0);
});
