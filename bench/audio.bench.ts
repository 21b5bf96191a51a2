/**
 * Audio analysis and ASR speed (`npm run bench:audio`), every number from one run.
 *
 * 1. Audio analysis without ASR on 6-minute stereo 8 kHz μ-law calls (made by concatenating the
 *    bundled sample calls — real synthesized Mandarin speech with pauses — with ffmpeg):
 *    - bare Silero VAD: both channels of PCM decoded beforehand, SileroVad.detect only;
 *    - full: decode (ffmpeg → 16 kHz WAV → per-channel floats) + Silero VAD + loudness + signals,
 *      the functions the decode/vad/enrich stages call;
 *    - WebRTC VAD on the same PCM, and its agreement with Silero on a 10 ms grid.
 *    Targets: full ≥ 100× real time per core (one thread does all of it here), and full ÷ bare
 *    VAD ≤ 1.20 (decode and signals add at most 20 %).
 * 2. Pipeline overhead with an ASR engine: synthesized English stereo calls (flite, the e2e test's
 *    script with its gaps scaled per call, over a telephone line: hiss at -60 dBFS and the other
 *    side leaking in 30 dB down, so silence is not digital zeros) through the real pipeline (createAppContext, SQLite,
 *    job runner, pocketsphinx) ÷ the bare engine (pocketsphinx_batch run directly on the same VAD
 *    spans with the same process count, raw files written beforehand). Target ≤ 1.10.
 * 3. VAD-gated vs whole-channel transcription of the same calls: the bare gated run above vs
 *    pocketsphinx over every channel in fixed 20 s pieces (no VAD), with the word error rate of
 *    each. Target: gated ≥ 1.5× faster with WER no worse. Run twice: over the telephone line
 *    above, and over clean legs (hiss only) — pocketsphinx's beam search makes near-silent
 *    stretches almost free, so on clean legs gating saves little time with this engine; engines
 *    whose cost is per frame (the neural sherpa-onnx models) save in proportion to the silence.
 * Parts 2 and 3 need flite, sox and pocketsphinx; without them they are reported as skipped with
 * the install command. Flags: --calls N (3: 6-minute calls, and English calls of part 3),
 * --pipeline-calls N (8: English calls of part 2), --rounds R (3), --json. Reports; never gates.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PocketsphinxEngine, pocketsphinxBatch, toInt16Bytes } from '../src/adapters/asr/pocketsphinx/pocketsphinx-engine.js';
import { balanceByLength } from '../src/adapters/asr/balance-spans.js';
import { locateFfmpeg } from '../src/adapters/ffmpeg/locate-ffmpeg.js';
import { SileroVad } from '../src/adapters/vad/silero-vad.js';
import { WebRtcVad } from '../src/adapters/vad/webrtc-vad.js';
import { createAppContext } from '../src/app/app-context.js';
import { createLogger } from '../src/app/logger.js';
import { renderTable } from '../src/cli/text-table.js';
import { loadConfig } from '../src/config/config.js';
import { decodeToPcmWav } from '../src/decode/decode-audio.js';
import { pcmFromWav, type PcmAudio } from '../src/decode/pcm-audio.js';
import type { TimeSpan } from '../src/domain/signals.js';
import type { VoiceActivity } from '../src/domain/voice-activity.js';
import { signalsFromAudio } from '../src/enrich/audio-signals.js';
import { DEFAULT_SIGNAL_SETTINGS } from '../src/enrich/signal-settings.js';
import { waitForCalls } from '../src/pipeline/wait-for-calls.js';
import { Semaphore } from '../src/platform/semaphore.js';
import type { AsrSegment } from '../src/ports/asr-engine.js';
import { DEFAULT_VAD_SETTINGS, type VoiceActivityDetector } from '../src/ports/voice-activity-detector.js';
import { measureVoiceActivity } from '../src/vad/measure-voice-activity.js';
import { padSpans } from '../src/vad/speech-spans.js';
import { ASR_PAD_MS } from '../src/transcribe/transcribe-with-engine.js';
import { ENGLISH_CALL, TELEPHONE_LINE, ASR_TOOLS_INSTALL, asrToolsAvailable, synthesizeCall, wordEdits, words, type LineConditions, type PlacedLine } from '../test/support/english-call.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench', '.work', 'audio');
const { values: flags } = parseArgs({
  options: { calls: { type: 'string', default: '3' }, 'pipeline-calls': { type: 'string', default: '8' }, rounds: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } },
});
const CALLS = Math.max(1, Number(flags.calls));
const PIPELINE_CALLS = Math.max(1, Number(flags['pipeline-calls']));
const ROUNDS = Math.max(1, Number(flags.rounds));
const SIX_MINUTES_S = 360;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const log = (m: string) => process.stderr.write(`${m}\n`);
const withVad = (vad: VoiceActivityDetector) => <T>(fn: (v: VoiceActivityDetector) => Promise<T>) => fn(vad);

async function time<T>(fn: () => Promise<T>): Promise<{ s: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { s: (performance.now() - t0) / 1000, value };
}

/** 6-minute stereo 8 kHz μ-law calls from the bundled samples, each in its own order. */
function sixMinuteCalls(ffmpeg: string): string[] {
  const samples = readdirSync(path.join(ROOT, 'samples/calls')).filter((f) => f.endsWith('.wav')).sort();
  mkdirSync(WORK, { recursive: true });
  return Array.from({ length: CALLS }, (_, k) => {
    const out = path.join(WORK, `six-minutes-${k}.wav`);
    const order = [...samples.slice(k * 5), ...samples.slice(0, k * 5)];
    const list = path.join(WORK, `list-${k}.txt`);
    // 23 samples of ~30 s each: twice round is more than 6 minutes.
    writeFileSync(list, [...order, ...order].map((f) => `file '${path.join(ROOT, 'samples/calls', f)}'`).join('\n'));
    execFileSync(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-t', String(SIX_MINUTES_S), '-c:a', 'pcm_mulaw', out]);
    return out;
  });
}

/** Share of 10 ms frames on which two span lists agree (speech or not). */
function agreement(a: TimeSpan[], b: TimeSpan[], durationMs: number): number {
  const frames = Math.ceil(durationMs / 10);
  const mark = (spans: TimeSpan[]) => {
    const m = new Uint8Array(frames);
    for (const s of spans) m.fill(1, Math.floor(s.startMs / 10), Math.min(frames, Math.ceil(s.endMs / 10)));
    return m;
  };
  const x = mark(a);
  const y = mark(b);
  let same = 0;
  for (let i = 0; i < frames; i++) if (x[i] === y[i]) same++;
  return same / frames;
}

async function audioAnalysis(ffmpeg: string) {
  const files = sixMinuteCalls(ffmpeg);
  const silero = new SileroVad(DEFAULT_VAD_SETTINGS);
  const webrtc = await WebRtcVad.create(DEFAULT_VAD_SETTINGS);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'tingjian-bench-audio-'));
  const t = { bare: [] as number[], full: [] as number[], decode: [] as number[], webrtc: [] as number[] };
  const agree: number[] = [];
  let audioS = 0;
  const roles = ['agent', 'customer'] as const;
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      const sums = { bare: 0, full: 0, decode: 0, webrtc: 0 };
      for (const [k, file] of files.entries()) {
        const wav = path.join(scratch, `${k}.wav`);
        const order = (round + k) % 2 === 0 ? ['bare', 'full'] : ['full', 'bare'];
        let pcm: PcmAudio | null = null;
        for (const which of order) {
          if (which === 'full') {
            const full = await time(async () => {
              const d = await time(async () => {
                await decodeToPcmWav(file, wav, { ffmpegPath: ffmpeg, format: 'wav' });
                return pcmFromWav(await readFile(wav));
              });
              sums.decode += d.s;
              const activity = await measureVoiceActivity(d.value, [...roles], withVad(silero));
              return { pcm: d.value, signals: signalsFromAudio(activity, null, DEFAULT_SIGNAL_SETTINGS) };
            });
            sums.full += full.s;
            pcm = full.value.pcm;
          } else {
            if (!pcm) {
              // Decoded before the clock starts: the baseline is the detector alone.
              await decodeToPcmWav(file, wav, { ffmpegPath: ffmpeg, format: 'wav' });
              pcm = pcmFromWav(await readFile(wav));
            }
            const input = pcm;
            sums.bare += (await time(async () => [await silero.detect(input.channels[0]!), await silero.detect(input.channels[1]!)])).s;
          }
        }
        const w = await time(() => measureVoiceActivity(pcm!, [...roles], withVad(webrtc)));
        sums.webrtc += w.s;
        if (round === 0) {
          audioS += pcm!.durationMs / 1000;
          const s: VoiceActivity = await measureVoiceActivity(pcm!, [...roles], withVad(silero));
          for (const c of [0, 1]) agree.push(agreement(s.channels[c]!.spans, w.value.channels[c]!.spans, pcm!.durationMs));
        }
      }
      // Round 0 warms caches and the ONNX runtime; it is not counted.
      if (round > 0) for (const key of Object.keys(sums) as Array<keyof typeof sums>) t[key].push(sums[key]);
      log(`audio analysis: round ${round}/${ROUNDS}${round === 0 ? ' (warm-up)' : ''}`);
    }
  } finally {
    silero.close();
    webrtc.close();
    await rm(scratch, { recursive: true, force: true });
  }
  const m = { bare: median(t.bare), full: median(t.full), decode: median(t.decode), webrtc: median(t.webrtc) };
  return { calls: files.length, audioS, medians: m, agreement: agree.reduce((a, b) => a + b, 0) / agree.length, rounds: t };
}

