import type { Config } from '../../../config/config.js';
import type { SpeakerDiarizer } from '../../../ports/speaker-diarizer.js';
import { SherpaOnnxAsrEngine } from './sherpa-onnx-asr-engine.js';
import { SherpaOnnxDiarizer } from './sherpa-onnx-diarizer.js';

export interface SherpaOnnxFactoryOptions {
  /** Where the engine reports choices made for the user (type detected, hotwords ignored). */
  log?: (message: string) => void;
}

/** The sherpa-onnx engine for the configured model folder; nothing is loaded until check() or transcribe(). */
export function createSherpaOnnxAsrEngine(config: Config, options: SherpaOnnxFactoryOptions = {}): SherpaOnnxAsrEngine {
  return new SherpaOnnxAsrEngine({
    modelDir: config.asrModelDir,
    modelType: config.asrModelType,
    language: config.asrLanguage,
    ...(config.asrThreads ? { threads: config.asrThreads } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}

/**
 * The diarizer for mono calls, or null when neither diarization model is configured. With only
 * one of the two set, check() says which setting is missing.
 */
export function createSherpaOnnxDiarizer(config: Config): SpeakerDiarizer | null {
  if (!config.diarizationSegmentationModel && !config.diarizationEmbeddingModel) return null;
  return new SherpaOnnxDiarizer({ segmentationModel: config.diarizationSegmentationModel, embeddingModel: config.diarizationEmbeddingModel, numSpeakers: 2 });
}
