import { spawn } from 'node:child_process';
import { TingjianError, invalidAudio, notFound } from '../domain/errors.js';
import type { Recording } from '../domain/recording.js';
import { WAVEFORM_BASE_POINTS, type Waveform } from '../domain/waveform.js';
import { decodeTimeoutMs } from '../ingest/audio-probe/probe-audio.js';
import { Semaphore } from '../platform/semaphore.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/repositories.js';
import { redactionRanges, TONE_PEAK } from '../enrich/pii/redact-audio.js';
import { blockFramesFor, bucketPeaks, coverPeaks, PcmPeakBlocks, rebucketPeaks } from './waveform-peaks.js';

export type WaveformRole = 'agent' | 'customer' | 'mixed' | 'unknown';

/** What GET /api/v1/calls/:id/waveform answers. */
export interface WaveformView {
  durationMs: number;
  channels: Array<{ index: number; role: WaveformRole; peaks: number[] }>;
}

/** A mono recording carries both sides ('mixed'); a channel of a multi-channel one its role. */
export const channelRole = (rec: Pick<Recording, 'channels' | 'channelRoles'>, index: number): WaveformRole => {
  const role = rec.channelRoles[index] ?? 'unknown';
  return rec.channels === 1 && role === 'unknown' ? 'mixed' : role;
};

const STDERR_CAP = 16 * 1024;

/**
 * The original recording decoded by ffmpeg at its own sample rate and channel count into 16-bit
 * PCM on a pipe, folded into peak blocks as it streams (the samples are never all in memory: a
 * 12-minute stereo 8 kHz call is 23 MB of PCM, a two-hour one ten times that). A recording ffmpeg
 * cannot decode cleanly is INVALID_AUDIO naming ffmpeg's first complaint.
 */
export function decodePeakBlocks(ffmpegPath: string, inputPath: string, rec: Recording, opts: { callId: string; timeoutMs: number }): Promise<{ frames: number; blocks: number[][] }> {
  const expectedFrames = Math.max(1, Math.round((rec.durationMs / 1000) * rec.sampleRate));
  const acc = new PcmPeakBlocks(rec.channels, blockFramesFor(expectedFrames, WAVEFORM_BASE_POINTS));
  // prettier-ignore
  const args = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+error', '-protocol_whitelist', 'file',
    '-i', `file:${inputPath}`, '-map', '0:a:0', '-ac', String(rec.channels), '-ar', String(rec.sampleRate),
    '-c:a', 'pcm_s16le', '-f', 's16le', 'pipe:1',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => acc.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_CAP) stderr += chunk.toString('utf8');
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new TingjianError('DEPENDENCY_MISSING', `cannot run ffmpeg at "${ffmpegPath}" (${err.code ?? err.message}) to draw the waveform; install it with \`apt-get install -y ffmpeg\` or set TINGJIAN_FFMPEG`, { ffmpegPath }, { cause: err }));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new TingjianError('TIMEOUT', `decoding the recording of call ${opts.callId} for its waveform took longer than ${Math.round(opts.timeoutMs / 1000)} s; the server may be overloaded — try again`, { callId: opts.callId }));
        return;
      }
      const errors = stderr
        .split('\n')
        .map((l) => /\[(?:error|fatal)\] (.*)$/.exec(l)?.[1]?.trim())
        .filter((l): l is string => Boolean(l));
      if (code !== 0 || errors.length > 0) {
        const said = errors[0] ?? `ffmpeg exited with code ${String(code)}`;
        reject(invalidAudio(`the recording of call ${opts.callId} cannot be decoded to draw its waveform: ffmpeg says "${said}"; the stored file is damaged — run \`tingjian verify\` to check it against its sha256, or ingest the call again from a good copy`, { callId: opts.callId, ffmpeg: errors.slice(0, 5) }));
        return;
      }
      if (acc.frameCount === 0) {
        reject(invalidAudio(`the recording of call ${opts.callId} holds no audio samples, so it has no waveform; ingest the call again with its recording`, { callId: opts.callId }));
        return;
      }
      resolve({ frames: acc.frameCount, blocks: acc.finish() });
    });
  });
}

