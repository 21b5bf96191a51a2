/**
 * Ingest throughput vs. the disk's physical limit (`npm run bench:ingest`).
 *
 * Target (issue): ingest (store + hash + probe + enqueue) of 6-minute stereo 8 kHz WAVs on the
 * embedded default (SQLite + local-disk blobs) reaches ≥ 0.7× the bytes/s of a plain copy of
 * the same files to the same disk, so ingest is never the bottleneck.
 *
 * Method:
 * - N distinct WAVs (default 24 × 11.5 MB) are generated once into bench/.work/src and reused.
 * - Baselines, one file after another into a fresh folder on the same disk as the data dir
 *   (bench/.work/out): `fs.copyFile` with COPYFILE_EXCL (exactly what GNU `cp` does: O_EXCL open,
 *   copy_file_range in the kernel), `fs.copyFile` with default flags (which on ext4 starts the
 *   write-back inside the copy, see copyFileMethod), and a streamed read+write copy
 *   (createReadStream → createWriteStream). The ratio is against the fastest of them.
 * - Ingest: a fresh data dir per round, the real application objects (createAppContext with
 *   workers off, then ingestBatch — the code path of `tingjian ingest`), at concurrency 1, 2 and
 *   the CLI's default (DEFAULT_INGEST_CONCURRENCY); the verdict is at the CLI's default.
 *   Only ingestBatch is timed; opening the database and migrating is reported apart.
 * - Fairness: every method reads the same (page-cached) sources; a warm-up round runs first, then
 *   R rounds in which each method runs once, in an order rotated per round. Outputs are synced and
 *   deleted between measurements (untimed) so one round's write-back never slows the next.
 * - Medians of the rounds are reported, with min and max. A second table adds each measurement's
 *   following `sync` to its time (bytes on disk, not just in the page cache), for reference; the
 *   verdict is the page-cache ratio the issue defines.
 *
 * Flags: --files N (24), --rounds R (5), --concurrency C (default: the CLI's, 4), --json,
 * --with-stream-stage (also ingest through stage() over a read stream, the pre-stageFile path).
 * Exits 0 whatever the ratio (it reports, it does not gate), non-zero only if a round is wrong.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAppContext } from '../src/app/app-context.js';
import { createLogger } from '../src/app/logger.js';
import { loadConfig } from '../src/config/config.js';
import type { IngestInput } from '../src/ingest/discover-inputs.js';
import { ingestBatch } from '../src/ingest/ingest-batch.js';
import { DEFAULT_INGEST_CONCURRENCY } from '../src/cli/commands/ingest-command.js';
import { SIX_MINUTE_STEREO_8K, ensureWavFixtures, wavBytes } from './support/wav-fixtures.js';

const WORK = path.join(path.dirname(fileURLToPath(import.meta.url)), '.work');
const SRC_DIR = path.join(WORK, 'src');
const OUT_DIR = path.join(WORK, 'out');
const TARGET = 0.7;

const { values: flags } = parseArgs({
  options: {
    files: { type: 'string', default: '24' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string' },
    json: { type: 'boolean', default: false },
    'with-stream-stage': { type: 'boolean', default: false },
  },
  strict: true,
});

function positiveInt(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${v}`);
  return n;
}

const cores = os.availableParallelism();
const FILES = positiveInt('files', flags.files, 24);
const ROUNDS = positiveInt('rounds', flags.rounds, 5);
const CONCURRENCY = positiveInt('concurrency', flags.concurrency, DEFAULT_INGEST_CONCURRENCY);
const JSON_OUT = flags.json;
const WITH_STREAM_STAGE = flags['with-stream-stage'];

/** Progress goes to stderr so `--json` leaves stdout machine-readable. */
const note = (msg: string) => process.stderr.write(`${msg}\n`);

const sync = () => execFileSync('sync');

interface Method {
  id: string;
  label: string;
  kind: 'copy' | 'ingest';
  concurrency: number;
  /** Does the work into `out` (fresh, empty); returns the timed seconds. */
  run(out: string, files: string[], round: string): Promise<number>;
  /** Untimed setup seconds per round (ingest: open + migrate the database). */
  setup: number[];
}

