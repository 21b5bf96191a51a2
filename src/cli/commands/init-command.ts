import { Command } from 'commander';
import { installTemplates } from '../../rules/templates.js';
import { addGlobalOptions, type GlobalOptions } from '../cli-config.js';
import { withApp } from './rules-command.js';
import type { AppContext } from '../../app/app-context.js';
import { SYSTEM_ACTOR } from '../../audit/audit-log.js';

/**
 * The first administrator, when the database has no account: its generated password is printed
 * this once (stored only as an argon2id hash). Later runs print nothing.
 */
export async function firstAdmin(ctx: AppContext): Promise<string> {
  const created = await ctx.accounts.ensureFirstAdmin();
  if (!created) return '';
  await ctx.audit.record({ actor: SYSTEM_ACTOR, action: 'user.create', targetType: 'user', targetId: created.username, outcome: 'allowed', details: { username: created.username, role: 'admin', first: true } });
  return `created the first administrator — user: ${created.username}  password: ${created.password}\n(shown once: sign in and change it, or \`tingjian users reset-password ${created.username}\`)\n`;
}

/** `tingjian init`: the data folder and database (migrated), and the built-in rule templates published as version 1. */
export function initCommand(): Command {
  return addGlobalOptions(new Command('init').description('create the data folder and database and publish the built-in rule templates (only when no rule set exists)')).action(async (opts: GlobalOptions) => {
    const out = await withApp(opts, async (ctx) => {
      const t = await installTemplates(ctx.db);
      const admin = await firstAdmin(ctx);
      return `${admin}data folder ${ctx.config.dataDir}; database ${ctx.db.dialect} migrated\n${t.installed ? `published the built-in rule templates as rule set version ${t.version}` : `rule sets already exist (published version: ${t.version ?? 'none'}); templates not installed — \`tingjian rules templates --out <dir>\` copies them`}`;
    });
    process.stdout.write(`${out}\n`);
  });
}
