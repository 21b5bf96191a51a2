import { Command } from 'commander';
import { isTingjianError } from '../domain/errors.js';
import { TINGJIAN_VERSION } from '../version.js';
import { analyzeCommand } from './commands/analyze-command.js';
import { auditCommand } from './commands/audit-command.js';
import { demoCommand } from './commands/demo-command.js';
import { dictionaryCommand } from './commands/dictionary-command.js';
import { ingestCommand } from './commands/ingest-command.js';
import { initCommand } from './commands/init-command.js';
import { keysCommand } from './commands/keys-command.js';
import { reindexCommand } from './commands/reindex-command.js';
import { reinspectCommand } from './commands/reinspect-command.js';
import { callsCommand, retentionCommand } from './commands/retention-command.js';
import { rulesCommand } from './commands/rules-command.js';
import { retryCommand } from './commands/retry-command.js';
import { searchCommand } from './commands/search-command.js';
import { serveCommand } from './commands/serve-command.js';
import { topicsCommand } from './commands/topics-command.js';
import { verifyCommand } from './commands/verify-command.js';
import { tokensCommand, usersCommand } from './commands/users-command.js';

/** `tingjian` — every command a user runs; errors print as `error CODE: message`, exit 2. */
const program = new Command('tingjian')
  .description('听鉴 Tingjian: quality inspection of 100% of contact-center calls')
  .version(TINGJIAN_VERSION)
  // `tingjian --version` only before a command, so `tingjian dictionary show --version 3` is the command's.
  .enablePositionalOptions()
  .addCommand(initCommand())
  .addCommand(demoCommand())
  .addCommand(ingestCommand())
  .addCommand(serveCommand())
  .addCommand(retryCommand())
  .addCommand(analyzeCommand())
  .addCommand(dictionaryCommand())
  .addCommand(rulesCommand())
  .addCommand(reinspectCommand())
  .addCommand(searchCommand())
  .addCommand(reindexCommand())
  .addCommand(retentionCommand())
  .addCommand(callsCommand())
  .addCommand(topicsCommand())
  .addCommand(verifyCommand())
  .addCommand(keysCommand())
  .addCommand(usersCommand())
  .addCommand(tokensCommand())
  .addCommand(auditCommand());

program.parseAsync(process.argv).catch((e: unknown) => {
  if (isTingjianError(e)) process.stderr.write(`error ${e.code}: ${e.message}\n`);
  // A file the user named that cannot be read (ENOENT, EACCES, EISDIR …: `analyze missing.wav`,
  // `ingest --manifest missing.csv`) is the user's to fix, not a crash: no stack trace.
  else if (e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === 'string') process.stderr.write(`error ${e.message}\n`); // "ENOENT: no such file or directory, stat 'x.wav'"
  else process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 2;
});
