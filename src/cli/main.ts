import { Command } from 'commander';
import { isTingjianError } from '../domain/errors.js';
import { TINGJIAN_VERSION } from '../version.js';
import { analyzeCommand } from './commands/analyze-command.js';
import { demoCommand } from './commands/demo-command.js';
import { ingestCommand } from './commands/ingest-command.js';
import { serveCommand } from './commands/serve-command.js';

/** `tingjian` — every command a user runs; errors print as `error CODE: message`, exit 2. */
const program = new Command('tingjian')
  .description('听鉴 Tingjian: quality inspection of 100% of contact-center calls')
  .version(TINGJIAN_VERSION)
  .addCommand(demoCommand())
  .addCommand(ingestCommand())
  .addCommand(serveCommand())
  .addCommand(analyzeCommand());

program.parseAsync(process.argv).catch((e: unknown) => {
  if (isTingjianError(e)) process.stderr.write(`error ${e.code}: ${e.message}\n`);
  else process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 2;
});
