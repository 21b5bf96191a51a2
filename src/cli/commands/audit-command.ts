import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import type { VerifyReport } from '../../audit/audit-chain.js';
import { AUDIT_EXPORT_FORMATS, exportText, type AuditExportFormat } from '../../audit/audit-export.js';
import { SYSTEM_ACTOR } from '../../audit/audit-log.js';
import type { AuditFilter } from '../../ports/repositories.js';
import { addGlobalOptions, whoAmI, type GlobalOptions } from '../cli-config.js';
import { filterFrom, withApp } from './rules-command.js';

/**
 * `tingjian audit verify|export|purge`: the tamper-evident audit log from the command line —
 * check its hash chain, export it (with hashes, verifiable elsewhere), apply its retention.
 */
export function auditCommand(): Command {
  return new Command('audit')
    .description('the audit log: verify its hash chain, export it, purge entries past their retention')
    .addCommand(verifyCommand())
    .addCommand(exportCommand())
    .addCommand(purgeCommand());
}

export function renderVerifyReport(r: VerifyReport): string {
  const where = `anchor seq ${r.anchor.seq}, head seq ${r.head.seq} ${r.head.hash.slice(0, 16)}`;
  if (r.intact) return `${r.entries} entries, chain intact (${where})`;
  const lines = [`${r.entries} entries, ${r.problemCount} problem${r.problemCount === 1 ? '' : 's'} (${where}):`];
  for (const p of r.problems) lines.push(`  seq ${p.toSeq !== undefined && p.toSeq !== p.seq ? `${p.seq}–${p.toSeq}` : p.seq}  ${p.kind}: ${p.message}`);
  if (r.problemCount > r.problems.length) lines.push(`  … and ${r.problemCount - r.problems.length} more`);
  return lines.join('\n');
}

function verifyCommand(): Command {
  return addGlobalOptions(
    new Command('verify').description('recompute every hash of the audit log from its anchor; exit 1 listing each problem (changed, removed, inserted entries)').option('--json', 'the report as JSON'),
  ).action(async (opts: GlobalOptions & { json?: boolean }) => {
    const report = await withApp(opts, (ctx) => ctx.audit.verify());
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderVerifyReport(report)}\n`);
    if (!report.intact) process.exitCode = 1;
  });
}

interface ExportOptions extends GlobalOptions {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  target?: string;
  outcome?: string;
  format: AuditExportFormat;
  out?: string;
}

export function auditFilterFrom(opts: Omit<ExportOptions, 'format'>): AuditFilter {
  const { from, to } = filterFrom({ ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) });
  return {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(opts.actor ? { actor: opts.actor } : {}),
    ...(opts.action ? { action: opts.action } : {}),
    ...(opts.target ? { targetId: opts.target } : {}),
    ...(opts.outcome ? { outcome: opts.outcome } : {}),
  };
}

function exportCommand(): Command {
  return addGlobalOptions(
    new Command('export')
      .description('write audit entries, oldest first, with their hashes (JSON Lines are verifiable elsewhere: docs/security.md)')
      .option('--from <date>', 'entries at or after (ISO date/time)')
      .option('--to <date>', 'entries before (ISO date/time)')
      .option('--actor <username>', 'entries of this user')
      .option('--action <action>', 'an action (call.view), or every action under a prefix ending in a dot (call.)')
      .option('--target <id>', 'entries about this target (a call id, a username …)')
      .option('--outcome <outcome>', 'allowed, denied or failed')
      .addOption(new Option('--format <format>', 'jsonl or csv').choices(AUDIT_EXPORT_FORMATS).default('jsonl'))
      .option('--out <file>', 'write to this file (default: standard output)'),
  ).action(async (opts: ExportOptions) => {
    const filter = auditFilterFrom(opts);
    const n = await withApp(opts, async (ctx) => {
      const { audit } = ctx;
      let entries = 0;
      const counted = async function* () {
        for await (const batch of audit.entries(filter)) {
          entries += batch.length;
          yield batch;
        }
      };
      const sink = opts.out ? createWriteStream(opts.out, { mode: 0o600 }) : stdoutKeptOpen();
      await pipeline(Readable.from(exportText(opts.format, counted())), sink);
      // An export takes the trail out of the system: it is itself recorded.
      await audit.record({
        actor: SYSTEM_ACTOR,
        action: 'audit.export',
        targetType: 'audit_log',
        outcome: 'allowed',
        details: { filter, format: opts.format, entries, by: whoAmI(), ...(opts.out ? { out: opts.out } : {}) },
      });
      return entries;
    });
    if (opts.out) process.stderr.write(`exported ${n} audit entries to ${opts.out}\n`);
  });
}

/** Standard output as a pipeline's sink, without the pipeline closing it. */
function stdoutKeptOpen(): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      if (process.stdout.write(chunk)) done();
      else process.stdout.once('drain', () => done());
    },
  });
}

function purgeCommand(): Command {
  return addGlobalOptions(
    new Command('purge').description('delete audit entries older than the retention (TINGJIAN_AUDIT_RETENTION_DAYS, default 1095); the chain stays verifiable and the purge is itself recorded'),
  ).action(async (opts: GlobalOptions) => {
    const { facts, days } = await withApp(opts, async (ctx) => ({
      facts: await ctx.audit.purgeExpired(),
      days: ctx.config.auditRetentionDays,
    }));
    process.stdout.write(
      facts.deleted > 0
        ? `purged ${facts.deleted} audit entries older than ${days} days (before ${new Date(facts.before).toISOString()}), through seq ${facts.throughSeq}; the chain continues from there\n`
        : `nothing to purge: no audit entry older than ${days} days (before ${new Date(facts.before).toISOString()})\n`,
    );
  });
}