/**
 * Waveforms of calls for the player: computed from the original on the first request, stored as
 * an artifact (kind 'waveform', WAVEFORM_BASE_POINTS per channel) so every later request is one
 * database read, then folded to the points asked for. Requests for the same call at once share
 * one decode; at most two decodes run at once per process.
 */
export class CallWaveforms {
  private readonly inFlight = new Map<string, Promise<Waveform>>();
  private readonly decodes = new Semaphore(2);

  constructor(
    private readonly deps: { db: Database; blobs: BlobStore; ffmpegPath: () => Promise<string> },
  ) {}

  /**
   * The waveform as a role without pii:view hears the call (GET …/audio serves them the copy with
   * a tone over the personal data): the PII stretches, padded as the audio's are, drawn at the
   * tone's level, so the envelope of a spoken number (its digits' syllables) does not show.
   * CONFLICT without a text analysis, as that audio is then refused too.
   */
  async getCovered(callId: string, points: number): Promise<WaveformView> {
    const view = await this.get(callId, WAVEFORM_BASE_POINTS);
    const text = await this.deps.db.repos.artifacts.getTextAnalysis(callId);
    if (!text) {
      throw new TingjianError('CONFLICT', `call ${callId}: your role sees recordings only with personal data covered, and this one's personal data is not located yet (the pipeline has not finished); retry when the call is done`, { callId });
    }
    const ranges = redactionRanges(text.pii);
    // Covered at the stored resolution and again after folding: a folded bucket can also see one
    // stored bucket past its edge, which the first pass has already covered when it was inside.
    const covered = (peaks: readonly number[]) => coverPeaks(rebucketPeaks(coverPeaks(peaks, view.durationMs, ranges, TONE_PEAK), points), view.durationMs, ranges, TONE_PEAK);
    return { ...view, channels: view.channels.map((ch) => ({ ...ch, peaks: covered(ch.peaks) })) };
  }

  async get(callId: string, points: number): Promise<WaveformView> {
    const rec = await this.deps.db.repos.recordings.getByCallId(callId);
    if (!rec) {
      if (!(await this.deps.db.repos.calls.get(callId))) throw notFound('call', callId);
      throw new TingjianError('NOT_FOUND', `call ${callId} has no recording (a chat or a transcript-only call), so it has no waveform; its transcript is at GET /api/v1/calls/${callId}`, { id: callId });
    }
    const stored = (await this.deps.db.repos.artifacts.getWaveform(callId)) ?? (await this.compute(callId, rec));
    return {
      durationMs: stored.durationMs,
      channels: stored.peaks.map((p, index) => ({ index, role: channelRole(rec, index), peaks: rebucketPeaks(p, points) })),
    };
  }

  private compute(callId: string, rec: Recording): Promise<Waveform> {
    const running = this.inFlight.get(callId);
    if (running) return running;
    const job = this.decodes
      .run(async () => {
        const ffmpeg = await this.deps.ffmpegPath();
        const { frames, blocks } = await this.deps.blobs.withLocalFile(rec.blobKey, (input) => decodePeakBlocks(ffmpeg, input, rec, { callId, timeoutMs: decodeTimeoutMs(rec.sizeBytes) }));
        const waveform: Waveform = { version: 1, durationMs: Math.round((frames / rec.sampleRate) * 1000), peaks: blocks.map((b) => bucketPeaks(b, WAVEFORM_BASE_POINTS)) };
        await this.deps.db.repos.artifacts.saveWaveform(callId, waveform, Date.now());
        return waveform;
      })
      .finally(() => this.inFlight.delete(callId));
    this.inFlight.set(callId, job);
    return job;
  }
}
