import type { Config } from '../../config/config.js';
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

/** The configured detector (TINGJIAN_VAD): Silero by default, WebRTC VAD as the light fallback. */
export async function createVad(kind: 'silero' | 'webrtc', settings: VadSettings): Promise<VoiceActivityDetector> {
  return kind === 'webrtc' ? WebRtcVad.create(settings) : new SileroVad(settings);
}
