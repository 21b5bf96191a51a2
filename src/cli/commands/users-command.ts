import { Command, Option } from 'commander';
import { accountView, type Account } from '../../access/account.js';
import { isPermission, ROLES, type Permission, type Role } from '../../access/permissions.js';
import { generatePassword } from '../../access/secrets.js';
import type { AppContext } from '../../app/app-context.js';
import type { AuditActor } from '../../audit/audit-event.js';
import { TingjianError } from '../../domain/errors.js';
import { addGlobalOptions, whoAmI, type GlobalOptions } from '../cli-config.js';
import { renderTable } from '../text-table.js';
import { withApp } from './rules-command.js';

/** Changes made from the command line are audited as the system, with the operating-system user. */
const cliActor = (): AuditActor => ({ userId: null, username: whoAmI(), role: null, via: 'system' });

async function audited(ctx: AppContext, action: string, target: { type: string; id: string }, details: Record<string, unknown>): Promise<void> {
  await ctx.audit.record({ actor: cliActor(), action, targetType: target.type, targetId: target.id, outcome: 'allowed', details: { ...details, via: 'cli' } });
}

async function byName(ctx: AppContext, username: string): Promise<Account> {
  const a = await ctx.db.repos.accounts.findByUsername(username);
  if (!a) throw new TingjianError('NOT_FOUND', `no user ${username}: \`tingjian users list\` shows them`);
  return a;
}

/** Passwords are read from stdin (never a flag: flags end up in shell history and `ps`). */
async function readStdinPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

interface CreateOptions extends GlobalOptions {
  role: Role;
  displayName?: string;
  agentId?: string;
  team?: string[];
  businessLine?: string[];
  passwordStdin?: boolean;
}

/** `tingjian users …`: accounts from the command line (the first admin, recovery, scripting). */
export function usersCommand(): Command {
  const cmd = new Command('users').description('accounts: list, create, reset passwords, disable, unlock');

  cmd.addCommand(
    addGlobalOptions(new Command('list').description('every account with its role and data scope')).action(async (opts: GlobalOptions) => {
      const out = await withApp(opts, async (ctx) => {
        const now = Date.now();
        const rows = (await ctx.accounts.list()).map((a) => {
          const v = accountView(a, now);
          const scope = v.agentId ? `agent ${v.agentId}` : v.teamIds.length ? `teams ${v.teamIds.join(',')}` : v.businessLines.length ? `lines ${v.businessLines.join(',')}` : '';
          return [v.username, v.role, scope, v.disabled ? 'disabled' : v.locked ? 'locked' : 'active'];
        });
        return renderTable(['user', 'role', 'scope', 'status'], rows);
      });
      process.stdout.write(`${out}\n`);
    }),
  );

  cmd.addCommand(
    addGlobalOptions(
      new Command('create')
        .description('create an account; prints a generated password unless --password-stdin')
        .argument('<username>')
        .addOption(new Option('--role <role>', 'role').choices(ROLES).makeOptionMandatory())
        .option('--display-name <name>')
        .option('--agent-id <id>', 'role agent: the agent id in call metadata')
        .option('--team <ids>', 'role team_lead: team ids (repeat or comma-separate)', list)
        .option('--business-line <lines>', 'role inspector: business lines (repeat or comma-separate)', list)
        .option('--password-stdin', 'read the password from standard input'),
    ).action(async (username: string, opts: CreateOptions) => {
      const password = opts.passwordStdin ? await readStdinPassword() : generatePassword();
      const a = await withApp(opts, async (ctx) => {
        const created = await ctx.accounts.createAccount({ username, password, role: opts.role, displayName: opts.displayName, agentId: opts.agentId, teamIds: opts.team, businessLines: opts.businessLine });
        await audited(ctx, 'user.create', { type: 'user', id: created.id }, { username, role: opts.role });
        return created;
      });
      process.stdout.write(`created ${a.username} (${a.role})${opts.passwordStdin ? '' : `\npassword: ${password}\n(shown once; the user changes it with POST /api/v1/auth/password)`}\n`);
    }),
  );

  cmd.addCommand(
    addGlobalOptions(
      new Command('reset-password').description('set a new password (generated unless --password-stdin) and sign the user out everywhere').argument('<username>').option('--password-stdin', 'read the password from standard input'),
    ).action(async (username: string, opts: GlobalOptions & { passwordStdin?: boolean }) => {
      const password = opts.passwordStdin ? await readStdinPassword() : generatePassword();
      await withApp(opts, async (ctx) => {
        const a = await byName(ctx, username);
        await ctx.accounts.setPassword(a.id, password);
        await audited(ctx, 'user.password_reset', { type: 'user', id: a.id }, { username });
      });
      process.stdout.write(opts.passwordStdin ? `password of ${username} set\n` : `new password of ${username}: ${password}\n`);
    }),
  );

  for (const [name, description, changes, unlock] of [
    ['disable', 'disable an account and end its sessions', { disabled: true }, false],
    ['enable', 'enable a disabled account', { disabled: false }, false],
    ['unlock', 'clear the lock after too many failed logins', {}, true],
  ] as const) {
    cmd.addCommand(
      addGlobalOptions(new Command(name).description(description).argument('<username>')).action(async (username: string, opts: GlobalOptions) => {
        await withApp(opts, async (ctx) => {
          const a = await byName(ctx, username);
          await ctx.accounts.updateAccount(a.id, changes, { unlock });
          await audited(ctx, 'user.update', { type: 'user', id: a.id }, { username, changes: { ...changes, ...(unlock ? { unlock } : {}) } });
        });
        process.stdout.write(`${username}: ${name}d\n`);
      }),
    );
  }
  return cmd;
}

