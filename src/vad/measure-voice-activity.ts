import type { Speaker } from '../domain/transcript.js';
import type { ChannelActivity, VoiceActivity } from '../domain/voice-activity.js';
import { sliceBounds, type PcmAudio } from '../decode/pcm-audio.js';
import type { VoiceActivityDetector } from '../ports/voice-activity-detector.js';
import { dropCrosstalk } from './crosstalk.js';
import { loudness } from './loudness.js';

/**
 * Voice activity of every channel with the given detector, with the loudness of every speech
 * span and of each channel, the other side's leakage removed (./crosstalk.ts). A channel silent
 * throughout simply has no spans.
 */
export async function measureVoiceActivity(
  pcm: PcmAudio,
  channelRoles: Speaker[],
  withVad: <T>(fn: (vad: VoiceActivityDetector) => Promise<T>) => Promise<T>,
): Promise<VoiceActivity> {
  const channels: ChannelActivity[] = [];
  let detector = '';
  for (const [channel, samples] of pcm.channels.entries()) {
    const spans = await withVad(async (vad) => {
      detector = vad.name;
      return vad.detect(samples);
    });
    channels.push({
      channel,
      speaker: channelRoles[channel] ?? 'unknown',
      spans: spans.map((s) => ({ ...s, ...loudness(samples, ...sliceBounds(s.startMs, s.endMs, samples.length)) })),
      loudness: loudness(samples),
    });
  }
  return { detector, durationMs: pcm.durationMs, ...dropCrosstalk(channels, pcm.channels) };
}
