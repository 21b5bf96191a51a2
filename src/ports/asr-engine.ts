import type { TimeSpan } from '../domain/signals.js';

/** One recognised stretch of speech, times in ms from the start of the channel. */
export interface AsrSegment {
  startMs: number;
  endMs: number;
  text: string;
  /** 0..1; null when the engine reports none. */
  confidence: number | null;
  /**
   * The engine's own speaker label within the channel (diarization clusters: 0, 1, …), when it
   * separates speakers in a mixed mono channel; absent otherwise.
   */
  cluster?: number;
}

export interface AsrRequest {
  /** One channel, 16 kHz mono float samples in [-1, 1] (see PCM_SAMPLE_RATE). */
  samples: Float32Array;
  /** Where the VAD found speech: only these stretches are decoded, never the silence between. */
  spans: TimeSpan[];
  /** Business terms to bias recognition toward, where the model type supports hotwords. */
  hotwords?: string[];
}

/**
 * A speech recogniser. Adapters: sherpa-onnx (SenseVoice, Paraformer, Whisper, Zipformer
 * transducer), pocketsphinx (English). test/contract/asr-engine.contract.ts holds what every
 * engine must do. Engines own their parallelism (a worker pool sized to the cores), so the
 * caller may hand several channels at once.
 */
export interface AsrEngine {
  /** e.g. `sherpa-onnx/sense-voice`, `pocketsphinx/en-us`; stored as the transcript's engine. */
  readonly name: string;
  /** Language the model transcribes (`zh`, `en`, …; `auto` for multilingual models). */
  readonly language: string;
  /**
   * Checks the model and binaries are usable without transcribing; throws CONFIG_INVALID or
   * DEPENDENCY_MISSING naming what is missing and how to fix it. Never exits the process.
   */
  check(): Promise<void>;
  /** One segment per span that held words (empty results are dropped), in time order. */
  transcribe(request: AsrRequest): Promise<AsrSegment[]>;
  close(): Promise<void>;
}
