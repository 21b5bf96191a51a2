import type { Speaker } from './transcript.js';

/** Container/codec family of an original recording as we detected it. */
export type AudioFormat = 'wav' | 'mp3' | 'ogg' | 'opus' | 'amr' | 'm4a';
export const AUDIO_FORMATS = ['wav', 'mp3', 'ogg', 'opus', 'amr', 'm4a'] as const;

/** The original audio of a call, stored byte-for-byte under its sha256. */
export interface Recording {
  callId: string;
  format: AudioFormat;
  /** Codec inside the container, e.g. pcm_s16le, pcm_mulaw, mp3, opus. */
  codec: string;
  sampleRate: number;
  channels: number;
  /** Which speaker each channel carries; mono recordings map channel 0 to `unknown` (mixed). */
  channelRoles: Speaker[];
  durationMs: number;
  sha256: string;
  sizeBytes: number;
  blobKey: string;
  originalName: string | null;
}
