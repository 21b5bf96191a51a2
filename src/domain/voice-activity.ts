import type { TimeSpan } from './signals.js';
import type { Speaker } from './transcript.js';

/** Loudness of a stretch of audio: RMS and peak level in dBFS (0 = full scale; silence is -Infinity, stored as null). */
export interface Loudness {
  rmsDbfs: number | null;
  peakDbfs: number | null;
}

/** One stretch of speech a voice activity detector found on a channel, with how loud it was. */
export interface SpeechSpan extends TimeSpan, Loudness {}

/** Voice activity of one channel of a recording. */
export interface ChannelActivity {
  channel: number;
  /** Who this channel carries (from the recording's channel roles); `unknown` for a mixed mono channel. */
  speaker: Speaker;
  spans: SpeechSpan[];
  /** The whole channel's loudness (peaks show clipping; a silent channel has null). */
  loudness: Loudness;
}

/** What the vad stage found in a recording: per channel, the speech and its loudness. */
export interface VoiceActivity {
  detector: string;
  durationMs: number;
  channels: ChannelActivity[];
  /** Spans removed or cut because they were the other channel leaking in (echo, crosstalk). */
  crosstalkTrimmed?: number;
}
