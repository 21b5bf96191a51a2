import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateFfmpeg } from './locate-ffmpeg.js';
import { runFfmpeg } from './run-ffmpeg.js';

const ffmpeg = async () => (await locateFfmpeg()).path;

test('runs ffmpeg and returns exit code, stdout and stderr', async () => {
  const ok = await runFfmpeg(await ffmpeg(), ['-version']);
  assert.equal(ok.code, 0);
  assert.match(ok.stdout, /ffmpeg version/);
  assert.equal(ok.timedOut, false);

  const bad = await runFfmpeg(await ffmpeg(), ['-hide_banner', '-i', '/nonexistent/in.wav', '-f', 'null', '-']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /No such file or directory/);
});

test('arguments are passed without a shell', async () => {
  const run = await runFfmpeg(await ffmpeg(), ['-hide_banner', '-i', '/nonexistent/$(echo x) ; rm -rf.wav']);
  assert.match(run.stderr, /\/nonexistent\/\$\(echo x\) ; rm -rf\.wav/);
});

test('kills ffmpeg at the timeout', async () => {
  const started = Date.now();
  // An endless generated tone decoded as fast as possible: only the timeout stops it.
  const run = await runFfmpeg(await ffmpeg(), ['-nostdin', '-f', 'lavfi', '-i', 'sine', '-f', 'null', '-'], { timeoutMs: 300 });
  assert.equal(run.timedOut, true);
  assert.equal(run.code, null);
  assert.ok(Date.now() - started < 5_000);
});

test('caps stderr, keeping head and tail', async () => {
  const args = ['-nostdin', '-loglevel', 'debug', '-f', 'lavfi', '-i', 'sine=duration=1', '-f', 'null', '-'];
  const run = await runFfmpeg(await ffmpeg(), args, { maxStderrBytes: 2_000 });
  assert.equal(run.code, 0);
  assert.match(run.stderr, /bytes elided/);
  assert.ok(run.stderr.length < 2_200, `stderr is ${run.stderr.length} chars`);
  assert.match(run.stderr, /^ffmpeg version/, 'the head survives');
});

test('a binary that cannot be started rejects with DEPENDENCY_MISSING', async () => {
  await assert.rejects(runFfmpeg('/nonexistent/ffmpeg', ['-version']), { code: 'DEPENDENCY_MISSING', message: /ENOENT/ });
});