interface TokenOptions extends GlobalOptions {
  name: string;
  scope?: string[];
  expires?: string;
}

/** `tingjian tokens …`: API tokens for integrations. `create` prints only the token, for scripts. */
export function tokensCommand(): Command {
  const cmd = new Command('tokens').description('API tokens: create (printed once), list, revoke');
  cmd.addCommand(
    addGlobalOptions(
      new Command('create')
        .description("create an API token for an account; stdout is the token alone. Scopes narrow the role's permissions")
        .argument('<username>')
        .requiredOption('--name <name>', 'what the token is for, e.g. "PBX connector"')
        .option('--scope <permissions>', 'permissions (repeat or comma-separate); default: all of the role', list)
        .option('--expires <iso>', 'expiry, ISO 8601; default: never'),
    ).action(async (username: string, opts: TokenOptions) => {
      const bad = (opts.scope ?? []).filter((s) => !isPermission(s));
      if (bad.length) throw new TingjianError('INVALID_REQUEST', `unknown permission(s) ${bad.join(', ')}`);
      const expiresAt = opts.expires === undefined ? null : Date.parse(opts.expires);
      if (Number.isNaN(expiresAt)) throw new TingjianError('INVALID_REQUEST', `--expires ${opts.expires}: not an ISO 8601 date`);
      const token = await withApp(opts, async (ctx) => {
        const a = await byName(ctx, username);
        const r = await ctx.accounts.createToken(a.id, { name: opts.name, scopes: opts.scope as Permission[] | undefined, expiresAt }, null);
        await audited(ctx, 'token.create', { type: 'user', id: a.id }, { username, tokenId: r.view.id, name: opts.name, scopes: r.view.scopes });
        return r.token;
      });
      process.stdout.write(`${token}\n`);
    }),
  );
  cmd.addCommand(
    addGlobalOptions(new Command('list').description("an account's tokens (never their secrets)").argument('<username>')).action(async (username: string, opts: GlobalOptions) => {
      const out = await withApp(opts, async (ctx) => {
        const a = await byName(ctx, username);
        const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
        const rows = (await ctx.accounts.listTokens(a.id)).map((t) => [t.id, t.name, t.revokedAt ? 'revoked' : 'active', iso(t.expiresAt), iso(t.lastUsedAt), t.scopes.join(',')]);
        return renderTable(['id', 'name', 'status', 'expires', 'last used', 'scopes'], rows);
      });
      process.stdout.write(`${out}\n`);
    }),
  );
  cmd.addCommand(
    addGlobalOptions(new Command('revoke').description('revoke a token at once').argument('<tokenId>')).action(async (id: string, opts: GlobalOptions) => {
      await withApp(opts, async (ctx) => {
        const t = await ctx.accounts.revokeToken(id);
        await audited(ctx, 'token.revoke', { type: 'token', id }, { userId: t.userId, name: t.name });
      });
      process.stdout.write(`token ${id} revoked\n`);
    }),
  );
  return cmd;
}
