import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { runFfmpeg } from '../../adapters/ffmpeg/run-ffmpeg.js';
import { TingjianError } from '../../domain/errors.js';
import { decodeTimeoutMs } from '../../ingest/audio-probe/probe-audio.js';

/**
 * A copy of a recording with the personal data made inaudible, for export: one ffmpeg run.
 *
 * Why aeval and not `volume=0:enable='between(t,a,b)'`: filter timeline `enable` is decided per
 * frame (a WAV frame is 4096 samples, half a second of 8 kHz audio), so the muted stretch would
 * start and end up to a frame off; aeval decides per sample, so exactly [start, end] is replaced
 * and every other sample passes through unchanged (s16 → double → s16 is exact). It keeps the
 * channels (c=same) and the sample rate; the codec is the default for the output's extension
 * (pcm_s16le for .wav). Metadata is dropped: recorder tags can carry the caller's number.
 *
 * The span times of transcripts are estimates (span-times.ts), so each span is padded by `padMs`
 * on both sides; overlapping spans are merged. The expression is evaluated per sample as a
 * binary search over the sorted ranges, so its cost grows with log(ranges), not with their number.
 */
export interface RedactAudioOptions {
  input: string;
  /** Written by ffmpeg (format from its extension); removed again if ffmpeg fails. Must not be `input`. */
  output: string;
  spans: ReadonlyArray<{ startMs: number; endMs: number }>;
  /** silence: zeros; tone: a 1 kHz beep at -12 dBFS on every channel, the usual sign that something was cut. */
  mode: 'tone' | 'silence';
  ffmpegPath: string;
  /** Added before and after each span. Default 250 ms. */
  padMs?: number;
  /** The recording's length, when known: the time limit grows with it (a compressed hour is a small file). */
  durationMs?: number | null;
}

export interface TimeRange {
  startMs: number;
  endMs: number;
}

const DEFAULT_PAD_MS = 250;
/** The tone's amplitude (-12 dBFS): also the peak a waveform shows over a covered stretch (call-waveform.ts). */
export const TONE_PEAK = 0.25;
const TONE = `${TONE_PEAK}*sin(2*PI*1000*t)`;

/** The spans padded, widened to whole milliseconds, clamped at 0, sorted and merged where they overlap or touch. */
export function redactionRanges(spans: ReadonlyArray<TimeRange>, padMs = DEFAULT_PAD_MS): TimeRange[] {
  const padded = spans
    .filter((s) => Number.isFinite(s.startMs) && Number.isFinite(s.endMs) && s.endMs >= s.startMs)
    .map((s) => ({ startMs: Math.max(0, Math.floor(s.startMs - padMs)), endMs: Math.ceil(s.endMs + padMs) }))
    .sort((a, b) => a.startMs - b.startMs);
  const merged: TimeRange[] = [];
  for (const r of padded) {
    const last = merged[merged.length - 1];
    if (last && r.startMs <= last.endMs) last.endMs = Math.max(last.endMs, r.endMs);
    else merged.push(r);
  }
  return merged;
}

/**
 * The audio filter replacing the samples inside the ranges. Sample n (from 0, as transcript times
 * count from the first sample) is inside [a, b] ms when a·s ≤ n·1000 ≤ b·s, s the sample rate: in
 * whole numbers, exact, where comparing the time t = n/s with 1.7 s is off by one sample.
 */
function redactionFilter(ranges: readonly TimeRange[], mode: RedactAudioOptions['mode']): string {
  const inside = insideAny(ranges, 0, ranges.length);
  return `asetpts=PTS-STARTPTS,aeval=exprs='if(${inside},${mode === 'tone' ? TONE : '0'},val(ch))':c=same`;
}

/** 1 when sample n lies in one of ranges[lo, hi) (sorted, disjoint), as a balanced tree of comparisons. */
function insideAny(ranges: readonly TimeRange[], lo: number, hi: number): string {
  if (hi - lo === 1) return `between(n*1000,${ranges[lo]!.startMs}*s,${ranges[lo]!.endMs}*s)`;
  const mid = (lo + hi) >> 1;
  return `if(lt(n*1000,${ranges[mid]!.startMs}*s),${insideAny(ranges, lo, mid)},${insideAny(ranges, mid, hi)})`;
}

/** Writes the redacted copy; returns the time ranges that were replaced (padded and merged). */
export async function redactAudio(opts: RedactAudioOptions): Promise<TimeRange[]> {
  if (path.resolve(opts.input) === path.resolve(opts.output)) {
    throw new TingjianError('INVALID_REQUEST', `the redacted copy must not overwrite its recording "${opts.input}"`);
  }
  const ranges = redactionRanges(opts.spans, opts.padMs);
  const { size } = await stat(opts.input);
  // The size-based limit of decoding, or for a long compressed recording 1 minute + 1/20 of its length.
  const timeoutMs = Math.max(decodeTimeoutMs(size), 60_000 + (opts.durationMs ?? 0) / 20);
  // prettier-ignore
  const args = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-protocol_whitelist', 'file',
    '-i', `file:${opts.input}`, '-map', '0:a:0', '-map_metadata', '-1',
    ...(ranges.length > 0 ? ['-af', redactionFilter(ranges, opts.mode)] : []),
    '-y', `file:${opts.output}`,
  ];
  const run = await runFfmpeg(opts.ffmpegPath, args, { timeoutMs });
  if (run.code !== 0) {
    await rm(opts.output, { force: true });
    if (run.timedOut) throw new TingjianError('TIMEOUT', `ffmpeg did not finish redacting "${opts.input}" within ${Math.round(timeoutMs / 1000)} s`);
    const said = run.stderr.trim().split('\n').slice(-3).join(' | ') || `exit ${String(run.code)}`;
    throw new TingjianError('INTERNAL', `ffmpeg could not write the redacted copy of "${opts.input}" to "${opts.output}": ${said}`);
  }
  return ranges;
}
