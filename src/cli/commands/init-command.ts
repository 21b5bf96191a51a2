import { Command } from 'commander';
import { installTemplates } from '../../rules/templates.js';
import { addGlobalOptions, type GlobalOptions } from '../cli-config.js';
import { withApp } from './rules-command.js';

/** `tingjian init`: the data folder and database (migrated), and the built-in rule templates published as version 1. */
export function initCommand(): Command {
  return addGlobalOptions(new Command('init').description('create the data folder and database and publish the built-in rule templates (only when no rule set exists)')).action(async (opts: GlobalOptions) => {
    const out = await withApp(opts, async (ctx) => {
      const t = await installTemplates(ctx.db);
      return `data folder ${ctx.config.dataDir}; database ${ctx.db.dialect} migrated\n${t.installed ? `published the built-in rule templates as rule set version ${t.version}` : `rule sets already exist (published version: ${t.version ?? 'none'}); templates not installed — \`tingjian rules templates --out <dir>\` copies them`}`;
    });
    process.stdout.write(`${out}\n`);
  });
}
