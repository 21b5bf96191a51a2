/**
 * Generates the bundled sample calls: `samples/calls/<externalId>.wav` + `<externalId>.json`
 * from the dialogues in `samples/call-scripts.ts`.
 *
 *   npm run samples:generate            # writes samples/calls/
 *   npx tsx scripts/generate-samples.ts --out /tmp/calls
 *
 * Each utterance is synthesized with espeak-ng (Mandarin read from tone-numbered pinyin, because
 * the stock `cmn` dictionary lacks most characters), resampled to 8 kHz by ffmpeg, trimmed to its
 * audible part and laid on a timeline. The mix is a stereo telephone recording — agent left,
 * customer right, 8 kHz G.711 μ-law — and the sidecar's segments are exactly where each utterance
 * was placed. All timing choices come from a PRNG seeded by the call id, so the JSON is
 * reproducible; the WAV is too, as long as espeak-ng and ffmpeg are the same versions.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { customPinyin, pinyin } from 'pinyin-pro';
import { callInputSchema, type CallInput } from '../src/ingest/call-input.schema.js';
import { CALL_SCRIPTS, type CallScript, type Problem, type ScriptTurn } from '../samples/call-scripts.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_OUT_DIR = join(REPO_ROOT, 'samples', 'calls');

const SAMPLE_RATE = 8000;
const SAMPLES_PER_MS = SAMPLE_RATE / 1000;
/** Stereo μ-law is 16 kB/s; the bundle ships in the npm package, so keep it small. */
const MAX_TOTAL_BYTES = 10_000_000;
const ESPEAK_VOICE = 'cmn-latn-pinyin';
const INSTALL_HINT = 'apt-get install -y espeak-ng ffmpeg';

// ───────────────────────────── deterministic randomness ─────────────────────────────

