import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFfmpegDecodeLog } from './ffmpeg-decode-log.js';

// Trimmed from real runs of ffmpeg 5.1 (Debian) and 4.1 (npm static) on the probe's command line.
const M4A_51 = `[info] Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/in/x.m4a':
[info]   Duration: 00:00:06.00, start: 0.000000, bitrate: 29 kb/s
[info]   Stream #0:0[0x1](und): Audio: aac (LC) (mp4a / 0x6134706D), 8000 Hz, mono, fltp, 27 kb/s (default)
[info] Stream mapping:
[info]   Stream #0:0 -> #0:0 (aac (native) -> pcm_s16le (native))
[info] Output #0, null, to 'pipe:':
[info]   Stream #0:0(und): Audio: pcm_s16le, 8000 Hz, mono, s16, 128 kb/s (default)
[info] size=N/A time=00:00:06.01 bitrate=N/A speed=1.38e+03x    
`;
const PROGRESS = 'out_time_us=20000\nout_time_ms=20000\nprogress=continue\nout_time_us=6016000\nout_time_ms=6016000\nprogress=end\n';

test('input stream, container duration and decoded duration (ffmpeg 5.1 m4a)', () => {
  const log = parseFfmpegDecodeLog(M4A_51, PROGRESS, '/in/x.m4a');
  assert.equal(log.opened, true);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.audio, { codec: 'aac', sampleRate: 8000, channels: 1, layout: 'mono' });
  assert.equal(log.containerDurationMs, 6000);
  assert.equal(log.containerDurationEstimated, false);
  assert.equal(log.decodedDurationMs, 6016);
});

test('errors are collected with context prefixes stripped (ffmpeg 4.1 corrupt mp3)', () => {
  const stderr = `[info] Input #0, mp3, from '/in/x.mp3':
[info]   Duration: 00:00:06.19, start: 0.138125, bitrate: 32 kb/s
[info]     Stream #0:0: Audio: mp3, 8000 Hz, stereo, fltp, 32 kb/s
[info] Output #0, null, to 'pipe:':
[mp3float @ 0x3ff84440] [error] Header missing
[error] Error while decoding stream #0:0: Invalid data found when processing input
`;
  const log = parseFfmpegDecodeLog(stderr, 'out_time_ms=5549875\nprogress=end\n', '/in/x.mp3');
  assert.deepEqual(log.errors, ['Header missing', 'Error while decoding stream #0:0: Invalid data found when processing input']);
  assert.equal(log.audio?.channels, 2);
  assert.equal(log.decodedDurationMs, 5550, 'out_time_ms (really µs) is the fallback');
});

test('unopenable input: not opened, path removed from the message', () => {
  const stderr = `[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5596c83dc0c0] [error] moov atom not found
[error] /in/x.m4a: Invalid data found when processing input
`;
  const log = parseFfmpegDecodeLog(stderr, '', '/in/x.m4a');
  assert.equal(log.opened, false);
  assert.deepEqual(log.errors, ['moov atom not found', 'Invalid data found when processing input']);
  assert.equal(log.audio, null);
  assert.equal(log.decodedDurationMs, null);
});

test('estimated durations and the MP3 size-mismatch warning are flagged', () => {
  const est = parseFfmpegDecodeLog('[amr @ 0x1] [warning] Estimating duration from bitrate, this may be inaccurate\n[info] Input #0, amr, from \'a\':\n', '', 'a');
  assert.equal(est.containerDurationEstimated, true);
  const cut = parseFfmpegDecodeLog('[mp3 @ 0x1] [warning] filesize and duration do not match (growing file?)\n', '', 'a');
  assert.equal(cut.sizeMismatchWarning, true);
});

test('channel layouts: named, "N channels", and unknown', () => {
  const layout = (l: string) => parseFfmpegDecodeLog(`[info]   Stream #0:0: Audio: pcm_s16le, 8000 Hz, ${l}, s16, 128 kb/s\n`, '', 'a').audio;
  assert.equal(layout('5.1(side)')?.channels, 6);
  assert.equal(layout('3 channels')?.channels, 3);
  assert.equal(layout('3 channels (FL+FR+LFE)')?.channels, 3);
  assert.equal(layout('mystery')?.channels, null);
  // ffmpeg 6+ names the decoder after the codec.
  assert.equal(parseFfmpegDecodeLog('[info]   Stream #0:0: Audio: mp3 (mp3float), 44100 Hz, stereo, fltp, 128 kb/s\n', '', 'a').audio?.codec, 'mp3');
});

test('video-only input: opened, no audio stream', () => {
  const stderr = `[info] Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'v.mp4':
[info]     Stream #0:0(und): Video: mpeg4 (Simple Profile) (mp4v / 0x7634706D), yuv420p, 64x64, 25 fps (default)
[fatal] Stream map '0:a:0' matches no streams.
`;
  const log = parseFfmpegDecodeLog(stderr, '', 'v.mp4');
  assert.equal(log.opened, true);
  assert.equal(log.audio, null);
  assert.deepEqual(log.errors, ["Stream map '0:a:0' matches no streams."]);
});
