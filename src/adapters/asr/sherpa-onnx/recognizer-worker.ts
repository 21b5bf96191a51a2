import type { OfflineRecognizerConfig } from 'sherpa-onnx-node';
import { WorkerPool } from '../../../platform/worker-pool.js';
import { PCM_SAMPLE_RATE } from '../../../ports/voice-activity-detector.js';
import type { DecodedPiece } from './recognition-result.js';
import { sherpaOnnxEntry } from './sherpa-onnx-native.js';

export interface RecognizerWorkerData {
  sherpaEntry: string;
  config: OfflineRecognizerConfig;
  sampleRate: number;
  /** Longer audio is decoded in pieces of this many samples. */
  maxSamples: number;
  /** Shorter pieces are padded with silence to this many samples. */
  minSamples: number;
}

export interface DecodeRequest {
  samples: Float32Array;
  /** Phrases joined by '/', for transducers decoding with modified_beam_search; absent otherwise. */
  hotwords?: string;
}

/**
 * Offline models are trained on utterances of up to ~30 s (Whisper reads only the first 30 s of
 * what it is given), so longer spans are decoded in 28 s pieces.
 */
export const MAX_PIECE_SAMPLES = 28 * PCM_SAMPLE_RATE;

/**
 * Very short inputs crash some encoders (negative shapes after subsampling), so pieces under one
 * second are padded with trailing silence; the span keeps its real times.
 */
export const MIN_PIECE_SAMPLES = PCM_SAMPLE_RATE;

/**
 * One recognizer per thread, loaded once, decoding one span per task (see WorkerPool). The
 * recognizer is made with createAsync, not `new`: on a file ONNX Runtime cannot load, the
 * constructor throws a C++ exception that aborts the whole process, while createAsync rejects —
 * the task then fails with that message (phase 'setup').
 */
const RECOGNIZER_SETUP_SOURCE = `(data) => {
  const { OfflineRecognizer } = require(data.sherpaEntry);
  return OfflineRecognizer.createAsync(data.config).then((recognizer) => ({ samples, hotwords }) => {
    const pieces = [];
    for (let from = 0; from < samples.length; from += data.maxSamples) {
      let piece = samples.subarray(from, Math.min(samples.length, from + data.maxSamples));
      if (piece.length < data.minSamples) {
        const padded = new Float32Array(data.minSamples);
        padded.set(piece);
        piece = padded;
      }
      const stream = hotwords ? recognizer.createStream(hotwords) : recognizer.createStream();
      stream.acceptWaveform({ samples: piece, sampleRate: data.sampleRate });
      recognizer.decode(stream);
      const r = recognizer.getResult(stream);
      pieces.push({ text: typeof r.text === 'string' ? r.text : '', logProbs: Array.isArray(r.ys_log_probs) ? r.ys_log_probs : [] });
    }
    return pieces;
  });
}`;

/** Threads that each hold one recognizer for `config` (numThreads 1 per thread: the pool is the parallelism). */
export function startRecognizerWorkers(config: OfflineRecognizerConfig, threads: number): WorkerPool<DecodeRequest, DecodedPiece[]> {
  const workerData: RecognizerWorkerData = {
    sherpaEntry: sherpaOnnxEntry(),
    config,
    sampleRate: PCM_SAMPLE_RATE,
    maxSamples: MAX_PIECE_SAMPLES,
    minSamples: MIN_PIECE_SAMPLES,
  };
  return new WorkerPool<DecodeRequest, DecodedPiece[]>({ name: 'sherpa-onnx recognizer', setupSource: RECOGNIZER_SETUP_SOURCE, workerData, size: threads });
}
