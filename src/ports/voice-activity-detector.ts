import type { TimeSpan } from '../domain/signals.js';

/** 16 kHz mono float samples in [-1, 1]: what every detector and ASR engine is fed. */
export const PCM_SAMPLE_RATE = 16_000;

/**
 * Finds speech in one channel of 16 kHz mono PCM. Implementations: Silero through sherpa-onnx
 * (src/adapters/vad/silero-vad.ts), WebRTC VAD through fvad-wasm (src/adapters/vad/webrtc-vad.ts).
 * test/contract/voice-activity-detector.contract.ts runs the same suite against both.
 */
export interface VoiceActivityDetector {
  readonly name: string;
  /** Speech spans in ms from the start of `samples`, sorted and not overlapping. */
  detect(samples: Float32Array): Promise<TimeSpan[]>;
  close(): void;
}

export interface VadSettings {
  /** Silero: speech probability above which a window is speech (0..1). */
  threshold: number;
  /** Pauses shorter than this stay inside one speech span. */
  minSilenceMs: number;
  /** Speech shorter than this is dropped (clicks, breaths). */
  minSpeechMs: number;
  /** Longer speech is cut into spans of at most this length (ASR engines want bounded input). */
  maxSpeechMs: number;
  /** WebRTC VAD aggressiveness 0..3 (3 = most eager to call audio non-speech). */
  webrtcMode: 0 | 1 | 2 | 3;
}

export const DEFAULT_VAD_SETTINGS: VadSettings = {
  threshold: 0.5,
  minSilenceMs: 300,
  minSpeechMs: 250,
  maxSpeechMs: 20_000,
  webrtcMode: 2,
};
