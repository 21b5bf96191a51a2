import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pcmWavHeader } from './wav-header.js';

/**
 * A synthetic English telephone call for end-to-end ASR tests: each line spoken by flite (agent
 * voice `slt`, customer `rms`, both 16 kHz), placed on its own channel of a stereo 16 kHz WAV
 * (left agent, right customer), with a deliberate 12 s of dead air and one interruption. The
 * truth (who spoke when, and the words) comes back with the file.
 */
export interface Line {
  speaker: 'agent' | 'customer';
  text: string;
  /** Start after the previous line ends (ms; negative = overlap), unless `atMsIntoPrevious` is set. */
  gapMs?: number;
  /** Start this long after the previous line STARTED (an interruption). */
  atMsIntoPrevious?: number;
}

export const SAMPLE_RATE = 16_000;

export const ENGLISH_CALL: Line[] = [
  { speaker: 'agent', text: 'Thank you for calling customer service. My name is Alice. How can I help you today?', gapMs: 500 },
  { speaker: 'customer', text: 'Hello. I would like to return a pair of shoes that I bought last week.', gapMs: 700 },
  { speaker: 'agent', text: 'I am sorry to hear that. Could you tell me why you want to return them?', gapMs: 600 },
  { speaker: 'customer', text: 'They are too small for me and the color is not what I expected.', gapMs: 700 },
  { speaker: 'agent', text: 'I understand. Please wait a moment while I check your order.', gapMs: 600 },
  { speaker: 'agent', text: 'Thank you for waiting. I can see your order in our system, and the return has been approved for you.', gapMs: 12_000 },
  { speaker: 'customer', text: 'Will I get the full refund?', atMsIntoPrevious: 2500 },
  { speaker: 'agent', text: 'Yes, you will get the full refund within five days.', gapMs: 800 },
  { speaker: 'customer', text: 'Great, thank you very much. Goodbye.', gapMs: 700 },
];

const VOICE = { agent: 'slt', customer: 'rms' } as const;

export interface PlacedLine extends Line {
  startMs: number;
  endMs: number;
}

/** What synthesizing and transcribing these calls needs, and how to install it. */
export const ASR_TOOLS_INSTALL = 'apt-get install -y flite sox pocketsphinx pocketsphinx-en-us';

/** flite and sox (to synthesize the call) and pocketsphinx_batch (to transcribe it) are installed. */
export function asrToolsAvailable(): boolean {
  return (
    spawnSync('flite', ['-lv'], { encoding: 'utf8' }).status === 0 &&
    spawnSync('sox', ['--version']).status === 0 &&
    spawnSync('pocketsphinx_batch', [], { stdio: 'ignore' }).error === undefined
  );
}

/** flite → 16 kHz mono samples with the leading and trailing quiet trimmed. */
function speak(text: string, voice: string, workDir: string, n: number): Int16Array {
  const file = path.join(workDir, `line${n}.wav`);
  const r = spawnSync('flite', ['-voice', voice, '-t', text, '-o', file]);
  if (r.status !== 0) throw new Error(`flite failed: ${r.stderr?.toString() ?? ''}`);
  const raw = spawnSync('sox', [file, '-t', 'raw', '-r', String(SAMPLE_RATE), '-e', 'signed', '-b', '16', '-c', '1', '-']).stdout;
  const pcm = new Int16Array(raw.buffer, raw.byteOffset, Math.floor(raw.byteLength / 2));
  let a = 0;
  let b = pcm.length;
  while (a < b && Math.abs(pcm[a]!) < 300) a++;
  while (b > a && Math.abs(pcm[b - 1]!) < 300) b--;
  return pcm.slice(a, b);
}

/**
 * What a real telephone line adds to each channel: hiss (white noise at `noiseDbfs` RMS) and the
 * other side leaking in (`crosstalkDb` below it) — so "silent" stretches are not digital zeros.
 */
export interface LineConditions {
  noiseDbfs: number;
  crosstalkDb: number;
}

/** A decent 4-wire recording: hiss at -60 dBFS, echo of the other side 30 dB down. */
export const TELEPHONE_LINE: LineConditions = { noiseDbfs: -60, crosstalkDb: -30 };

/** Writes `<workDir>/<name>.wav` and returns where each line landed. */
export function synthesizeCall(lines: Line[], workDir: string, name = 'english-call', line?: LineConditions): { wavPath: string; placed: PlacedLine[]; durationMs: number } {
  const audio = lines.map((l, i) => speak(l.text, VOICE[l.speaker], workDir, i));
  const placed: PlacedLine[] = [];
  let cursor = 0;
  lines.forEach((l, i) => {
    const prev = placed[i - 1];
    const startMs = l.atMsIntoPrevious !== undefined && prev ? prev.startMs + l.atMsIntoPrevious : cursor + (l.gapMs ?? 500);
    const endMs = startMs + Math.round((audio[i]!.length / SAMPLE_RATE) * 1000);
    placed.push({ ...l, startMs, endMs });
    cursor = Math.max(cursor, endMs);
  });
  const durationMs = cursor + 1000;
  const frames = Math.round((durationMs / 1000) * SAMPLE_RATE);
  const data = new Int16Array(frames * 2);
  placed.forEach((l, i) => {
    const ch = l.speaker === 'agent' ? 0 : 1;
    const at = Math.round((l.startMs / 1000) * SAMPLE_RATE);
    audio[i]!.forEach((v, k) => {
      if (at + k < frames) data[(at + k) * 2 + ch] = v;
    });
  });
  if (line) addLine(data, line);
  const body = Buffer.from(data.buffer);
  const wavPath = path.join(workDir, `${name}.wav`);
  writeFileSync(wavPath, Buffer.concat([pcmWavHeader({ sampleRate: SAMPLE_RATE, channels: 2, dataBytes: body.length }), body]));
  return { wavPath, placed, durationMs };
}

/** Lowercase words without punctuation, as an ASR engine writes them. */
export const words = (text: string) => text.toLowerCase().replace(/[^a-z' ]+/g, ' ').split(/\s+/).filter(Boolean);

/** Word edit distance (substitutions + insertions + deletions). */
export function wordEdits(ref: string[], hyp: string[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const cur = [i];
    for (let j = 1; j <= hyp.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[hyp.length]!;
}

function addLine(data: Int16Array, line: LineConditions): void {
  const clean = Int16Array.from(data);
  // Uniform noise in [-a/2, a/2] has RMS a/√12.
  const a = 32768 * 10 ** (line.noiseDbfs / 20) * Math.sqrt(12);
  const leak = 10 ** (line.crosstalkDb / 20);
  let state = 12345;
  const noise = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (state / 2 ** 31 - 0.5) * a;
  };
  for (let i = 0; i < data.length; i += 2) {
    data[i] = Math.max(-32768, Math.min(32767, Math.round(clean[i]! + leak * clean[i + 1]! + noise())));
    data[i + 1] = Math.max(-32768, Math.min(32767, Math.round(clean[i + 1]! + leak * clean[i]! + noise())));
  }
}