interface EnglishCall {
  wavPath: string;
  placed: PlacedLine[];
  pcm: PcmAudio;
  spans: TimeSpan[][];
}

/** The e2e script with its gaps scaled per call, so every call is its own recording. */
async function englishCalls(ffmpeg: string, line: LineConditions, tag: string, count: number): Promise<EnglishCall[]> {
  const dir = path.join(WORK, `english-${tag}`);
  mkdirSync(dir, { recursive: true });
  const silero = new SileroVad(DEFAULT_VAD_SETTINGS);
  const out: EnglishCall[] = [];
  for (let k = 0; k < count; k++) {
    const lines = ENGLISH_CALL.map((l) => (l.gapMs !== undefined ? { ...l, gapMs: Math.round(l.gapMs * (1 + 0.15 * k)) } : l));
    const { wavPath, placed } = synthesizeCall(lines, dir, `english-${k}`, line);
    const wav = path.join(dir, `english-${k}.16k.wav`);
    await decodeToPcmWav(wavPath, wav, { ffmpegPath: ffmpeg, format: 'wav' });
    const pcm = pcmFromWav(await readFile(wav));
    // The spans the pipeline hands the engine: voice activity (crosstalk removed), padded as transcribeWithEngine pads them.
    const activity = await measureVoiceActivity(pcm, ['agent', 'customer'], withVad(silero));
    out.push({ wavPath, placed, pcm, spans: activity.channels.map((c) => padSpans(c.spans, ASR_PAD_MS, pcm.durationMs)) });
  }
  silero.close();
  return out;
}

