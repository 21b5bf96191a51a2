import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TingjianError } from '../../../domain/errors.js';
import type { TimeSpan } from '../../../domain/signals.js';
import type { AsrEngine, AsrRequest, AsrSegment } from '../../../ports/asr-engine.js';
import { programMissing, runProgram } from '../../../platform/run-program.js';
import { Semaphore } from '../../../platform/semaphore.js';
import { isDeadLocalProcess, processTag } from '../../../platform/process-identity.js';
import { balanceByLength } from '../balance-spans.js';
import { parseCtm, parseHyp } from './pocketsphinx-output.js';

export interface PocketsphinxOptions {
  /** pocketsphinx_batch executable. */
  program: string;
  /** Folder with `en-us/` (acoustic model), `en-us.lm.bin` and `cmudict-en-us.dict` (Debian's pocketsphinx-en-us). */
  modelDir: string;
  /** Processes at once, across all requests (a request's spans are split into this many shares). */
  processes: number;
}

const INSTALL = 'apt-get install -y pocketsphinx pocketsphinx-en-us';

/**
 * CMU pocketsphinx (Debian's 0.8+5prealpha) for English, one `pocketsphinx_batch` process per
 * share of the VAD spans, at most `processes` of them at once across all requests: the control file lists each span as an utterance (start/end frame at
 * 100 frames/s), so the decoder reads only speech and loads its models once per process, not
 * once per span. The en-us model is wideband: 8 kHz telephone audio resampled to 16 kHz lacks
 * the upper band it was trained on and comes out badly (measured: flite speech at 8 kHz is
 * mostly wrong words); it is meant for 16 kHz recordings and for testing the pipeline end to end.
 */
export class PocketsphinxEngine implements AsrEngine {
  readonly name = 'pocketsphinx/en-us';
  readonly language = 'en';

  /** Processes across every request at once: two calls (four channels) share the cores, not double them. */
  private readonly slots: Semaphore;

  constructor(private readonly o: PocketsphinxOptions) {
    this.slots = new Semaphore(o.processes);
  }

  files() {
    return {
      hmm: path.join(this.o.modelDir, 'en-us'),
      lm: path.join(this.o.modelDir, 'en-us.lm.bin'),
      dict: path.join(this.o.modelDir, 'cmudict-en-us.dict'),
    };
  }

  async check(): Promise<void> {
    await sweepAbandoned();
    const missing = Object.values(this.files()).filter((f) => !existsSync(f));
    if (missing.length) {
      throw new TingjianError(
        'CONFIG_INVALID',
        `pocketsphinx model files missing: ${missing.join(', ')} (expected en-us/, en-us.lm.bin and cmudict-en-us.dict in ${this.o.modelDir}); install them with \`${INSTALL}\` or set TINGJIAN_POCKETSPHINX_MODEL_DIR`,
        { missing },
      );
    }
    // Started with no arguments it prints its usage and exits; we only need it to start.
    await runProgram(this.o.program, [], { timeoutMs: 10_000, onSpawnError: (e) => this.missingProgram(e) });
  }

  private missingProgram(err: NodeJS.ErrnoException): Error {
    return new TingjianError(
      programMissing(err) ? 'DEPENDENCY_MISSING' : 'INTERNAL',
      `cannot run pocketsphinx at "${this.o.program}" (${err.code ?? err.message}); install it with \`${INSTALL}\` or set TINGJIAN_POCKETSPHINX`,
      undefined,
      { cause: err },
    );
  }

