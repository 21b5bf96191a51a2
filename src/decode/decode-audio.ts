import { stat } from 'node:fs/promises';
import { TingjianError } from '../domain/errors.js';
import type { AudioFormat } from '../domain/recording.js';
import { runFfmpeg } from '../adapters/ffmpeg/run-ffmpeg.js';
import { parseFfmpegDecodeLog } from '../ingest/audio-probe/ffmpeg-decode-log.js';
import { assertCleanDecode, decodeTimeoutMs } from '../ingest/audio-probe/probe-audio.js';
import { PCM_SAMPLE_RATE } from '../ports/voice-activity-detector.js';

export interface DecodeReport {
  codec: string;
  sampleRate: number;
  channels: number;
  /** Duration actually decoded. */
  durationMs: number;
}

/**
 * Every format (WAV μ-law/A-law/PCM, MP3, Ogg, Opus, AMR, M4A) → 16-bit PCM WAV at 16 kHz with
 * the original channels kept apart, written to `outPath`. One ffmpeg pass: its resampler (swr)
 * turns 8 kHz telephone audio into the 16 kHz every VAD and ASR model here expects, and its log
 * is judged by the same rules as the ingest probe, so a file corrupt half-way fails here with
 * INVALID_AUDIO (the job runner then fails the call at once instead of retrying).
 */
export async function decodeToPcmWav(inputPath: string, outPath: string, opts: { ffmpegPath: string; format: AudioFormat }): Promise<DecodeReport> {
  const { size } = await stat(inputPath);
  const timeoutMs = decodeTimeoutMs(size);
  const input = `file:${inputPath}`;
  // prettier-ignore
  const args = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+info', '-protocol_whitelist', 'file',
    '-i', input, '-map', '0:a:0', '-ar', String(PCM_SAMPLE_RATE), '-c:a', 'pcm_s16le', '-f', 'wav', '-y', `file:${outPath}`,
    '-progress', 'pipe:1',
  ];
  const run = await runFfmpeg(opts.ffmpegPath, args, { timeoutMs });
  if (run.timedOut) {
    throw new TingjianError('TIMEOUT', `ffmpeg did not finish decoding within ${Math.round(timeoutMs / 1000)} s; the machine may be overloaded — the job will be retried`);
  }
  // Failures on our side — the decoded file could not be written (disk full), ffmpeg killed
  // (out of memory) — are not the recording's fault: retryable, and not blamed on the upload.
  const writeError = /^(?:\[[^\]]*\] )?\[(?:error|fatal)\] (.*(?:No space left on device|Error writing|Error closing file|Could not write header|Cannot allocate memory).*)$/im.exec(run.stderr);
  if (writeError || run.code === null) {
    throw new TingjianError('INTERNAL', `decoding stopped on this machine's side (${writeError ? `ffmpeg: "${writeError[1]!.trim()}"` : 'ffmpeg was killed'}); free disk space or memory — the job is retried`);
  }
  const log = parseFfmpegDecodeLog(run.stderr, run.stdout, input);
  return assertCleanDecode(log, run, opts.format);
}
