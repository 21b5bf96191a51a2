import { Command } from 'commander';
import { createAppContext, type AppContext } from '../../app/app-context.js';
import { createLogger } from '../../app/logger.js';
import { discoverInputs, type IngestInput } from '../../ingest/discover-inputs.js';
import { ingestBatch, type BatchItemResult } from '../../ingest/ingest-batch.js';
import { readManifest } from '../../ingest/manifest.js';
import { waitForCalls } from '../../pipeline/wait-for-calls.js';
import { renderCallSummary } from '../call-summary.js';
import { addGlobalOptions, cliConfig, type GlobalOptions } from '../cli-config.js';
import { progressBar } from '../progress-bar.js';

interface IngestOptions extends GlobalOptions {
  manifest?: string;
  wait?: boolean;
  concurrency: string;
  timeout: string;
}

/** Collect inputs from paths and/or a manifest. */
export async function collectInputs(paths: string[], manifest?: string): Promise<{ inputs: IngestInput[]; skipped: string[] }> {
  const found = paths.length ? await discoverInputs(paths) : { inputs: [], skipped: [] };
  const fromManifest = manifest ? await readManifest(manifest) : [];
  return { inputs: [...fromManifest, ...found.inputs], skipped: found.skipped };
}

/** Ingest with a progress bar; print what was rejected and why. */
export async function ingestWithProgress(ctx: AppContext, inputs: IngestInput[], concurrency: number): Promise<BatchItemResult[]> {
  const bar = progressBar('ingest', inputs.length);
  const results = await ingestBatch(ctx.ingest, inputs, { concurrency, onItem: () => bar.tick() });
  const created = results.filter((r) => r.ok && r.result.created).length;
  const existing = results.filter((r) => r.ok && !r.result.created).length;
  const rejected = results.filter((r): r is Extract<BatchItemResult, { ok: false }> => !r.ok);
  bar.done(`${created} new, ${existing} already stored, ${rejected.length} rejected`);
  for (const r of rejected) process.stderr.write(`  ✗ ${r.source}: ${r.code}: ${r.message}\n`);
  return results;
}

/** Run the pipeline on these calls in this process, with a progress bar, and print the summary. */
export async function waitWithProgress(ctx: AppContext, ids: string[], timeoutMs: number): Promise<void> {
  const bar = progressBar('pipeline', ids.length);
  const calls = await waitForCalls(ctx.db, ids, { timeoutMs, onProgress: (finished, failed) => bar.update(finished, failed ? `${failed} failed` : '') });
  bar.done();
  const rows = await Promise.all(calls.map(async (call) => ({ call, signals: await ctx.db.repos.artifacts.getSignals(call.id) })));
  process.stdout.write(`\n${renderCallSummary(rows)}\n`);
}

export function ingestCommand(): Command {
  return addGlobalOptions(
    new Command('ingest')
      .description('ingest recordings (WAV, MP3, OGG/Opus, AMR, M4A) and transcript JSON files; metadata from a sidecar <name>.json or a manifest')
      .argument('[paths...]', 'files or folders')
      .option('--manifest <file>', 'calls.csv or calls.jsonl: one row per call, `file` column + metadata')
      .option('--wait', 'run the pipeline on the ingested calls and wait for them to finish')
      .option('--concurrency <n>', 'files ingested at once', '2')
      .option('--timeout <seconds>', 'with --wait: give up after this long', '600'),
  ).action(async (paths: string[], opts: IngestOptions) => {
    const { inputs, skipped } = await collectInputs(paths, opts.manifest);
    for (const s of skipped) process.stderr.write(`  – skipped ${s}: not a recording (.wav .mp3 .ogg .opus .amr .m4a) or JSON\n`);
    if (inputs.length === 0) {
      process.stderr.write('nothing to ingest: give files or folders, or --manifest\n');
      process.exitCode = 2;
      return;
    }
    const config = cliConfig(opts);
    const ctx = await createAppContext(config, createLogger(config.logLevel), { workers: opts.wait === true });
    try {
      const results = await ingestWithProgress(ctx, inputs, Number(opts.concurrency) || 2);
      if (opts.wait) {
        const ids = [...new Set(results.flatMap((r) => (r.ok ? [r.result.call.id] : [])))];
        await waitWithProgress(ctx, ids, Number(opts.timeout) * 1000);
      }
      if (results.some((r) => !r.ok)) process.exitCode = 1;
    } finally {
      await ctx.close();
    }
  });
}
