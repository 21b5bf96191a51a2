import type { PcmAudio } from '../decode/pcm-audio.js';

/**
 * Scratch space for a call's decoded 16 kHz PCM between the decode, vad and transcribe stages
 * (which may run in different processes sharing the data folder). Derived data: it can always be
 * decoded again from the original, so it is deleted once transcription is done.
 */
export interface DecodedAudioStore {
  /** A path to write the decoded WAV to; `commit` publishes it atomically, `discard` drops it. */
  stage(callId: string): Promise<{ path: string; commit(): Promise<void>; discard(): Promise<void> }>;
  /** The call's decoded audio, or null when none is stored. */
  read(callId: string): Promise<PcmAudio | null>;
  delete(callId: string): Promise<void>;
}
