import type { Config } from '../../config/config.js';
import { TingjianError } from '../../domain/errors.js';
import type { VadSettings, VoiceActivityDetector } from '../../ports/voice-activity-detector.js';
import { SileroVad } from './silero-vad.js';
import { WebRtcVad } from './webrtc-vad.js';

export function vadSettingsFrom(config: Config): VadSettings {
  return {
    threshold: config.vadThreshold,
    minSilenceMs: config.vadMinSilenceMs,
    minSpeechMs: config.vadMinSpeechMs,
    maxSpeechMs: config.vadMaxSpeechMs,
    webrtcMode: config.webrtcVadMode as VadSettings['webrtcMode'],
  };
}

/**
 * The configured detector (TINGJIAN_VAD): Silero by default; WebRTC VAD when asked for, and as
 * the fallback when sherpa-onnx's native addon cannot load on this machine (no prebuilt binary
 * for the platform) — audio is still measured, and the log says why and how to fix it.
 */
export async function createVad(kind: 'silero' | 'webrtc', settings: VadSettings, warn?: (message: string) => void): Promise<VoiceActivityDetector> {
  if (kind === 'webrtc') return WebRtcVad.create(settings);
  try {
    return new SileroVad(settings);
  } catch (e) {
    if (!(e instanceof TingjianError) || e.code !== 'DEPENDENCY_MISSING') throw e;
    warn?.(`Silero VAD unavailable, using WebRTC VAD instead: ${e.message}`);
    return WebRtcVad.create(settings);
  }
}
