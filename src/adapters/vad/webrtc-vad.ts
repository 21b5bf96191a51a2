import createFvad, { type FvadModule } from '@echogarden/fvad-wasm';
import type { TimeSpan } from '../../domain/signals.js';
import { spansFromFrames } from '../../vad/speech-spans.js';
import { PCM_SAMPLE_RATE, type VadSettings, type VoiceActivityDetector } from '../../ports/voice-activity-detector.js';

const FRAME_MS = 30;
const FRAME = (PCM_SAMPLE_RATE * FRAME_MS) / 1000;

let fvadModule: Promise<FvadModule> | null = null;

/**
 * WebRTC VAD (libfvad as WebAssembly): a light fallback that needs no model file. A GMM on
 * band energies, so it calls loud noise speech more often than Silero does; bench/audio.bench.ts
 * reports how often the two agree.
 */
export class WebRtcVad implements VoiceActivityDetector {
  readonly name = 'webrtc';
  private constructor(
    private readonly m: FvadModule,
    private readonly inst: number,
    private readonly frame: number,
    private readonly settings: VadSettings,
  ) {}

  static async create(settings: VadSettings): Promise<WebRtcVad> {
    const m = await (fvadModule ??= createFvad());
    const inst = m._fvad_new();
    if (!inst) throw new Error('WebRTC VAD: fvad_new failed (out of memory)');
    if (m._fvad_set_sample_rate(inst, PCM_SAMPLE_RATE) !== 0 || m._fvad_set_mode(inst, settings.webrtcMode) !== 0) {
      m._fvad_free(inst);
      throw new Error(`WebRTC VAD: mode ${settings.webrtcMode} or rate ${PCM_SAMPLE_RATE} refused`);
    }
    return new WebRtcVad(m, inst, m._malloc(FRAME * 2), settings);
  }

  async detect(samples: Float32Array): Promise<TimeSpan[]> {
    const { m, inst, frame } = this;
    // fvad_reset also resets the mode and the sample rate (to 8 kHz): set both again.
    m._fvad_reset(inst);
    m._fvad_set_sample_rate(inst, PCM_SAMPLE_RATE);
    m._fvad_set_mode(inst, this.settings.webrtcMode);
    const frames = Math.floor(samples.length / FRAME);
    const decisions = new Uint8Array(frames);
    const pcm = new Int16Array(FRAME);
    for (let f = 0; f < frames; f++) {
      const base = f * FRAME;
      for (let i = 0; i < FRAME; i++) {
        const v = samples[base + i]! * 32768;
        pcm[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
      // HEAP16 may be replaced when the wasm memory grows; read it each time.
      m.HEAP16.set(pcm, frame >> 1);
      const verdict = m._fvad_process(inst, frame, FRAME);
      if (verdict < 0) throw new Error(`WebRTC VAD rejected a ${FRAME}-sample frame at ${PCM_SAMPLE_RATE} Hz`);
      decisions[f] = verdict;
      // Let other work (heartbeats, HTTP) run every ~30 s of audio.
      if (f % 1000 === 999) await new Promise<void>((r) => setImmediate(r));
    }
    return spansFromFrames(decisions, FRAME_MS, this.settings);
  }

  close(): void {
    this.m._free(this.frame);
    this.m._fvad_free(this.inst);
  }
}
