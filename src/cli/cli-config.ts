import os from 'node:os';
import type { Command } from 'commander';
import pino, { type Logger } from 'pino';
import { createLogger } from '../app/logger.js';
import { loadConfig, type Config, type ConfigInput } from '../config/config.js';

/** Options every command accepts; they override the config file and environment. */
export interface GlobalOptions {
  dataDir?: string;
  config?: string;
  databaseUrl?: string;
  logLevel?: string;
}

export function addGlobalOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'data folder (env TINGJIAN_DATA_DIR, default ./data)')
    .option('--config <file>', 'JSON config file (env TINGJIAN_CONFIG)')
    .option('--database-url <url>', 'sqlite:<file> or postgres://… (env TINGJIAN_DATABASE_URL)')
    .option('--log-level <level>', 'log level (env LOG_LEVEL)');
}

/** CLI commands log only warnings by default so their own output stays readable. */
export function cliConfig(opts: GlobalOptions, overrides: ConfigInput = {}, defaultLogLevel = 'warn'): Config {
  return loadConfig({
    ...(opts.config ? { configFile: opts.config } : {}),
    env: { LOG_LEVEL: defaultLogLevel, ...process.env },
    overrides: {
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
      ...(opts.logLevel ? { logLevel: opts.logLevel as Config['logLevel'] } : {}),
      ...overrides,
    },
  });
}

/** Who made a change from the command line, for version lists. */
export function whoAmI(): string {
  try {
    return `cli (${os.userInfo().username})`;
  } catch {
    return 'cli'; // no passwd entry for this uid (some containers)
  }
}

/**
 * The logger of a one-shot command: to stderr, so stdout carries only the command's output
 * (`TOKEN=$(tingjian tokens create …)` must capture the token, never a log line).
 */
export const commandLogger = (config: Config): Logger => createLogger(config.logLevel, pino.destination(2));
