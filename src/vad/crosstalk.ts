import type { TimeSpan } from '../domain/signals.js';
import type { ChannelActivity, SpeechSpan } from '../domain/voice-activity.js';
import { sliceBounds } from '../decode/pcm-audio.js';
import { loudness } from './loudness.js';
import { spansFromFrames } from './speech-spans.js';

/** Where a channel is this much quieter than another, what it carries is the other side leaking in. */
export const CROSSTALK_MARGIN_DB = 18;
const WINDOW_MS = 50;

/**
 * Removes "speech" that is only the other side leaking into a channel (line echo, a headset
 * picking up the speaker): a VAD hears a voice there, but it is the other party's, tens of dB
 * quieter. Left in, it becomes phantom turns, overlaps and interruptions, and the ASR transcribes
 * the other side twice. Within every span, 50 ms windows where another channel is louder by at
 * least CROSSTALK_MARGIN_DB are leakage; what remains is re-shaped like VAD output. Someone really talking over the other side (an interruption) is
 * a few dB apart, not tens, and stays — even when the VAD merged it with the echo before it.
 * Pure (works on the decoded samples).
 */
export function dropCrosstalk(channels: ChannelActivity[], samples: Float32Array[]): { channels: ChannelActivity[]; crosstalkTrimmed: number } {
  if (channels.length < 2) return { channels, crosstalkTrimmed: 0 };
  let trimmed = 0;
  const out = channels.map((ch) => {
    const mine = samples[ch.channel]!;
    const others = channels.filter((o) => o !== ch && o.spans.length > 0).map((o) => samples[o.channel]!);
    if (others.length === 0) return ch;
    const spans: SpeechSpan[] = [];
    for (const span of ch.spans) {
      const kept = ownSpeech(span, mine, others);
      if (kept.length === 1 && kept[0] === span) {
        spans.push(span);
        continue;
      }
      trimmed++;
      for (const k of kept) spans.push({ ...k, ...loudness(mine, ...sliceBounds(k.startMs, k.endMs, mine.length)) });
    }
    return { ...ch, spans };
  });
  return { channels: out, crosstalkTrimmed: trimmed };
}

/** What is left of a leaky span is shaped like VAD output: pauses under 300 ms bridged, speech under 250 ms dropped. */
const RESHAPE = { minSilenceMs: 300, minSpeechMs: 250, maxSpeechMs: Number.POSITIVE_INFINITY };

function ownSpeech(span: SpeechSpan, mine: Float32Array, others: Float32Array[]): TimeSpan[] {
  const n = Math.max(1, Math.ceil((span.endMs - span.startMs) / WINDOW_MS));
  const own = new Uint8Array(n);
  let leaked = false;
  for (let w = 0; w < n; w++) {
    const startMs = span.startMs + w * WINDOW_MS;
    const endMs = Math.min(span.endMs, startMs + WINDOW_MS);
    const level = loudness(mine, ...sliceBounds(startMs, endMs, mine.length)).rmsDbfs ?? -Infinity;
    const louder = others.some((o) => (loudness(o, ...sliceBounds(startMs, endMs, o.length)).rmsDbfs ?? -Infinity) - level >= CROSSTALK_MARGIN_DB);
    own[w] = louder ? 0 : 1;
    if (louder) leaked = true;
  }
  if (!leaked) return [span];
  return spansFromFrames(own, WINDOW_MS, RESHAPE).map((s) => ({
    startMs: span.startMs + s.startMs,
    endMs: Math.min(span.endMs, span.startMs + s.endMs),
  }));
}
