/**
 * Types for the parts of sherpa-onnx-node@1.13.8 Tingjian uses (the package ships JSDoc only;
 * see node_modules/sherpa-onnx-node/types.js for the full config shapes).
 */
declare module 'sherpa-onnx-node' {
  export interface SileroVadModelConfig {
    model: string;
    threshold?: number;
    minSilenceDuration?: number;
    minSpeechDuration?: number;
    windowSize?: number;
    maxSpeechDuration?: number;
  }
  export interface VadConfig {
    sileroVad: SileroVadModelConfig;
    sampleRate?: number;
    numThreads?: number;
    provider?: string;
    debug?: boolean | number;
  }
  export interface SpeechSegment {
    /** First sample of the segment, counted from the first sample ever accepted. */
    start: number;
    samples: Float32Array;
  }
  export class Vad {
    constructor(config: VadConfig, bufferSizeInSeconds: number);
    acceptWaveform(samples: Float32Array): void;
    isEmpty(): boolean;
    isDetected(): boolean;
    pop(): void;
    clear(): void;
    front(enableExternalBuffer?: boolean): SpeechSegment;
    reset(): void;
    flush(): void;
  }

  // Offline (non-streaming) speech recognition: non-streaming-asr.js. Only the fields Tingjian
  // sets are declared; the native addon ignores absent ones.
  export interface OfflineFeatureConfig {
    sampleRate?: number;
    featureDim?: number;
  }
  export interface OfflineModelConfig {
    transducer?: { encoder: string; decoder: string; joiner: string };
    paraformer?: { model: string };
    whisper?: { encoder: string; decoder: string; language?: string; task?: string; tailPaddings?: number };
    senseVoice?: { model: string; language?: string; useInverseTextNormalization?: number };
    tokens: string;
    numThreads?: number;
    debug?: boolean | number;
    provider?: string;
    /** How hotwords are split into tokens: cjkchar, bpe or cjkchar+bpe (bpe needs bpeVocab). */
    modelingUnit?: string;
    bpeVocab?: string;
  }
  export interface OfflineRecognizerConfig {
    featConfig?: OfflineFeatureConfig;
    modelConfig: OfflineModelConfig;
    /** greedy_search (default) or modified_beam_search (transducer only; needed for hotwords). */
    decodingMethod?: string;
    maxActivePaths?: number;
    hotwordsFile?: string;
    hotwordsScore?: number;
  }
  /** What getResult() parses from the native JSON; which fields are filled depends on the model. */
  export interface OfflineRecognizerResult {
    text: string;
    lang?: string;
    emotion?: string;
    event?: string;
    tokens?: string[];
    timestamps?: number[];
    ys_log_probs?: number[];
  }
  export class OfflineStream {
    acceptWaveform(wave: { samples: Float32Array; sampleRate: number }): void;
  }
  export class OfflineRecognizer {
    constructor(config: OfflineRecognizerConfig);
    /** Loads without blocking; rejects (instead of aborting the process) when ONNX Runtime cannot load a model. */
    static createAsync(config: OfflineRecognizerConfig): Promise<OfflineRecognizer>;
    /** `hotwords`: phrases separated by '/'; transducer + modified_beam_search only. */
    createStream(hotwords?: string): OfflineStream;
    decode(stream: OfflineStream): void;
    getResult(stream: OfflineStream): OfflineRecognizerResult;
  }

  // Offline speaker diarization: non-streaming-speaker-diarization.js.
  export interface OfflineSpeakerDiarizationConfig {
    segmentation: { pyannote: { model: string }; numThreads?: number; debug?: boolean | number; provider?: string };
    embedding: { model: string; numThreads?: number; debug?: boolean | number; provider?: string };
    /** numClusters > 0 fixes the speaker count; otherwise `threshold` decides. */
    clustering: { numClusters?: number; threshold?: number };
    /** Seconds: shorter segments are dropped. */
    minDurationOn?: number;
    /** Seconds: shorter gaps between segments of one speaker are closed. */
    minDurationOff?: number;
  }
  export interface SpeakerDiarizationSegment {
    /** Seconds. */
    start: number;
    end: number;
    speaker: number;
  }
  export class OfflineSpeakerDiarization {
    constructor(config: OfflineSpeakerDiarizationConfig);
    readonly sampleRate: number;
    process(samples: Float32Array): SpeakerDiarizationSegment[];
  }

  export const version: string;
}
