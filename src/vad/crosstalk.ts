import type { TimeSpan } from '../domain/signals.js';
import type { ChannelActivity, SpeechSpan } from '../domain/voice-activity.js';
import { sliceBounds } from '../decode/pcm-audio.js';
import { loudness } from './loudness.js';
import { spansFromFrames } from './speech-spans.js';

/** Where a channel is this much quieter than another, what it carries may be the other side leaking in… */
export const CROSSTALK_MARGIN_DB = 18;
/** …unless it is about as loud as this side's own speech when alone: then it is someone talking over. */
export const OWN_SPEECH_MARGIN_DB = 6;
const WINDOW_MS = 50;
/** Solo speech needed before a channel's own level is trusted as the reference. */
const MIN_SOLO_MS = 1000;

/**
 * Removes "speech" that is only the other side leaking into a channel (line echo, a headset
 * picking up the speaker): a VAD hears a voice there, but it is the other party's, tens of dB
 * quieter. Left in, it becomes phantom turns, overlaps and interruptions, and the ASR transcribes
 * the other side twice. Within every span, a 50 ms window is leakage when another channel is
 * louder by at least CROSSTALK_MARGIN_DB there AND it is clearly (OWN_SPEECH_MARGIN_DB) quieter
 * than this channel's own speech where nobody else talks — lines differ in gain, so a quiet
 * line's real speech over a loud one must not be taken for echo. What remains is re-shaped like
 * VAD output. Someone really talking over the other side (an interruption) is
 * a few dB apart, not tens, and stays — even when the VAD merged it with the echo before it.
 * Pure (works on the decoded samples).
 */
export function dropCrosstalk(channels: ChannelActivity[], samples: Float32Array[]): { channels: ChannelActivity[]; crosstalkTrimmed: number } {
  if (channels.length < 2) return { channels, crosstalkTrimmed: 0 };
  let trimmed = 0;
  const out = channels.map((ch) => {
    const mine = samples[ch.channel]!;
    const otherChannels = channels.filter((o) => o !== ch && o.spans.length > 0);
    if (otherChannels.length === 0) return ch;
    const others = otherChannels.map((o) => samples[o.channel]!);
    const ownLevel = soloLevel(ch.spans, otherChannels.flatMap((o) => o.spans), mine);
    const spans: SpeechSpan[] = [];
    for (const span of ch.spans) {
      const kept = ownSpeech(span, mine, others, ownLevel);
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

/**
 * This channel's speech level where no other channel speaks (energy-averaged over 50 ms windows),
 * or null with less than MIN_SOLO_MS of it — a channel that only ever "speaks" while the other
 * does is all leakage or all talk-over, and the 18 dB rule alone decides.
 */
function soloLevel(spans: SpeechSpan[], otherSpans: TimeSpan[], mine: Float32Array): number | null {
  let energy = 0;
  let ms = 0;
  for (const s of spans) {
    for (let startMs = s.startMs; startMs < s.endMs; startMs += WINDOW_MS) {
      const endMs = Math.min(s.endMs, startMs + WINDOW_MS);
      if (otherSpans.some((o) => o.startMs < endMs && o.endMs > startMs)) continue;
      const level = loudness(mine, ...sliceBounds(startMs, endMs, mine.length)).rmsDbfs;
      if (level === null) continue;
      energy += (endMs - startMs) * 10 ** (level / 10);
      ms += endMs - startMs;
    }
  }
  return ms >= MIN_SOLO_MS ? 10 * Math.log10(energy / ms) : null;
}

function ownSpeech(span: SpeechSpan, mine: Float32Array, others: Float32Array[], ownLevel: number | null): TimeSpan[] {
  const n = Math.max(1, Math.ceil((span.endMs - span.startMs) / WINDOW_MS));
  const own = new Uint8Array(n);
  let leaked = false;
  for (let w = 0; w < n; w++) {
    const startMs = span.startMs + w * WINDOW_MS;
    const endMs = Math.min(span.endMs, startMs + WINDOW_MS);
    const level = loudness(mine, ...sliceBounds(startMs, endMs, mine.length)).rmsDbfs ?? -Infinity;
    const quietForThisLine = ownLevel === null || level <= ownLevel - OWN_SPEECH_MARGIN_DB;
    const louder = quietForThisLine && others.some((o) => (loudness(o, ...sliceBounds(startMs, endMs, o.length)).rmsDbfs ?? -Infinity) - level >= CROSSTALK_MARGIN_DB);
    own[w] = louder ? 0 : 1;
    if (louder) leaked = true;
  }
  if (!leaked) return [span];
  return spansFromFrames(own, WINDOW_MS, RESHAPE).map((s) => ({
    startMs: span.startMs + s.startMs,
    endMs: Math.min(span.endMs, span.startMs + s.endMs),
  }));
}
