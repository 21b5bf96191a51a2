import { Command } from 'commander';
import { createAppContext, type AppContext } from '../../app/app-context.js';
import { TingjianError } from '../../domain/errors.js';
import { SPEAKERS, type Speaker } from '../../domain/transcript.js';
import { AUDIO_EXTENSIONS, discoverInputs, type IngestInput, type RejectedInput } from '../../ingest/discover-inputs.js';
import { ingestBatch, type BatchItemResult } from '../../ingest/ingest-batch.js';
import { readManifest } from '../../ingest/manifest.js';
import { waitForCalls } from '../../pipeline/wait-for-calls.js';
import { renderCallSummary } from '../call-summary.js';
import { addGlobalOptions, cliConfig, type GlobalOptions, commandLogger } from '../cli-config.js';
import { progressBar } from '../progress-bar.js';

interface IngestOptions extends GlobalOptions {
  manifest?: string;
  wait?: boolean;
  concurrency: string;
  timeout: string;
  channelRoles?: string;
}

/** `--channel-roles customer,agent` → the roles, or INVALID_REQUEST saying what is allowed. */
function parseChannelRoles(text: string): Speaker[] {
  const roles = text.split(',').map((r) => r.trim());
  const bad = roles.filter((r) => !(SPEAKERS as readonly string[]).includes(r));
  if (roles.length === 0 || bad.length > 0) {
    throw new TingjianError('INVALID_REQUEST', `--channel-roles lists one of ${SPEAKERS.join(', ')} per channel, e.g. customer,agent; "${bad.join(', ') || text}" is not`);
  }
  return roles as Speaker[];
}

/**
 * Files in flight at once. Hashing runs on worker threads, so more files than cores keeps every
 * core busy while another file's database write is done (bench:ingest, 2 cores: 4 beats 2 by ~20 %).
 */
export const DEFAULT_INGEST_CONCURRENCY = 4;

/**
 * Collect inputs from paths and/or a manifest. `rejected`: files or rows found but unusable (a
 * sidecar that is not JSON, a manifest row naming a missing file); the rest are still ingested.
 */
export async function collectInputs(paths: string[], manifest?: string): Promise<{ inputs: IngestInput[]; skipped: string[]; rejected: RejectedInput[] }> {
  const found = paths.length ? await discoverInputs(paths) : { inputs: [], skipped: [], rejected: [] };
  const fromManifest = manifest ? await readManifest(manifest) : { inputs: [], rejected: [] };
  return { inputs: [...fromManifest.inputs, ...found.inputs], skipped: found.skipped, rejected: [...fromManifest.rejected, ...found.rejected] };
}

const printRejected = (rejected: Array<{ source: string; code: string; message: string }>) => {
  for (const r of rejected) process.stderr.write(`  ✗ ${r.source}: ${r.code}: ${r.message}\n`);
};

/**
 * Ingest with a progress bar; print what was rejected and why — including the inputs that were
 * already rejected while collecting them (`unreadable`), which come back as failed results.
 */
export async function ingestWithProgress(ctx: AppContext, inputs: IngestInput[], concurrency: number, unreadable: RejectedInput[] = []): Promise<BatchItemResult[]> {
  const bar = progressBar('ingest', inputs.length);
  const batch = await ingestBatch(ctx.ingest, inputs, { concurrency, onItem: () => bar.tick() });
  const results: BatchItemResult[] = [...batch, ...unreadable.map((r) => ({ ...r, ok: false as const }))];
  const created = results.filter((r) => r.ok && r.result.created).length;
  const existing = results.filter((r) => r.ok && !r.result.created).length;
  const rejected = results.filter((r): r is Extract<BatchItemResult, { ok: false }> => !r.ok);
  bar.done(`${created} new, ${existing} already stored, ${rejected.length} rejected`);
  printRejected(rejected);
  return results;
}

/**
 * Run the pipeline on these calls in this process, with a progress bar, and print the summary.
 * @returns how many calls ended `failed`
 */
