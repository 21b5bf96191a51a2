/**
 * Tells the speakers apart in one mono channel (a call recorded as mono mixes agent and
 * customer). Implementation: sherpa-onnx (pyannote segmentation + speaker embeddings),
 * src/adapters/asr/sherpa-onnx/sherpa-onnx-diarizer.ts.
 */
export interface SpeakerDiarizer {
  readonly name: string;
  /**
   * Checks the models are usable without processing audio; throws CONFIG_INVALID or
   * DEPENDENCY_MISSING naming what is missing and how to fix it. Never exits the process.
   */
  check(): Promise<void>;
  /**
   * Who speaks when in 16 kHz mono samples: times in ms from the start, `speaker` a cluster
   * number (0, 1, …) with no meaning beyond "the same voice", sorted by start.
   */
  diarize(samples: Float32Array): Promise<Array<{ startMs: number; endMs: number; speaker: number }>>;
  close(): Promise<void>;
}
