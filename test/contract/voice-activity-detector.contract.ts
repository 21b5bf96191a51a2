import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { locateFfmpeg } from '../../src/adapters/ffmpeg/locate-ffmpeg.js';
import { pcmFromWav, type PcmAudio } from '../../src/decode/pcm-audio.js';
import type { TimeSpan } from '../../src/domain/signals.js';
import type { TranscriptSegment } from '../../src/domain/transcript.js';
import { DEFAULT_VAD_SETTINGS, PCM_SAMPLE_RATE, type VadSettings, type VoiceActivityDetector } from '../../src/ports/voice-activity-detector.js';
import { REPO_ROOT } from '../support/cli.js';

/**
 * What every voice activity detector must do, on real speech: a bundled sample call (espeak-ng
 * Mandarin, 8 kHz μ-law, decoded to 16 kHz by ffmpeg) whose sidecar segment times are the truth.
 */
const SAMPLE = path.join(REPO_ROOT, 'samples/calls/demo-ecom-002.wav');
const truth = (JSON.parse(readFileSync(SAMPLE.replace(/\.wav$/, '.json'), 'utf8')) as { segments: TranscriptSegment[]; channelRoles?: string[] }).segments;

const covered = (found: TimeSpan[], want: TimeSpan[]) =>
  found.reduce((n, x) => n + want.reduce((m, y) => m + Math.max(0, Math.min(x.endMs, y.endMs) - Math.max(x.startMs, y.startMs)), 0), 0) /
  want.reduce((n, y) => n + y.endMs - y.startMs, 0);

export function voiceActivityDetectorContract(name: string, create: (s: VadSettings) => Promise<VoiceActivityDetector>, opts: { minRecall: number }): void {
  describe(`VoiceActivityDetector contract: ${name}`, () => {
    let pcm: PcmAudio;
    let vad: VoiceActivityDetector;
    before(async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tingjian-vad-'));
      const out = path.join(dir, 'd.wav');
      execFileSync((await locateFfmpeg()).path, ['-nostdin', '-v', 'error', '-i', SAMPLE, '-ar', String(PCM_SAMPLE_RATE), '-c:a', 'pcm_s16le', out]);
      pcm = pcmFromWav(readFileSync(out));
      rmSync(dir, { recursive: true, force: true });
      vad = await create(DEFAULT_VAD_SETTINGS);
    });
    after(() => vad.close());

    it('finds the speech of each channel, and little else', async () => {
      for (const [channel, speaker] of [[0, 'agent'], [1, 'customer']] as const) {
        const want = truth.filter((s) => s.speaker === speaker);
        const found = await vad.detect(pcm.channels[channel]!);
        assert.ok(covered(found, want) >= opts.minRecall, `${speaker}: ${(covered(found, want) * 100).toFixed(0)}% found`);
        const extra = covered(want, found);
        assert.ok(extra >= 0.75, `${speaker}: only ${(extra * 100).toFixed(0)}% of what was found is speech`);
      }
    });

    it('spans are sorted, do not overlap, lie within the audio and obey the minimum speech length', async () => {
      const found = await vad.detect(pcm.channels[0]!);
      assert.ok(found.length > 0);
      for (const [i, s] of found.entries()) {
        assert.ok(s.startMs >= 0 && s.endMs <= pcm.durationMs + 50 && s.endMs > s.startMs);
        assert.ok(s.endMs - s.startMs >= DEFAULT_VAD_SETTINGS.minSpeechMs - 50, `span ${i} is ${s.endMs - s.startMs} ms`);
        if (i > 0) assert.ok(s.startMs >= found[i - 1]!.endMs);
      }
    });

    it('is repeatable: the same channel twice (state reset between calls) gives the same spans', async () => {
      const a = await vad.detect(pcm.channels[1]!);
      await vad.detect(pcm.channels[0]!);
      assert.deepEqual(await vad.detect(pcm.channels[1]!), a);
    });

    it('digital silence and an empty channel have no speech', async () => {
      assert.deepEqual(await vad.detect(new Float32Array(PCM_SAMPLE_RATE * 5)), []);
      assert.deepEqual(await vad.detect(new Float32Array(0)), []);
    });

    it('speech longer than maxSpeechMs comes in spans no longer than that', async () => {
      const short = await create({ ...DEFAULT_VAD_SETTINGS, maxSpeechMs: 2000 });
      try {
        const found = await short.detect(pcm.channels[0]!);
        assert.ok(found.length > 0);
        for (const s of found) assert.ok(s.endMs - s.startMs <= 2000 + 100, `span of ${s.endMs - s.startMs} ms`);
      } finally {
        short.close();
      }
    });
  });
}