export async function waitWithProgress(ctx: AppContext, ids: string[], timeoutMs: number): Promise<number> {
  const bar = progressBar('pipeline', ids.length);
  const calls = await waitForCalls(ctx.db, ids, { timeoutMs, onProgress: (finished, failed) => bar.update(finished, failed ? `${failed} failed` : '') });
  bar.done();
  const rows = await Promise.all(
    calls.map(async (call) => ({
      call,
      signals: await ctx.db.repos.artifacts.getSignals(call.id),
      text: await ctx.db.repos.artifacts.getTextAnalysis(call.id),
      inspection: await ctx.db.repos.inspections.latest(call.id),
    })),
  );
  process.stdout.write(`\n${renderCallSummary(rows)}\n`);
  return calls.filter((c) => c.status === 'failed').length;
}

export function ingestCommand(): Command {
  return addGlobalOptions(
    new Command('ingest')
      .description('ingest recordings (WAV, MP3, OGG/Opus, AMR, M4A) and transcript JSON files; metadata from a sidecar <name>.json or a manifest')
      .argument('[paths...]', 'files or folders')
      .option('--manifest <file>', 'calls.csv or calls.jsonl: one row per call, `file` column + metadata')
      .option('--wait', 'run the pipeline on the ingested calls and wait for them to finish')
      .option('--concurrency <n>', 'files ingested at once', String(DEFAULT_INGEST_CONCURRENCY))
      .option('--timeout <seconds>', 'with --wait: give up after this long', '600')
      .option('--channel-roles <roles>', 'who each stereo channel carries in this batch, e.g. customer,agent (a source wired the other way); metadata channelRoles still wins (env TINGJIAN_CHANNEL_ROLES)'),
  ).action(async (paths: string[], opts: IngestOptions) => {
    // Checked up front: `--timeout abc` used to become NaN, a deadline never reached (no timeout at
    // all), and `--concurrency abc` silently became 2.
    const concurrency = Number(opts.concurrency);
    const timeoutS = Number(opts.timeout);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new TingjianError('INVALID_REQUEST', `--concurrency must be a whole number from 1 to 64, not "${opts.concurrency}"`);
    }
    if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new TingjianError('INVALID_REQUEST', `--timeout must be a positive number of seconds, not "${opts.timeout}"`);
    if (opts.channelRoles !== undefined) parseChannelRoles(opts.channelRoles);
    const { inputs, skipped, rejected } = await collectInputs(paths, opts.manifest);
    for (const s of skipped) process.stderr.write(`  – skipped ${s}: not a recording (${[...AUDIO_EXTENSIONS].join(' ')}) or JSON\n`);
    if (inputs.length === 0) {
      // Everything found was unusable: say why for each, and fail like a batch with rejections.
      printRejected(rejected);
      process.stderr.write(rejected.length ? `nothing left to ingest: ${rejected.length} input(s) rejected\n` : 'nothing to ingest: give files or folders, or --manifest\n');
      process.exitCode = rejected.length ? 1 : 2;
      return;
    }
    const config = cliConfig(opts, opts.channelRoles !== undefined ? { defaultChannelRoles: parseChannelRoles(opts.channelRoles) } : {});
    const ctx = await createAppContext(config, commandLogger(config), { workers: opts.wait === true });
    try {
      const results = await ingestWithProgress(ctx, inputs, concurrency, rejected);
      if (opts.wait) {
        const ids = [...new Set(results.flatMap((r) => (r.ok ? [r.result.call.id] : [])))];
        const failed = await waitWithProgress(ctx, ids, timeoutS * 1000);
        // A call that failed in the pipeline is a failed ingest for a script checking the exit code.
        if (failed > 0) process.exitCode = 1;
      }
      if (results.some((r) => !r.ok)) process.exitCode = 1;
    } finally {
      await ctx.close();
    }
  });
}