function werOf(calls: EnglishCall[], hyps: AsrSegment[][][]): number {
  let edits = 0;
  let total = 0;
  calls.forEach((c, k) => {
    (['agent', 'customer'] as const).forEach((side, ch) => {
      const ref = c.placed.filter((l) => l.speaker === side).flatMap((l) => words(l.text));
      const hyp = hyps[k]![ch]!.sort((a, b) => a.startMs - b.startMs).flatMap((s) => words(s.text));
      edits += wordEdits(ref, hyp);
      total += ref.length;
    });
  });
  return edits / total;
}

/** pocketsphinx_batch straight on raw channel files: each channel's spans in `processes` shares, at most `processes` at once (as the engine runs them). */
async function bareEngine(calls: EnglishCall[], spansOf: (c: EnglishCall, ch: number) => TimeSpan[], processes: number) {
  const engine = new PocketsphinxEngine({ program: 'pocketsphinx_batch', modelDir: '/usr/share/pocketsphinx/model/en-us', processes });
  const run = { program: 'pocketsphinx_batch', model: engine.files(), onSpawnError: (e: Error) => e };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-bench-sphinx-'));
  try {
    for (const [k, c] of calls.entries()) for (const ch of [0, 1]) await writeFile(path.join(dir, `c${k}ch${ch}.raw`), toInt16Bytes(c.pcm.channels[ch]!));
    const hyps: AsrSegment[][][] = [];
    const slots = new Semaphore(processes);
    const { s } = await time(async () => {
      for (const [k, c] of calls.entries()) {
        hyps.push(
          await Promise.all(
            [0, 1].map(async (ch) => {
              const shares = balanceByLength(spansOf(c, ch), processes);
              return (await Promise.all(shares.map((share, j) => slots.run(() => pocketsphinxBatch(run, path.join(dir, `c${k}ch${ch}.raw`), share, `c${k}ch${ch}s${j}`))))).flat();
            }),
          ),
        );
      }
    });
    return { s, wer: werOf(calls, hyps) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The real pipeline as shipped (default worker concurrency), SQLite, pocketsphinx; from accept to all done. */
async function pipelineRun(calls: EnglishCall[]) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-bench-pipeline-'));
  const config = loadConfig({ env: {}, overrides: { dataDir, logLevel: 'silent', asrEngine: 'pocketsphinx' } });
  const app = await createAppContext(config, createLogger('silent'), { workers: true });
  try {
    await app.media.asr(); // the engine check (binary and model present) is start-up, not per call
    const { s } = await time(async () => {
      const ids: string[] = [];
      for (const [k, c] of calls.entries()) ids.push((await app.ingest.acceptFile(c.wavPath, { externalId: `bench-en-${k}-${Date.now()}`, language: 'en-US' }, path.basename(c.wavPath))).call.id);
      const done = await waitForCalls(app.db, ids, { timeoutMs: 600_000, pollMs: 20 });
      const failed = done.filter((d) => d.status !== 'done');
      if (failed.length) throw new Error(`pipeline failed: ${JSON.stringify(failed[0]!.stages)}`);
    });
    return { s };
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Fixed 20 s pieces over the whole channel: what transcription without a VAD decodes. */
const wholeChannel = (durationMs: number): TimeSpan[] => Array.from({ length: Math.ceil(durationMs / 20_000) }, (_, i) => ({ startMs: i * 20_000, endMs: Math.min(durationMs, (i + 1) * 20_000) }));

async function main(): Promise<void> {
  const ffmpeg = (await locateFfmpeg()).path;
  const cores = os.availableParallelism();
  log(`bench:audio — ${CALLS} calls, ${ROUNDS} rounds, ${cores} cores, ffmpeg ${ffmpeg}`);
  const a = await audioAnalysis(ffmpeg);
  const xrt = (s: number) => (a.audioS / s).toFixed(0);
  const rows = [
    ['Silero VAD alone (2 channels)', a.medians.bare.toFixed(2), xrt(a.medians.bare), '1.00'],
    ['decode + Silero VAD + signals', a.medians.full.toFixed(2), xrt(a.medians.full), (a.medians.full / a.medians.bare).toFixed(2)],
    ['  of which decode (ffmpeg)', a.medians.decode.toFixed(2), xrt(a.medians.decode), (a.medians.decode / a.medians.bare).toFixed(2)],
    ['WebRTC VAD + loudness (2 channels)', a.medians.webrtc.toFixed(2), xrt(a.medians.webrtc), (a.medians.webrtc / a.medians.bare).toFixed(2)],
  ];
  const report: Record<string, unknown> = { cores, audioAnalysis: a };
  process.stdout.write(`\n1. Audio analysis without ASR: ${a.calls} × 6-minute stereo 8 kHz μ-law calls (${a.audioS.toFixed(0)} s of calls), one thread, median of ${ROUNDS} rounds\n`);
  process.stdout.write(`${renderTable(['method', 'seconds', '× real time', 'ratio vs bare VAD'], rows)}\n`);
  process.stdout.write(`targets: full ≥ 100× real time per core → ${xrt(a.medians.full)}×; full ÷ bare VAD ≤ 1.20 → ${(a.medians.full / a.medians.bare).toFixed(2)}\n`);
  process.stdout.write(`WebRTC VAD agrees with Silero on ${(a.agreement * 100).toFixed(1)}% of 10 ms frames\n`);

  if (!asrToolsAvailable()) {
    process.stdout.write(`\n2–3. ASR parts skipped: flite, sox or pocketsphinx is not installed: ${ASR_TOOLS_INSTALL}\n`);
  } else {
    const lines: Array<[string, string, LineConditions]> = [
      ['telephone', 'telephone line: hiss at -60 dBFS, the other side leaking in 30 dB down', TELEPHONE_LINE],
      ['clean', 'clean legs: hiss at -60 dBFS only, no leakage', { noiseDbfs: -60, crosstalkDb: -200 }],
    ];
    const asr: Record<string, unknown> = {};
    const describe = (calls: EnglishCall[], label: string) => {
      const speechS = calls.reduce((n, c) => n + c.spans.flat().reduce((m, s) => m + s.endMs - s.startMs, 0), 0) / 1000;
      const channelS = calls.reduce((n, c) => n + (2 * c.pcm.durationMs) / 1000, 0);
      return { speechS, channelS, heading: `${calls.length} English stereo calls over a ${label} (${channelS.toFixed(0)} s of channels, ${speechS.toFixed(0)} s of it speech), pocketsphinx, ${cores} processes at once, median of ${ROUNDS}` };
    };
    for (const [tag, label, line] of lines) {
      log(`synthesizing English calls with flite (${tag})`);
      const all = await englishCalls(ffmpeg, line, tag, tag === 'telephone' ? Math.max(CALLS, PIPELINE_CALLS) : CALLS);
      if (tag === 'telephone') {
        // A pipeline is judged in steady state: enough calls that the first call's decode and VAD
        // (before any ASR can start) is not most of the difference.
        const calls = all.slice(0, PIPELINE_CALLS);
        const r = { bare: [] as number[], pipeline: [] as number[] };
        for (let round = 1; round <= ROUNDS; round++) {
          const bareFirst = round % 2 === 1;
          if (bareFirst) r.bare.push((await bareEngine(calls, (c, ch) => c.spans[ch]!, cores)).s);
          r.pipeline.push((await pipelineRun(calls)).s);
          if (!bareFirst) r.bare.push((await bareEngine(calls, (c, ch) => c.spans[ch]!, cores)).s);
          log(`pipeline overhead: round ${round}/${ROUNDS}`);
        }
        const m = { bare: median(r.bare), pipeline: median(r.pipeline) };
        process.stdout.write(`\n2. Pipeline overhead: ${describe(calls, label).heading}\n`);
        process.stdout.write(
          `${renderTable(
            ['run', 'seconds', 'ratio vs bare engine'],
            [
              ['bare pocketsphinx_batch on the VAD spans', m.bare.toFixed(2), '1.00'],
              ['pipeline: ingest → decode → VAD → ASR → signals (SQLite)', m.pipeline.toFixed(2), (m.pipeline / m.bare).toFixed(2)],
            ],
          )}\n`,
        );
        process.stdout.write(`target ≤ 1.10 → ${(m.pipeline / m.bare).toFixed(2)}\n`);
        asr.pipeline = { calls: calls.length, rounds: r, medians: m };
      }
      const calls = all.slice(0, CALLS);
      const { speechS, channelS, heading } = describe(calls, label);
      const r = { gated: [] as number[], whole: [] as number[] };
      let werGated = 0;
      let werWhole = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        const gated = await bareEngine(calls, (c, ch) => c.spans[ch]!, cores);
        const whole = await bareEngine(calls, (c) => wholeChannel(c.pcm.durationMs), cores);
        r.gated.push(gated.s);
        r.whole.push(whole.s);
        werGated = gated.wer;
        werWhole = whole.wer;
        log(`gated vs whole (${tag}): round ${round}/${ROUNDS}`);
      }
      const m = { gated: median(r.gated), whole: median(r.whole) };
      process.stdout.write(`\n3${tag === 'telephone' ? 'a' : 'b'}. VAD-gated vs whole-channel transcription: ${heading}\n`);
      process.stdout.write(
        `${renderTable(
          ['run', 'audio decoded s', 'seconds', 'WER', 'speed-up'],
          [
            ['whole channel, 20 s pieces', channelS.toFixed(0), m.whole.toFixed(2), `${(werWhole * 100).toFixed(1)}%`, '1.00'],
            ['VAD-gated (Silero spans, padded 300 ms)', speechS.toFixed(0), m.gated.toFixed(2), `${(werGated * 100).toFixed(1)}%`, (m.whole / m.gated).toFixed(2)],
          ],
        )}\n`,
      );
      process.stdout.write(`target: speed-up ≥ 1.5 with WER no worse → ${(m.whole / m.gated).toFixed(2)}×, WER ${(werGated * 100).toFixed(1)}% vs ${(werWhole * 100).toFixed(1)}%\n`);
      asr[tag] = { rounds: r, medians: m, werGated, werWhole, speechS, channelS };
    }
    report.asr = asr;
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
