import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clearFfmpegLocationCache, findFfmpeg, locateFfmpeg, npmFfmpegPath } from './locate-ffmpeg.js';

test('finds a working ffmpeg (system first, npm static as fallback) and caches it', async () => {
  clearFfmpegLocationCache();
  const first = locateFfmpeg();
  assert.equal(locateFfmpeg(), first, 'same promise for the same configured value');
  const found = await first;
  assert.ok(found.source === 'system' || found.source === 'npm');
  assert.ok(path.isAbsolute(found.path));
});

test('a configured path that works is used as is', async () => {
  const { path: real } = await locateFfmpeg();
  assert.deepEqual(await findFfmpeg(real), { path: real, source: 'config' });
});

test('a configured path that does not run is an error, with no silent fallback', async () => {
  await assert.rejects(findFfmpeg('/nonexistent/ffmpeg'), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'DEPENDENCY_MISSING');
    assert.match(e.message, /configured ffmpeg "\/nonexistent\/ffmpeg" cannot be run \(ENOENT\)/);
    assert.match(e.message, /apt-get install -y ffmpeg/);
    return true;
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'tingjian-locate-'));
  try {
    const notExecutable = path.join(dir, 'ffmpeg');
    await writeFile(notExecutable, 'not a binary');
    await assert.rejects(findFfmpeg(notExecutable), { code: 'DEPENDENCY_MISSING', message: /cannot be run \(EACCES\)/ });
    // Executable, but not ffmpeg.
    const impostor = path.join(dir, 'impostor');
    await writeFile(impostor, '#!/bin/sh\necho hello\n');
    await chmod(impostor, 0o755);
    await assert.rejects(findFfmpeg(impostor), { code: 'DEPENDENCY_MISSING', message: /did not print an ffmpeg version/ });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('falls back to the npm static binary when PATH has no ffmpeg', async (t) => {
  const npm = npmFfmpegPath();
  if (!npm) return t.skip('@ffmpeg-installer/ffmpeg binary is not installed');
  assert.deepEqual(await findFfmpeg(undefined, { pathEnv: '' }), { path: npm, source: 'npm' });
});

test('nothing found: DEPENDENCY_MISSING naming both fixes', async () => {
  await assert.rejects(findFfmpeg(undefined, { pathEnv: '', npmPath: null }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'DEPENDENCY_MISSING');
    assert.match(e.message, /ffmpeg not found \(no ffmpeg on PATH; @ffmpeg-installer\/ffmpeg binary not installed\)/);
    assert.match(e.message, /apt-get install -y ffmpeg/);
    assert.match(e.message, /npm install/);
    return true;
  });
});

test('failed lookups are not cached', async () => {
  const a = locateFfmpeg('/nonexistent/ffmpeg');
  await assert.rejects(a);
  const b = locateFfmpeg('/nonexistent/ffmpeg');
  assert.notEqual(b, a, 'a new lookup, not the cached failure');
  await assert.rejects(b);
});
