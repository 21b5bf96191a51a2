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
}
