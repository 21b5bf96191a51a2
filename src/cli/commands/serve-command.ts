import { Command } from 'commander';
import { createAppContext, type AppContext } from '../../app/app-context.js';
import { createLogger } from '../../app/logger.js';
import type { Config } from '../../config/config.js';
import { buildServer } from '../../http/build-server.js';
import { addGlobalOptions, cliConfig, type GlobalOptions } from '../cli-config.js';

/**
 * Run the API and/or the embedded workers (TINGJIAN_SERVICES) until SIGINT/SIGTERM, then stop
 * taking jobs, finish the ones in hand and close the database.
 * @returns the address it listens on (null when only workers run)
 */
export async function serve(ctx: AppContext, config: Config): Promise<string | null> {
  let address: string | null = null;
  let close = async () => ctx.close();
  // The taxonomy and user dictionary files: a broken one stops the server now, with file and line
  // (after closing what the context started, or its workers would keep the process alive).
  try {
    const text = ctx.media.text();
    void text.taxonomy;
    void text.segmenter;
  } catch (e) {
    await ctx.close();
    throw e;
  }
  if (config.services.includes('api')) {
    // A bad TLS file or a port in use: close what the context started, or its workers keep the process alive.
    let app: Awaited<ReturnType<typeof buildServer>>;
    try {
      app = await buildServer(ctx);
      await app.listen({ host: config.host, port: config.port });
    } catch (e) {
      await ctx.close();
      throw e;
    }
    const a = app.server.address();
    const scheme = config.tlsCertFile ? 'https' : 'http';
    address = typeof a === 'object' && a ? `${scheme}://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : String(a);
    close = async () => {
      await app.close();
      await ctx.close();
    };
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down');
    void close().then(
      () => process.exit(0),
      (e: unknown) => {
        ctx.log.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  if (ctx.runner && config.asrEngine !== 'none') {
    // Check the ASR engine now, so a missing model shows in the log and /api/v1/health at start
    // rather than when the first call fails; the process keeps serving either way.
    void ctx.media.asr().then(
      (e) => ctx.log.info({ engine: e?.name }, 'ASR engine ready'),
      (err: unknown) => ctx.log.error({ err }, 'ASR engine not usable; calls needing ASR will fail at transcribe until this is fixed'),
    );
  }
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return address;
}

interface ServeOptions extends GlobalOptions {
  port?: string;
  host?: string;
}

export function serveCommand(): Command {
  return addGlobalOptions(
    new Command('serve')
      .description('serve the HTTP API (and run pipeline workers) — env PORT, HOST, TINGJIAN_SERVICES=api,worker')
      .option('--port <n>', 'port (env PORT, default 7300)')
      .option('--host <addr>', 'address to bind (env HOST, default 127.0.0.1)'),
  ).action(async (opts: ServeOptions) => {
    const config = cliConfig(opts, { ...(opts.port ? { port: opts.port } : {}), ...(opts.host ? { host: opts.host } : {}) }, 'info');
    const ctx = await createAppContext(config, createLogger(config.logLevel), { workers: config.services.includes('worker'), reinspections: config.services.includes('worker') });
    const address = await serve(ctx, config);
    process.stdout.write(`Tingjian ${address ? `API on ${address}  (web console: ${address}/  OpenAPI: ${address}/api/openapi.json)` : 'workers'} running; data in ${config.dataDir}\n`);
  });
}