async function copyAll(files: string[], out: string, copy: (src: string, dst: string) => Promise<void>): Promise<number> {
  const t0 = performance.now();
  for (const f of files) await copy(f, path.join(out, path.basename(f)));
  return (performance.now() - t0) / 1000;
}

/** Exactly what GNU cp does for a new file (strace): open(O_CREAT|O_EXCL), then copy_file_range. */
const copyFileCpMethod: Method = {
  id: 'copyfile-excl',
  label: 'copy: fs.copyFile EXCL (= cp)',
  kind: 'copy',
  concurrency: 1,
  setup: [],
  run: (out, files) => copyAll(files, out, (s, d) => copyFile(s, d, constants.COPYFILE_EXCL)),
};

/**
 * fs.copyFile with default flags: libuv opens without O_EXCL and ftruncate()s the new file, and on
 * ext4 (auto_da_alloc) closing a truncated-then-written file starts its write-back at once — so
 * this copy pays part of the disk write inside its time, and its `sync` is nearly free.
 */
const copyFileMethod: Method = {
  id: 'copyfile',
  label: 'copy: fs.copyFile (default flags)',
  kind: 'copy',
  concurrency: 1,
  setup: [],
  run: (out, files) => copyAll(files, out, (s, d) => copyFile(s, d)),
};

const streamCopyMethod: Method = {
  id: 'stream',
  label: 'copy: stream read+write',
  kind: 'copy',
  concurrency: 1,
  setup: [],
  run: (out, files) => copyAll(files, out, (s, d) => pipeline(createReadStream(s), createWriteStream(d))),
};

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (e.isDirectory()) n += await countFiles(path.join(dir, e.name));
    else if (e.isFile()) n++;
  }
  return n;
}

/**
 * `streamStage`: route acceptFile's stageFile through stage(createReadStream(path)) — the path
 * every local file took before stageFile existed — to compare before/after in the same run.
 */
function ingestMethod(concurrency: number, streamStage = false): Method {
  const m: Method = {
    id: `ingest-c${concurrency}${streamStage ? '-stream-stage' : ''}`,
    label: `ingest (sqlite+disk) c=${concurrency}${streamStage ? ', via stage(stream)' : ''}`,
    kind: 'ingest',
    concurrency,
    setup: [],
    async run(out, files, round) {
      const s0 = performance.now();
      const config = loadConfig({ env: {}, overrides: { dataDir: out, logLevel: 'silent' } });
      const ctx = await createAppContext(config, createLogger(config.logLevel), { workers: false });
      if (streamStage) {
        const blobs = ctx.blobs;
        blobs.stageFile = (p, o) => blobs.stage(createReadStream(p), o);
      }
      m.setup.push((performance.now() - s0) / 1000);
      try {
        const inputs: IngestInput[] = files.map((f, i) => ({ audioPath: f, source: f, input: { externalId: `bench-${round}-${m.id}-${i + 1}` } }));
        const t0 = performance.now();
        const results = await ingestBatch(ctx.ingest, inputs, { concurrency });
        const seconds = (performance.now() - t0) / 1000;

        const failed = results.filter((r) => !r.ok);
        if (failed.length) throw new Error(`${m.label}: ${failed.length} file(s) failed, first: ${JSON.stringify(failed[0])}`);
        const notCreated = results.filter((r) => r.ok && !r.result.created);
        if (notCreated.length) throw new Error(`${m.label}: ${notCreated.length} file(s) matched an existing call instead of creating one (duplicate content?)`);
        const calls = await ctx.db.repos.calls.count({});
        const jobs = (await ctx.db.repos.jobs.countByStageAndStatus()).filter((j) => j.stage === 'ingest' && j.status === 'queued').reduce((a, j) => a + j.count, 0);
        const blobs = await countFiles(path.join(out, 'recordings', 'sha256'));
        const staging = await countFiles(path.join(out, 'recordings', '.staging'));
        if (calls !== files.length || jobs !== files.length || blobs !== files.length || staging !== 0) {
          throw new Error(`${m.label}: expected ${files.length} calls, queued ingest jobs and blobs and an empty staging folder; found ${calls} calls, ${jobs} jobs, ${blobs} blobs, ${staging} staging file(s)`);
        }
        // Spot-check content addressing: one stored blob hashes to its own key, byte for byte the source.
        const first = results[0];
        if (first?.ok) {
          const rec = await ctx.db.repos.recordings.getByCallId(first.result.call.id);
          const stored = rec ? await readFile(path.join(out, 'recordings', rec.blobKey)) : null;
          const original = await readFile(files[0]!);
          if (!rec || !stored || createHash('sha256').update(stored).digest('hex') !== rec.sha256 || !stored.equals(original)) {
            throw new Error(`${m.label}: the stored blob of ${files[0]} does not match its sha256 key or its source`);
          }
        }
        return seconds;
      } finally {
        await ctx.close();
      }
    },
  };
  return m;
}

