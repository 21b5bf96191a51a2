import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Sherpa from 'sherpa-onnx-node';
import { TingjianError } from '../../domain/errors.js';
import type { TimeSpan } from '../../domain/signals.js';
import { splitLongSpans } from '../../vad/speech-spans.js';
import { PCM_SAMPLE_RATE, type VadSettings, type VoiceActivityDetector } from '../../ports/voice-activity-detector.js';

/** The Silero VAD v5 model shipped in models/silero-vad/ (MIT, Silero Team; see its LICENSE). */
export const BUNDLED_SILERO_MODEL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../models/silero-vad/silero_vad.onnx');

/**
 * Silero takes 512-sample windows at 16 kHz, and they must be fed one window per call: sherpa-onnx
 * 1.13.8 misplaces segments when handed larger chunks (measured on the bundled samples: spans
 * ~1.1 s late and merged across pauses with 30,720-sample chunks, exact with 512).
 */
const WINDOW = 512;

/**
 * Silero VAD through sherpa-onnx-node's native VAD (~280× real time per channel on one core
 * here). sherpa-onnx applies the minimum silence and speech durations itself.
 */
export class SileroVad implements VoiceActivityDetector {
  readonly name = 'silero';
  private readonly vad: Sherpa.Vad;
  private readonly maxSpeechMs: number;

  constructor(settings: VadSettings, modelPath: string = BUNDLED_SILERO_MODEL) {
    if (!existsSync(modelPath)) {
      throw new TingjianError('CONFIG_INVALID', `Silero VAD model not found at ${modelPath}; reinstall Tingjian (the model ships in models/silero-vad/) or set TINGJIAN_VAD=webrtc`);
    }
    this.maxSpeechMs = settings.maxSpeechMs;
    const sherpa = loadSherpa();
    this.vad = new sherpa.Vad(
      {
        sileroVad: {
          model: modelPath,
          threshold: settings.threshold,
          minSilenceDuration: settings.minSilenceMs / 1000,
          minSpeechDuration: settings.minSpeechMs / 1000,
          maxSpeechDuration: settings.maxSpeechMs / 1000,
          windowSize: WINDOW,
        },
        sampleRate: PCM_SAMPLE_RATE,
        numThreads: 1,
        debug: 0,
      },
      // The buffer must hold the longest pending segment; spans are popped as they complete.
      Math.max(60, (settings.maxSpeechMs / 1000) * 2),
    );
  }

  async detect(samples: Float32Array): Promise<TimeSpan[]> {
    const vad = this.vad;
    vad.reset();
    const spans: TimeSpan[] = [];
    const drain = () => {
      while (!vad.isEmpty()) {
        const seg = vad.front(false);
        spans.push({ startMs: Math.round((seg.start / PCM_SAMPLE_RATE) * 1000), endMs: Math.round(((seg.start + seg.samples.length) / PCM_SAMPLE_RATE) * 1000) });
        vad.pop();
      }
    };
    for (let i = 0, n = 0; i < samples.length; i += WINDOW, n++) {
      vad.acceptWaveform(samples.subarray(i, Math.min(samples.length, i + WINDOW)));
      drain();
      // Yield every ~30 s of audio (~100 ms of work) so heartbeats and HTTP requests get through.
      if (n % 1000 === 999) await new Promise<void>((r) => setImmediate(r));
    }
    vad.flush();
    drain();
    // sherpa-onnx's maxSpeechDuration is a soft hint (spans of 2× it were seen): enforce it here.
    return splitLongSpans(spans, this.maxSpeechMs);
  }

  close(): void {
    // The native handle is released by the garbage collector; nothing to free eagerly.
  }
}

let sherpaModule: typeof Sherpa | null = null;

/** sherpa-onnx-node is CommonJS with a native addon; load it once, with an error that says what to do. */
export function loadSherpa(): typeof Sherpa {
  if (sherpaModule) return sherpaModule;
  try {
    sherpaModule = createRequire(import.meta.url)('sherpa-onnx-node') as typeof Sherpa;
    return sherpaModule;
  } catch (e) {
    throw new TingjianError(
      'DEPENDENCY_MISSING',
      `cannot load sherpa-onnx-node (${(e as Error).message}); run \`npm install\` (it ships prebuilt binaries for linux-x64/arm64, macOS and Windows) or set TINGJIAN_VAD=webrtc`,
      undefined,
      { cause: e },
    );
  }
}