/** FNV-1a, so each call's seed depends only on its id (adding a call does not reshuffle others). */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast and identical on every platform, unlike Math.random. */
function makeRng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const randInt = (rng: () => number, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

// ───────────────────────────── text → pinyin for espeak-ng ─────────────────────────────

const CN_DIGITS = '零一二三四五六七八九';

/** 0 ≤ n < 10000 in Chinese numerals, with the 零 rules (1001 → 一千零一, 1100 → 一千一百). */
function under10k(n: number): string {
  const units = ['', '十', '百', '千'];
  const s = String(n);
  let out = '';
  let pendingZero = false;
  for (let i = 0; i < s.length; i++) {
    const d = Number(s[i]);
    if (d === 0) {
      pendingZero = out.length > 0;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += CN_DIGITS[d] + (units[s.length - 1 - i] ?? '');
  }
  return out || '零';
}

/** Cardinal reading of an integer below 10^8; 10–19 read 十X as people say them. */
function cardinal(n: number): string {
  const high = Math.floor(n / 10000);
  const low = n % 10000;
  let out = high > 0 ? `${under10k(high)}万${low === 0 ? '' : (low < 1000 ? '零' : '') + under10k(low)}` : under10k(low);
  if (out.startsWith('一十')) out = out.slice(1);
  return out;
}

/** Digit by digit, as numbers are read on the phone; 1 is 幺 so it is not confused with 7. */
function digitByDigit(digits: string, one = '幺'): string {
  return [...digits].map((d) => (d === '1' ? one : CN_DIGITS[Number(d)])).join('');
}

/**
 * How a Chinese speaker reads the digits in `text`: percentages and decimals as numbers, amounts
 * (…元/块) as numbers, long digit strings (order, phone, ID numbers) digit by digit, short ones
 * (3天, 9月10号) as numbers.
 */
function readNumbersAloud(text: string): string {
  return text
    .replace(/(\d+)(?:\.(\d+))?%/g, (_m, int: string, frac?: string) => `百分之${cardinal(Number(int))}${frac ? `点${digitByDigit(frac, '一')}` : ''}`)
    .replace(/(\d+)\.(\d+)/g, (_m, int: string, frac: string) => `${cardinal(Number(int))}点${digitByDigit(frac, '一')}`)
    .replace(/\d+/g, (digits: string, offset: number, whole: string) => {
      const next = whole[offset + digits.length] ?? '';
      if (digits.length >= 4 && next === '年') return digitByDigit(digits, '一');
      if (digits.length >= 4 && !/[元块万]/.test(next)) return digitByDigit(digits);
      return cardinal(Number(digits));
    });
}

/** Words pinyin-pro's segmenter reads wrongly in these dialogues (没收 "confiscate" in 没收到). */
customPinyin({ 没收到: 'méi shōu dào' });

/** Chinese punctuation → the ASCII punctuation espeak-ng uses for pauses and intonation. */
const PUNCTUATION: Record<string, string> = {
  '，': ',', '、': ',', '；': ',', '：': ',', '…': ',', ',': ',',
  '。': '.', '！': '.', '.': '.', '!': '.',
  '？': '?', '?': '?',
  '“': '', '”': '', '‘': '', '’': '', '（': '', '）': '', '《': '', '》': '', '—': '', '·': '',
};

/**
 * Tone-numbered pinyin for espeak-ng's `cmn-latn-pinyin` voice. Anything else (Latin letters,
 * symbols) has no sensible reading, so it is an error: give the turn a `say` instead.
 */
function toSpeakablePinyin(text: string): string {
  const tokens = pinyin(readNumbersAloud(text), { toneType: 'num', type: 'array', v: true, nonZh: 'consecutive' });
  const words: string[] = [];
  for (const token of tokens) {
    if (/^[a-z]+[0-5]$/.test(token)) {
      // pinyin-pro marks the neutral tone 0; espeak-ng expects 5.
      words.push(token.replace(/0$/, '5'));
      continue;
    }
    for (const ch of token) {
      if (/\s/.test(ch)) continue;
      const p = PUNCTUATION[ch];
      if (p === undefined) throw new Error(`cannot read "${ch}" aloud in "${text}" — give the turn a \`say\``);
      if (p && words.length > 0) words[words.length - 1] += p;
    }
  }
  return words.join(' ');
}

// ───────────────────────────── external tools ─────────────────────────────

function run(cmd: string, args: string[], input?: Buffer): Buffer {
  const res = spawnSync(cmd, args, { input, maxBuffer: 256 * 1024 * 1024 });
  if (res.error) throw res.error;
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr.toString().trim()}`);
  return res.stdout;
}

/** Fails fast, with the install command, when a tool is missing — not halfway through the set. */
function requireTools(): void {
  const missing: string[] = [];
  for (const [cmd, arg] of [['espeak-ng', '--version'], ['ffmpeg', '-version']] as const) {
    const res = spawnSync(cmd, [arg]);
    if (res.error || res.status !== 0) missing.push(cmd);
  }
  if (missing.length === 0) {
    const voices = spawnSync('espeak-ng', [`--voices=${ESPEAK_VOICE}`]).stdout?.toString() ?? '';
    if (!voices.includes(ESPEAK_VOICE)) missing.push(`espeak-ng voice ${ESPEAK_VOICE}`);
  }
  if (missing.length > 0) {
    console.error(`generate-samples: missing ${missing.join(', ')}. Install with: ${INSTALL_HINT}`);
    process.exit(1);
  }
}

// ───────────────────────────── audio ─────────────────────────────

interface Voice {
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
function pickVoices(script: CallScript, rng: () => number): Record<'agent' | 'customer', Voice> {
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
function synthesize(text: string, voice: Voice, workDir: string): Int16Array {
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

interface PlacedUtterance {
  turn: ScriptTurn;
  startSample: number;
  samples: Int16Array;
}

/**
 * Lays the utterances on a timeline: a short lead-in, 300–900 ms between turns, the scripted
 * gap where a turn has `gapBeforeMs`, and an early start where a turn has `overlapMs`.
 */
function layOut(script: CallScript, audio: Int16Array[], rng: () => number): { placed: PlacedUtterance[]; totalSamples: number } {
  const placed: PlacedUtterance[] = [];
  const leadInMs = randInt(rng, 300, 600);
  let prevStartMs = 0;
  let prevEndMs = 0;
  script.turns.forEach((turn, i) => {
    const samples = audio[i];
    if (!samples) throw new Error(`${script.externalId}: no audio for turn ${i}`);
    const durMs = Math.ceil(samples.length / SAMPLES_PER_MS);
    const gapMs = randInt(rng, 300, 900); // drawn for every turn so scripted gaps don't shift later ones
    let startMs: number;
    if (i === 0) startMs = leadInMs;
    else if (turn.overlapMs !== undefined) startMs = prevEndMs - turn.overlapMs;
    else startMs = prevEndMs + (turn.gapBeforeMs ?? gapMs);
    // An interruption must land inside the previous turn, or segment order would no longer be turn order.
    if (startMs <= prevStartMs) throw new Error(`${script.externalId}: turn ${i} overlaps more than the whole previous turn`);
    placed.push({ turn, startSample: startMs * SAMPLES_PER_MS, samples });
    prevStartMs = startMs;
    // An interrupted speaker keeps talking, so the timeline continues from whoever finishes last.
    prevEndMs = Math.max(prevEndMs, startMs + durMs);
  });
  const tailMs = randInt(rng, 300, 500);
  return { placed, totalSamples: (prevEndMs + tailMs) * SAMPLES_PER_MS };
}

/** Interleaved 16-bit stereo: agent on the left channel, customer on the right. */
function mixStereo(placed: PlacedUtterance[], totalSamples: number, rng: () => number): Buffer {
  const mix = new Int16Array(totalSamples * 2);
  // A faint line-noise floor (≈ −60 dBFS): real calls are never digitally silent.
  for (let i = 0; i < mix.length; i++) mix[i] = randInt(rng, -30, 30);
  for (const { turn, startSample, samples } of placed) {
    const channel = turn.speaker === 'agent' ? 0 : 1;
    for (let j = 0; j < samples.length; j++) {
      const k = (startSample + j) * 2 + channel;
      mix[k] = Math.max(-32768, Math.min(32767, (mix[k] ?? 0) + (samples[j] ?? 0)));
    }
  }
  return Buffer.from(mix.buffer, mix.byteOffset, mix.byteLength);
}

/** Encodes G.711 μ-law; -bitexact and no metadata keep the header stable across ffmpeg builds. */
function encodeMulawWav(pcm: Buffer, outPath: string): void {
  run(
    'ffmpeg',
    ['-v', 'error', '-y', '-f', 's16le', '-ar', String(SAMPLE_RATE), '-ac', '2', '-i', 'pipe:0',
      '-c:a', 'pcm_mulaw', '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:a', '+bitexact', outPath],
    pcm,
  );
}

/** Reads the fmt and data chunks back, to prove the file is what the sidecar claims. */
function inspectWav(path: string): { formatTag: number; channels: number; sampleRate: number; durationMs: number } {
  const buf = readFileSync(path);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path}: not a WAV file`);
  let offset = 12;
  let fmt: { formatTag: number; channels: number; sampleRate: number; blockAlign: number } | undefined;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      fmt = { formatTag: buf.readUInt16LE(offset + 8), channels: buf.readUInt16LE(offset + 10), sampleRate: buf.readUInt32LE(offset + 12), blockAlign: buf.readUInt16LE(offset + 20) };
    } else if (id === 'data' && fmt) {
      const frames = size / fmt.blockAlign;
      return { formatTag: fmt.formatTag, channels: fmt.channels, sampleRate: fmt.sampleRate, durationMs: Math.round((frames * 1000) / fmt.sampleRate) };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no fmt/data chunk`);
}

// ───────────────────────────── script checks ─────────────────────────────

const GREETING = /您好/;
const CLOSING = /还有什么可以帮您|感谢您的(来电|接听)/;
const HOLD_NOTICE = /请(您)?稍等/;
const FORBIDDEN = ['这不是我们的问题', '你自己查', '大家都这样'];
const ANGER = /生气|等了三天|太过分/;
const EMPATHY = /抱歉|理解|不好意思|别着急|请您谅解/;
const PII = /(?<!\d)(1[3-9]\d{9}|\d{17}[\dX])(?!\d)/;
const DISCLOSURE = /理财有风险/;
const PRODUCT_TALK = /收益|理财|基金/;
const LONG_SILENCE_MS = 12_000;

/**
 * Recomputes what each label claims from the dialogue, so a script edit cannot silently leave
 * a wrong ground-truth label behind. These are checks of the sample data, not the product's rules.
 */
function checkLabels(script: CallScript): void {
  const agentTurns = script.turns.filter((t) => t.speaker === 'agent');
  const lastAgent = agentTurns.slice(-2).map((t) => t.text).join('');
  const found = new Set<Problem>();
  if (!GREETING.test(agentTurns[0]?.text ?? '')) found.add('no_greeting');
  if (!CLOSING.test(lastAgent)) found.add('no_closing');
  if (agentTurns.some((t) => FORBIDDEN.some((f) => t.text.includes(f)))) found.add('forbidden_phrase');
  if (agentTurns.some((t) => PII.test(t.text))) found.add('pii_read_aloud');
  if (script.turns.some((t) => t.overlapMs !== undefined)) found.add('interruption');
  const productTalk = script.turns.some((t) => PRODUCT_TALK.test(t.text)) && script.businessLine === '金融';
  if (productTalk && !agentTurns.some((t) => DISCLOSURE.test(t.text))) found.add('missing_disclosure');
  script.turns.forEach((t, i) => {
    const prev = script.turns[i - 1];
    if ((t.gapBeforeMs ?? 0) >= LONG_SILENCE_MS && !(prev?.speaker === 'agent' && HOLD_NOTICE.test(prev.text))) found.add('long_silence');
    if (t.speaker === 'customer' && ANGER.test(t.text)) {
      const reply = script.turns.slice(i + 1).find((r) => r.speaker === 'agent');
      if (reply && !EMPATHY.test(reply.text)) found.add('anger_without_empathy');
    }
  });
  const expected = [...script.problems].sort().join(',');
  const actual = [...found].sort().join(',');
  if (expected !== actual) throw new Error(`${script.externalId}: labelled [${expected}] but the dialogue shows [${actual}]`);
  if (script.turns.length < 6 || script.turns.length > 14) throw new Error(`${script.externalId}: ${script.turns.length} turns, want 6–14`);
}

// ───────────────────────────── one call ─────────────────────────────

function buildSidecar(script: CallScript, placed: PlacedUtterance[], durationMs: number): CallInput {
  const sidecar: CallInput = {
    externalId: script.externalId,
    channel: 'phone',
    direction: script.direction,
    startedAt: script.startedAt,
    durationMs,
    agentId: script.agentId,
    teamId: script.teamId,
    businessLine: script.businessLine,
    customerPhone: script.customerPhone,
    customerTags: script.customerTags,
    consultType: script.consultType,
    language: 'zh-CN',
    channelRoles: ['agent', 'customer'],
    extra: { scenario: script.scenario, problems: script.problems.length > 0 ? script.problems.join(',') : 'none' },
    segments: placed
      .map(({ turn, startSample, samples }) => ({
        speaker: turn.speaker,
        startMs: Math.round(startSample / SAMPLES_PER_MS),
        endMs: Math.round((startSample + samples.length) / SAMPLES_PER_MS),
        text: turn.text,
      }))
      .sort((x, y) => x.startMs - y.startMs),
  };
  return callInputSchema.parse(sidecar);
}

function generateCall(script: CallScript, outDir: string, workDir: string): { durationMs: number; bytes: number } {
  const rng = makeRng(hashString(script.externalId));
  const voices = pickVoices(script, rng);
  const audio = script.turns.map((t) => synthesize(t.say ?? t.text, voices[t.speaker], workDir));
  const { placed, totalSamples } = layOut(script, audio, rng);

  const wavPath = join(outDir, `${script.externalId}.wav`);
  encodeMulawWav(mixStereo(placed, totalSamples, rng), wavPath);
  const wav = inspectWav(wavPath);
  if (wav.formatTag !== 7 || wav.channels !== 2 || wav.sampleRate !== SAMPLE_RATE) {
    throw new Error(`${wavPath}: expected stereo 8 kHz μ-law, got tag ${wav.formatTag}, ${wav.channels} ch, ${wav.sampleRate} Hz`);
  }

  const sidecar = buildSidecar(script, placed, wav.durationMs);
  const lastEnd = Math.max(...(sidecar.segments ?? []).map((s) => s.endMs));
  if (lastEnd > wav.durationMs) throw new Error(`${script.externalId}: a segment ends after the audio`);
  writeFileSync(join(outDir, `${script.externalId}.json`), `${JSON.stringify(sidecar, null, 2)}\n`);
  return { durationMs: wav.durationMs, bytes: statSync(wavPath).size };
}

/**
 * Removes outputs of calls no longer in the scripts, so the bundle matches the script list. Only
 * in samples/calls: a `--out` folder may hold files that are not ours.
 */
function removeStale(outDir: string, ids: Set<string>): void {
  if (outDir !== DEFAULT_OUT_DIR) return;
  for (const name of readdirSync(outDir)) {
    const m = /^(.+)\.(wav|json)$/.exec(name);
    if (m?.[1] && !ids.has(m[1])) rmSync(join(outDir, name));
  }
}

function parseArgs(argv: string[]): { outDir: string } {
  const i = argv.indexOf('--out');
  if (i >= 0) {
    const dir = argv[i + 1];
    if (!dir) throw new Error('--out needs a directory');
    return { outDir: resolve(dir) };
  }
  return { outDir: DEFAULT_OUT_DIR };
}

function main(): void {
  const { outDir } = parseArgs(process.argv.slice(2));
  requireTools();
  const ids = new Set(CALL_SCRIPTS.map((s) => s.externalId));
  if (ids.size !== CALL_SCRIPTS.length) throw new Error('duplicate externalId in samples/call-scripts.ts');
  // All label checks first: a script mistake should stop the run before any file is rewritten.
  CALL_SCRIPTS.forEach(checkLabels);

  mkdirSync(outDir, { recursive: true });
  removeStale(outDir, ids);
  const workDir = mkdtempSync(join(tmpdir(), 'tingjian-samples-'));
  let totalBytes = 0;
  try {
    for (const script of CALL_SCRIPTS) {
      const { durationMs, bytes } = generateCall(script, outDir, workDir);
      const jsonBytes = statSync(join(outDir, `${script.externalId}.json`)).size;
      totalBytes += bytes + jsonBytes;
      const problems = script.problems.length > 0 ? script.problems.join(',') : 'none';
      console.log(`${script.externalId.padEnd(14)} ${(durationMs / 1000).toFixed(2).padStart(6)} s ${(bytes / 1024).toFixed(1).padStart(7)} KiB  ${problems}`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  console.log(`total: ${CALL_SCRIPTS.length} calls, ${(totalBytes / 1024 / 1024).toFixed(2)} MiB (${totalBytes} bytes) in ${outDir}`);
  if (totalBytes >= MAX_TOTAL_BYTES) {
    console.error(`generate-samples: the bundle is ${totalBytes} bytes, over the ${MAX_TOTAL_BYTES}-byte budget — shorten the calls`);
    process.exit(1);
  }
}

try {
  main();
} catch (e) {
  console.error(`generate-samples: ${(e as Error).message}`);
  process.exit(1);
}