  async transcribe(req: AsrRequest): Promise<AsrSegment[]> {
    const spans = req.spans.filter((s) => s.endMs - s.startMs >= 100);
    if (spans.length === 0) return [];
    // Named after this process, so a later process can tell a crashed one's folder (it holds
    // the channel's audio) from a live one's and remove it: see sweepAbandoned.
    const dir = await mkdtemp(path.join(os.tmpdir(), `${TEMP_PREFIX}${processTag()}-`));
    try {
      await writeFile(path.join(dir, 'channel.raw'), toInt16Bytes(req.samples));
      const shares = balanceByLength(spans, this.o.processes);
      const run = { program: this.o.program, model: this.files(), onSpawnError: (e: NodeJS.ErrnoException) => this.missingProgram(e) };
      // allSettled: when one share fails, the others must finish before their folder is removed.
      const settled = await Promise.allSettled(shares.map((share, k) => this.slots.run(() => pocketsphinxBatch(run, path.join(dir, 'channel.raw'), share, `share${k}`))));
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return settled.flatMap((r) => (r.status === 'fulfilled' ? r.value : [])).sort((a, b) => a.startMs - b.startMs);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    // Nothing held between requests: each request runs its own processes.
  }
}

export interface PocketsphinxRun {
  program: string;
  model: { hmm: string; lm: string; dict: string };
  onSpawnError: (err: NodeJS.ErrnoException) => Error;
}

/**
 * One `pocketsphinx_batch` process over `spans` of a raw 16 kHz s16le channel file: each span an
 * utterance of the control file, decoded with the models loaded once. Its working files go next
 * to the raw file, named after `tag`. Exported for bench/audio.bench.ts, whose bare-engine
 * baseline must run exactly this invocation.
 */
export async function pocketsphinxBatch(run: PocketsphinxRun, rawPath: string, spans: TimeSpan[], tag: string): Promise<AsrSegment[]> {
  const dir = path.dirname(rawPath);
  const ctl = path.join(dir, `${tag}.ctl`);
  const hyp = path.join(dir, `${tag}.hyp`);
  const ctm = path.join(dir, `${tag}.ctm`);
  const log = path.join(dir, `${tag}.log`);
  const uttFile = path.basename(rawPath, '.raw');
  await writeFile(ctl, spans.map((s, i) => `${uttFile} ${Math.floor(s.startMs / 10)} ${Math.ceil(s.endMs / 10)} u${i}`).join('\n') + '\n');
  // prettier-ignore
  const args = [
    '-ctl', ctl, '-cepdir', dir, '-cepext', '.raw', '-adcin', 'yes', '-samprate', '16000',
    '-hmm', run.model.hmm, '-lm', run.model.lm, '-dict', run.model.dict, '-hyp', hyp, '-ctm', ctm, '-logfn', log,
  ];
  const audioSeconds = spans.reduce((n, s) => n + (s.endMs - s.startMs), 0) / 1000;
  const r = await runProgram(run.program, args, { timeoutMs: 60_000 + audioSeconds * 5000, onSpawnError: run.onSpawnError });
  if (r.code !== 0) {
    const tail = (await readFile(log, 'utf8').catch(() => r.stderr)).split('\n').filter((l) => /ERROR|FATAL/.test(l)).slice(-3).join(' | ');
    throw new TingjianError('INTERNAL', `pocketsphinx_batch failed (${r.timedOut ? 'timed out' : `exit ${String(r.code)}`}): ${tail || 'no error in its log'}`);
  }
  const texts = parseHyp(await readFile(hyp, 'utf8'));
  const words = parseCtm(await readFile(ctm, 'utf8'));
  const out: AsrSegment[] = [];
  spans.forEach((s, i) => {
    const text = texts.get(`u${i}`)?.trim() ?? '';
    if (!text) return;
    const w = words.get(`u${i}`)?.words ?? [];
    const confidence = w.length ? Math.round((w.reduce((n, x) => n + x.confidence, 0) / w.length) * 1000) / 1000 : null;
    // Word times are relative to the utterance: tighten the span to the words actually heard.
    const startMs = w.length ? s.startMs + w[0]!.startMs : s.startMs;
    const endMs = w.length ? Math.min(s.endMs, s.startMs + w[w.length - 1]!.endMs) : s.endMs;
    out.push({ startMs, endMs: Math.max(endMs, startMs + 1), text, confidence });
  });
  return out;
}

const TEMP_PREFIX = 'tingjian-sphinx-';

/**
 * Removes temp folders of processes that died mid-transcription: each holds a raw copy of a
 * call's audio, which must not outlive the call's processing. Only folders whose owner is known
 * dead (same host and pid namespace, pid gone) are touched.
 */
export async function sweepAbandoned(tmp: string = os.tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(tmp).catch(() => [] as string[])) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const owner = name.slice(TEMP_PREFIX.length).replace(/-[^-]*$/, '');
    if (isDeadLocalProcess(owner)) {
      await rm(path.join(tmp, name), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

/** Float samples → the raw 16-bit PCM pocketsphinx reads. */
export function toInt16Bytes(samples: Float32Array): Buffer {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]! * 32768;
    pcm[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}
