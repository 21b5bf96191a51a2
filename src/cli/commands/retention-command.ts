import { Command } from 'commander';
import type { AuditActor } from '../../audit/audit-event.js';
import { TingjianError } from '../../domain/errors.js';
import type { HoldFilter } from '../../retention/retention-service.js';
import { loadRetentionPolicy } from '../../retention/parse-retention-policy.js';
import type { RetentionPolicy } from '../../retention/retention-policy.js';
import { addGlobalOptions, whoAmI, type GlobalOptions } from '../cli-config.js';
import { progressBar } from '../progress-bar.js';
import { renderTable } from '../text-table.js';
import { withApp } from './rules-command.js';

/** The CLI acts as the process, on behalf of the OS user running it. */
export const cliActor = (): AuditActor => ({ userId: null, username: whoAmI(), role: null, via: 'system' });

interface HoldOptions extends GlobalOptions {
  reason?: string;
  customerPhone?: string;
  externalIds?: string;
}

const holdFilter = (ids: string[], o: HoldOptions): HoldFilter => ({
  ...(ids.length ? { callIds: ids } : {}),
  ...(o.customerPhone ? { customerPhone: o.customerPhone } : {}),
  ...(o.externalIds ? { externalIds: o.externalIds.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
});

const withFilterOptions = (cmd: Command) =>
  cmd
    .argument('[callIds...]', 'call ids')
    .option('--customer-phone <phone>', 'every call of this customer phone')
    .option('--external-ids <ids>', 'calls by their external ids, comma-separated');

function renderPolicy(p: RetentionPolicy): string {
  const rows = p.rules.map((r) => [
    r.id,
    Object.entries(r.match)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${(v as string[]).join('|')}`)
      .join(' '),
    String(r.keepDays),
    r.keepMisdials ? 'kept' : '',
  ]);
  const misdial = p.misdialMaxSeconds !== undefined ? `\nmisdials: phone calls under ${p.misdialMaxSeconds} s kept ${p.misdialKeepDays} days` : '';
  return `${rows.length ? `${renderTable(['rule', 'match', 'keep days', 'misdials'], rows)}\n` : ''}default: ${p.defaultKeepDays} days${misdial}\n(the longest keep of the matching rules wins)`;
}

/**
 * `tingjian retention …`: the policy, expiries computed again after it changed, purges, legal
 * holds. Holds and purges leave audit entries with the OS user as the actor.
 */
export function retentionCommand(): Command {
  const cmd = new Command('retention').description('retention policy, legal holds and purges of expired calls');

  cmd.addCommand(
    addGlobalOptions(new Command('policy').description('check a retention policy file and show it (default: the one in force)').option('--file <file>', 'a policy file to check')).action(
      async (opts: GlobalOptions & { file?: string }) => {
        if (opts.file) {
          process.stdout.write(`${renderPolicy(loadRetentionPolicy(opts.file))}\n${opts.file} is valid\n`);
          return;
        }
        await withApp(opts, async (ctx) => {
          process.stdout.write(`${renderPolicy(ctx.retention.policy)}\nworm: ${ctx.config.worm ? 'on' : 'off'}\n`);
        });
      },
    ),
  );

  cmd.addCommand(
    addGlobalOptions(new Command('apply').description("compute every stored call's expiry under the policy again (after changing it; for calls stored before retention existed)")).action(
      async (opts: GlobalOptions) => {
        const n = await withApp(opts, async (ctx) => {
          const bar = progressBar('apply', await ctx.db.repos.calls.countForReinspection({}));
          const done = await ctx.retention.apply({ onProgress: (k) => bar.update(k) });
          bar.done();
          return done;
        });
        process.stdout.write(`expiry computed for ${n} calls\n`);
      },
    ),
  );

  cmd.addCommand(
    addGlobalOptions(new Command('purge').description('delete the calls that have expired and are not on legal hold').option('--dry-run', 'list them, delete nothing')).action(
      async (opts: GlobalOptions & { dryRun?: boolean }) => {
        await withApp(opts, async (ctx) => {
          const { due } = await ctx.db.repos.retention.countDue(Date.now());
          const bar = progressBar(opts.dryRun ? 'dry run' : 'purge', due);
          const r = await ctx.retention.purge({ dryRun: opts.dryRun === true, actor: cliActor(), onProgress: (k) => bar.update(k) });
          bar.done();
          const verb = r.dryRun ? 'would delete' : 'deleted';
          for (const c of r.calls) process.stdout.write(`${verb} ${c.externalId ?? c.callId}  ${c.policy ?? ''}  expired ${c.expiresAt ?? ''}\n`);
          if (r.purged > r.calls.length) process.stdout.write(`… and ${r.purged - r.calls.length} more\n`);
          for (const f of r.failed) process.stderr.write(`  ✗ ${f.callId}: ${f.error}\n`);
          process.stdout.write(
            `${r.purged} calls ${r.dryRun ? 'would be deleted' : 'deleted'}; ${r.heldExpired} expired but on legal hold; ${r.locked} retained by the store (WORM)${r.resumed ? `; ${r.resumed} earlier deletions finished` : ''}\n`,
          );
          if (r.failed.length) process.exitCode = 1;
        });
      },
    ),
  );

  cmd.addCommand(
    addGlobalOptions(withFilterOptions(new Command('hold').description('put calls on legal hold: never purged or deleted until released')).requiredOption('--reason <text>', 'why (the case, the ticket, who asked)')).action(
      async (ids: string[], opts: HoldOptions) => {
        await withApp(opts, async (ctx) => {
          const r = await ctx.retention.hold(holdFilter(ids, opts), opts.reason!, whoAmI(), { auditAs: cliActor() });
          process.stdout.write(`${r.held.length} calls on legal hold\n`);
          for (const id of r.missing) process.stderr.write(`  ✗ ${id}: no such call\n`);
          if (r.missing.length) process.exitCode = 1;
        });
      },
    ),
  );

  cmd.addCommand(
    addGlobalOptions(withFilterOptions(new Command('release').description('release legal holds: the calls are purged once their expiry passes'))).action(async (ids: string[], opts: HoldOptions) => {
      await withApp(opts, async (ctx) => {
        const r = await ctx.retention.release(holdFilter(ids, opts), { auditAs: cliActor() });
        process.stdout.write(`${r.released.length} holds released${r.notHeld.length ? `; ${r.notHeld.length} calls were not on hold` : ''}\n`);
      });
    }),
  );

  cmd.addCommand(
    addGlobalOptions(new Command('show').description("a call's expiry, the rule that set it, its legal hold").argument('<callId>')).action(async (id: string, opts: GlobalOptions) => {
      await withApp(opts, async (ctx) => {
        const v = await ctx.retention.get(id);
        const hold = v.legalHold ? `on legal hold since ${v.legalHold.at} by ${v.legalHold.by}: ${v.legalHold.reason}` : 'no legal hold';
        const expiry = v.expiresAt ? `expires ${v.expiresAt} (${v.policy})${v.expired ? ', expired' : ''}` : 'no expiry computed (run `tingjian retention apply`)';
        process.stdout.write(`${id}: ${expiry}; ${hold}${v.recordingRetainedUntil ? `; recording retained until ${v.recordingRetainedUntil}` : ''}\n`);
      });
    }),
  );
  return cmd;
}

/** `tingjian calls delete <id…>`: as the purge deletes, refused while held and (WORM) before expiry. */
export function callsCommand(): Command {
  return new Command('calls').description('manage stored calls').addCommand(
    addGlobalOptions(new Command('delete').description('delete calls and everything derived from them (refused while on legal hold; in WORM mode before they expire)').argument('<callIds...>')).action(
      async (ids: string[], opts: GlobalOptions) => {
        await withApp(opts, async (ctx) => {
          for (const id of ids) {
            try {
              const d = await ctx.retention.deleteCall(id, { auditAs: cliActor() });
              process.stdout.write(`deleted ${d.externalId ?? d.callId}\n`);
            } catch (e) {
              if (!(e instanceof TingjianError)) throw e;
              process.stderr.write(`  ✗ ${id}: ${e.code}: ${e.message}\n`);
              process.exitCode = 1;
            }
          }
        });
      },
    ),
  );
}