/**
 * One measurement on a fresh output folder, starting with nothing dirty in the page cache. The
 * `sync` that flushes its output afterwards is timed apart: `seconds + syncSeconds` is the time
 * until the bytes are on disk (the "durable" view). Outputs are then removed and synced, untimed.
 */
async function measure(m: Method, files: string[], round: string): Promise<{ seconds: number; syncSeconds: number }> {
  const out = path.join(OUT_DIR, m.id);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  sync();
  const seconds = await m.run(out, files, round);
  const s0 = performance.now();
  sync();
  const syncSeconds = (performance.now() - s0) / 1000;
  await rm(out, { recursive: true, force: true });
  sync();
  return { seconds, syncSeconds };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main(): Promise<void> {
  const spec = SIX_MINUTE_STEREO_8K;
  const loadBefore = os.loadavg()[0]!;
  note(`preparing ${FILES} × ${spec.seconds / 60}-minute ${spec.channels}-channel ${spec.sampleRate} Hz 16-bit WAVs in ${path.relative(process.cwd(), SRC_DIR)} …`);
  const files = await ensureWavFixtures(SRC_DIR, FILES, spec, note);
  let totalBytes = 0;
  for (const f of files) totalBytes += (await stat(f)).size;
  if (totalBytes !== FILES * wavBytes(spec)) throw new Error('fixture sizes are not what was generated; delete bench/.work and run again');

  const concurrencies = [...new Set([1, 2, CONCURRENCY])].sort((a, b) => a - b);
  const methods: Method[] = [copyFileCpMethod, copyFileMethod, streamCopyMethod, ...concurrencies.map((c) => ingestMethod(c)), ...(WITH_STREAM_STAGE ? concurrencies.map((c) => ingestMethod(c, true)) : [])];
  const times = new Map<string, number[]>(methods.map((m) => [m.id, []]));
  const durable = new Map<string, number[]>(methods.map((m) => [m.id, []]));

  note('warm-up round (not counted) …');
  for (const m of methods) await measure(m, files, 'warmup');
  for (const m of methods) m.setup.length = 0;

  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order so no method always runs first (or always after the same neighbour).
    const order = methods.map((_, i) => methods[(i + r) % methods.length]!);
    const line: string[] = [];
    for (const m of order) {
      const { seconds, syncSeconds } = await measure(m, files, `r${r + 1}`);
      times.get(m.id)!.push(seconds);
      durable.get(m.id)!.push(seconds + syncSeconds);
      line.push(`${m.id} ${seconds.toFixed(3)}s (+sync ${syncSeconds.toFixed(3)}s)`);
    }
    note(`round ${r + 1}/${ROUNDS}: ${line.join(', ')}`);
  }

  const loadAfter = os.loadavg()[0]!;
  const mb = totalBytes / 1e6;
  const rows = methods.map((m) => {
    const ts = times.get(m.id)!;
    const med = median(ts);
    const ds = durable.get(m.id)!;
    const dMed = median(ds);
    return {
      id: m.id,
      method: m.label,
      kind: m.kind,
      concurrency: m.concurrency,
      files: FILES,
      mb,
      medianS: med,
      minS: Math.min(...ts),
      maxS: Math.max(...ts),
      mbPerS: mb / med,
      setupMedianS: m.setup.length ? median(m.setup) : null,
      roundsS: ts,
      durable: { medianS: dMed, minS: Math.min(...ds), maxS: Math.max(...ds), mbPerS: mb / dMed, roundsS: ds },
    };
  });
  const copies = rows.filter((r) => r.kind === 'copy');
  const best = copies.reduce((a, b) => (b.mbPerS > a.mbPerS ? b : a));
  const bestDurable = copies.reduce((a, b) => (b.durable.mbPerS > a.durable.mbPerS ? b : a));
  const withRatio = rows.map((r) => ({ ...r, ratioVsCopy: r.mbPerS / best.mbPerS, durable: { ...r.durable, ratioVsCopy: r.durable.mbPerS / bestDurable.durable.mbPerS } }));
  const verdictRow = withRatio.find((r) => r.id === `ingest-c${CONCURRENCY}`)!;
  const ratio = verdictRow.ratioVsCopy;
  const durableRatio = verdictRow.durable.ratioVsCopy;

  if (JSON_OUT) {
    const result = {
      bench: 'ingest',
      node: process.version,
      cores,
      files: FILES,
      rounds: ROUNDS,
      bytes: totalBytes,
      wav: spec,
      workDir: WORK,
      ingestConcurrency: CONCURRENCY,
      loadAverage: { before: loadBefore, after: loadAfter },
      baseline: best.id,
      target: TARGET,
      ratio,
      meetsTarget: ratio >= TARGET,
      durableBaseline: bestDurable.id,
      durableRatio,
      rows: withRatio,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }

  const header = ['method', 'files', 'MB', 'median s', 'min s', 'max s', 'MB/s', 'ratio vs copy'];
  const table = (cells: string[][]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((b) => b[i]!.length)));
    const fmt = (row: string[]) => `| ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
    console.log(fmt(header));
    console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
    for (const b of cells) console.log(fmt(b));
  };
  console.log('');
  console.log(`ingest bench: ${FILES} files × ${(wavBytes(spec) / 1e6).toFixed(2)} MB (6 min stereo 8 kHz s16 WAV), ${ROUNDS} rounds after a warm-up; node ${process.version}, ${cores} cores`);
  console.log(`data dir and copy target on the same disk: ${OUT_DIR}`);
  console.log(`1-min load average: ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after${loadBefore > 0.5 ? ' — other processes were busy: expect noisy numbers' : ''}`);
  console.log('');
  table(withRatio.map((r) => [r.method, String(r.files), r.mb.toFixed(1), r.medianS.toFixed(3), r.minS.toFixed(3), r.maxS.toFixed(3), r.mbPerS.toFixed(0), r.ratioVsCopy.toFixed(2)]));
  console.log('');
  console.log('for reference, timed until the bytes are on disk (the same rounds, each followed by `sync`):');
  table(withRatio.map((r) => [r.method, String(r.files), r.mb.toFixed(1), r.durable.medianS.toFixed(3), r.durable.minS.toFixed(3), r.durable.maxS.toFixed(3), r.durable.mbPerS.toFixed(0), r.durable.ratioVsCopy.toFixed(2)]));
  console.log('');
  for (const r of withRatio.filter((x) => x.setupMedianS !== null)) console.log(`${r.method}: open + migrate the database ${(r.setupMedianS! * 1000).toFixed(0)} ms per round (not timed)`);
  console.log(`baseline: ${best.method} (the fastest copy, ${best.mbPerS.toFixed(0)} MB/s)`);
  console.log(`ingest concurrency: ${CONCURRENCY} (cores: ${cores})`);
  console.log(`durable (through sync): ingest / copy = ${durableRatio.toFixed(2)} against ${bestDurable.method}`);
  console.log(`ingest / copy = ${ratio.toFixed(2)} (target ≥ ${TARGET.toFixed(2)}) — ${ratio >= TARGET ? 'meets the target' : 'BELOW the target'}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
