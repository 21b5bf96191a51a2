import { packageFolder } from '../../platform/package-path.js';
import { Command } from 'commander';
import { createAppContext } from '../../app/app-context.js';
import { createLogger } from '../../app/logger.js';
import { installTemplates } from '../../rules/templates.js';
import { addGlobalOptions, cliConfig, type GlobalOptions } from '../cli-config.js';
import { collectInputs, DEFAULT_INGEST_CONCURRENCY, ingestWithProgress, waitWithProgress } from './ingest-command.js';
import { serve } from './serve-command.js';
import { firstAdmin } from './init-command.js';

/** The bundled sample calls, found from this file whether it runs from src/ (tsx) or dist/. */
export const samplesDir = (): string => packageFolder('samples/calls', import.meta.url);

interface DemoOptions extends GlobalOptions {
  port?: string;
  serve: boolean;
}

export function demoCommand(): Command {
  return addGlobalOptions(
    new Command('demo')
      .description('ingest the bundled sample calls, run the pipeline, print a summary, then serve the API')
      .option('--port <n>', 'port (env PORT, default 7300)')
      .option('--no-serve', 'stop after the summary'),
  ).action(async (opts: DemoOptions) => {
    // The samples are dated 2025: under the default 180-day policy they are expired, and a demo
    // server must not purge them an hour in.
    const config = cliConfig(opts, { retentionPurgeIntervalMinutes: 0, ...(opts.port ? { port: opts.port } : {}) });
    const ctx = await createAppContext(config, createLogger(config.logLevel), { workers: true, reinspections: opts.serve });
    const templates = await installTemplates(ctx.db);
    if (templates.installed) process.stderr.write(`published the built-in rule templates as rule set version ${templates.version}\n`);
    const admin = await firstAdmin(ctx);
    const { inputs, rejected } = await collectInputs([samplesDir()]);
    process.stderr.write(`Tingjian demo: ${inputs.length} sample calls → ${config.dataDir}\n`);
    const results = await ingestWithProgress(ctx, inputs, DEFAULT_INGEST_CONCURRENCY, rejected);
    const ids = [...new Set(results.flatMap((r) => (r.ok ? [r.result.call.id] : [])))];
    await waitWithProgress(ctx, ids, 600_000);
    if (!opts.serve) {
      if (admin) process.stdout.write(`\n${admin}`);
      await ctx.close();
      return;
    }
    const address = await serve(ctx, config);
    process.stdout.write(
      `\nTingjian console: ${address}/   (sign in as admin)\nTingjian API: ${address}/api/v1/calls   OpenAPI: ${address}/api/openapi.json   (Ctrl-C to stop)\n` +
        (admin || 'sign in with your accounts (`tingjian users list`; `tingjian users reset-password admin` if the password is lost)\n'),
    );
  });
}
