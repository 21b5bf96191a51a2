/**
 * Speech synthesis: a voice per speaker, and each utterance synthesized with espeak-ng, resampled
 * to 8 kHz by ffmpeg, trimmed to its audible part and normalized.
 */
import { join } from 'node:path';
import type { CallScript } from '../../samples/call-scripts.js';
import { ESPEAK_VOICE, run } from './external-tools.js';
import { randInt } from './rng.js';
import { toSpeakablePinyin } from './speakable-pinyin.js';
import { SAMPLE_RATE } from './telephone-format.js';

export interface Voice {
  variant: string;
  speed: number;
  pitch: number;
  /** Peak level, 0..1: agents on a headset are louder than customers on a mobile. */
  peak: number;
}

/** Espeak variant per agent, so the same agent sounds the same across calls. */
const AGENT_VARIANTS: Record<string, string> = {
  A1001: 'f3', A1002: 'f4', A1003: 'm3', A1004: 'f2', A1005: 'f5', A1006: 'm2', A1007: 'f1', A1008: 'm4',
};
const CUSTOMER_VARIANTS = ['m1', 'm5', 'm6', 'm7', 'f4', 'f2'];

/**
 * Speeds are above espeak-ng's default (175): contact-center speech is brisk, and every second
 * costs 16 kB of the bundle.
 */
export function pickVoices(script: CallScript, rng: () => number): Record<'agent' | 'customer', Voice> {
  return {
    agent: { variant: AGENT_VARIANTS[script.agentId] ?? 'f3', speed: randInt(rng, 270, 285), pitch: randInt(rng, 55, 65), peak: 0.7 },
    customer: {
      variant: CUSTOMER_VARIANTS[randInt(rng, 0, CUSTOMER_VARIANTS.length - 1)] ?? 'm1',
      speed: randInt(rng, 250, 265),
      pitch: randInt(rng, 30, 40),
      peak: 0.55,
    },
  };
}

/** One utterance as 8 kHz mono samples, trimmed to where it is audible and normalized to `peak`. */
export function synthesize(text: string, voice: Voice, workDir: string): Int16Array {
  const wavPath = join(workDir, 'utterance.wav');
  const speakable = toSpeakablePinyin(text);
  // espeak-ng clips very short replies (没了 in ~0.2 s); people draw them out, and VADs drop blips.
  const speed = speakable.split(' ').length <= 4 ? Math.round(voice.speed * 0.7) : voice.speed;
  run('espeak-ng', ['-v', `${ESPEAK_VOICE}+${voice.variant}`, '-s', String(speed), '-p', String(voice.pitch), '-w', wavPath, speakable]);
  // Band-limit to the telephone band before trimming, so the trim sees what ends up in the call.
  const raw = run('ffmpeg', ['-v', 'error', '-i', wavPath, '-af', 'highpass=f=300,lowpass=f=3400', '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 's16le', 'pipe:1']);
  const samples = new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
  return normalize(trimSilence(samples), voice.peak);
}

/**
 * Cuts espeak-ng's padding and the faint decay after the last syllable (< −30 dB of the peak), so
 * a segment spans exactly the audible speech. 5 ms fades keep the cuts click-free.
 */
function trimSilence(samples: Int16Array, relThreshold = 0.03, fadeSamples = 40): Int16Array {
  let peak = 0;
  for (const s of samples) peak = Math.max(peak, Math.abs(s));
  const threshold = Math.max(1, peak * relThreshold);
  let first = 0;
  let last = samples.length - 1;
  while (first < samples.length && Math.abs(samples[first] ?? 0) < threshold) first++;
  while (last > first && Math.abs(samples[last] ?? 0) < threshold) last--;
  if (first >= samples.length) throw new Error('espeak-ng produced no audible speech');
  // The fades sit in the quiet just outside the speech, so they never soften an onset.
  const out = samples.slice(Math.max(0, first - fadeSamples), Math.min(samples.length, last + 1 + fadeSamples));
  const fade = Math.min(fadeSamples, Math.floor(out.length / 2));
  for (let i = 0; i < fade; i++) {
    const g = i / fade;
    out[i] = Math.round((out[i] ?? 0) * g);
    out[out.length - 1 - i] = Math.round((out[out.length - 1 - i] ?? 0) * g);
  }
  return out;
}

function normalize(samples: Int16Array, peak: number): Int16Array {
  let max = 1;
  for (const s of samples) max = Math.max(max, Math.abs(s));
  const gain = (peak * 32767) / max;
  return samples.map((s) => Math.round(s * gain));
}
