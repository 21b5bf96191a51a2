import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { createAppContext, type AppContext } from '../../app/app-context.js';
import { TingjianError } from '../../domain/errors.js';
import { dryRunRules, type DryRunReport } from '../../inspect/dry-run/dry-run-rules.js';
import type { ReinspectionFilter } from '../../ports/repositories.js';
import { RuleSetService, validateRuleFiles, type RuleSetSummary } from '../../rules/rule-set-service.js';
import { readRuleFiles, templatesDir } from '../../rules/templates.js';
import { addGlobalOptions, cliConfig, whoAmI, type GlobalOptions, commandLogger } from '../cli-config.js';
import { progressBar } from '../progress-bar.js';
import { renderTable } from '../text-table.js';

/**
 * `tingjian rules validate|test|publish|versions|show|templates`: rule set versions from the
 * command line — the same service, validation and messages as the HTTP API.
 */

export interface FilterOptions {
  businessLine?: string;
  agent?: string;
  team?: string;
  channel?: string;
  from?: string;
  to?: string;
}

export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--business-line <name>', 'only calls of this business line')
    .option('--agent <id>', 'only calls of this agent')
    .option('--team <id>', 'only calls of this team')
    .option('--channel <channel>', 'phone, chat or email')
    .option('--from <date>', 'calls started at or after (ISO date/time)')
    .option('--to <date>', 'calls started before (ISO date/time)');
}

export function filterFrom(opts: FilterOptions): ReinspectionFilter {
  const time = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const t = Date.parse(v);
    if (Number.isNaN(t)) throw new TingjianError('INVALID_REQUEST', `${flag} must be an ISO date or date-time (2025-09-15 or 2025-09-15T08:00:00+08:00), not "${v}"`);
    return t;
  };
  const from = time('--from', opts.from);
  const to = time('--to', opts.to);
  return {
    ...(opts.businessLine ? { businessLine: opts.businessLine } : {}),
    ...(opts.agent ? { agentId: opts.agent } : {}),
    ...(opts.team ? { teamId: opts.team } : {}),
    ...(opts.channel ? { channel: opts.channel } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
}

export function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new TingjianError('INVALID_REQUEST', `${flag} must be a whole number ≥ 1, not "${v}"`);
  return n;
}

export async function withApp<T>(opts: GlobalOptions, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = cliConfig(opts);
  const ctx = await createAppContext(config, commandLogger(config), { workers: false });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

function renderSummary(s: RuleSetSummary): string {
  const rows = s.modules.map((m) => [m.module, m.name, String(m.rules), String(m.scorecards)]);
  const notes = (s.unresolved ?? []).map((u) => `\nnote: ${u}`).join('');
  return `${renderTable(['module', 'name', 'rules', 'scorecards'], rows)}\n${s.rules} rules, ${s.scorecards} scorecards; sha256 ${s.hash.slice(0, 12)}${notes}`;
}

export function renderDryRun(r: DryRunReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const rows = r.rules.map((x) => [
    x.ruleId,
    x.ruleName,
    String(x.hitCalls),
    pct(x.hitRate),
    String(x.naCalls),
    x.removed ? `${x.published!.hitCalls} (removed)` : x.published ? String(x.published.hitCalls) : 'new',
    x.published ? `+${x.published.newlyHit}` : '',
    x.published ? `-${x.published.noLongerHit}` : '',
  ]);
  const lines = [
    `dry run over ${r.calls} stored calls; compared with ${r.publishedVersion === null ? 'nothing (no version published)' : `published version ${r.publishedVersion}`}`,
    renderTable(['rule', 'name', 'hit calls', 'rate', 'n/a', 'published', 'newly hit', 'no longer'], rows),
    `mean score: candidate ${r.meanScore.candidate ?? '—'}${r.publishedVersion !== null ? `, published ${r.meanScore.published ?? '—'}` : ''}`,
  ];
  for (const x of r.rules) {
    if (!x.examples.length && !x.published?.newlyHit && !x.published?.noLongerHit) continue;
    lines.push('', `${x.ruleId} ${x.ruleName}`);
    for (const ex of x.examples) {
      for (const ev of ex.evidence) lines.push(`  ${ex.externalId ?? ex.callId}  ${(ev.startMs / 1000).toFixed(1)}s  ${highlight(ev.text, ev.spans)}${ev.label ? `  [${ev.label}]` : ''}`);
      if (!ex.evidence.length) lines.push(`  ${ex.externalId ?? ex.callId}  (no sentence: a required thing is missing)`);
    }
    if (x.published?.newlyHitCallIds.length) lines.push(`  newly hit: ${x.published.newlyHitCallIds.join(' ')}${x.published.newlyHit > x.published.newlyHitCallIds.length ? ' …' : ''}`);
    if (x.published?.noLongerHitCallIds.length) lines.push(`  no longer hit: ${x.published.noLongerHitCallIds.join(' ')}${x.published.noLongerHit > x.published.noLongerHitCallIds.length ? ' …' : ''}`);
  }
  return lines.join('\n');
}

/** Marks matched characters with 【】 for a terminal. */
export function highlight(text: string, spans: Array<{ start: number; end: number }>): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    out += `${text.slice(at, s.start)}【${text.slice(s.start, s.end)}】`;
    at = s.end;
  }
  return out + text.slice(at);
}

function validateCommand(): Command {
  return new Command('validate')
    .description('check rule files (YAML/JSON, docs/rules.md); every problem is listed with file:line, path and what is allowed; no database needed')
    .argument('<files...>', 'rule files or folders of them')
    .action(async (files: string[]) => {
      const summary = validateRuleFiles(await readRuleFiles(files));
      process.stdout.write(`valid\n${renderSummary(summary)}\n`);
    });
}

interface TestOptions extends GlobalOptions, FilterOptions {
  limit?: string;
  replaceAll?: boolean;
  json?: boolean;
}

function testCommand(): Command {
  return addFilterOptions(
    addGlobalOptions(
      new Command('test')
        .description('dry run: judge stored calls with these rule files (merged over the published version) and show hit counts, rates, examples and the difference from the published version; nothing is stored')
        .argument('<files...>', 'rule files or folders of them')
        .option('--limit <n>', 'at most this many calls (default 1000)')
        .option('--replace-all', 'the files are the whole rule set (default: they replace the published modules of the same id)')
        .option('--json', 'print the report as JSON'),
    ),
  ).action(async (files: string[], opts: TestOptions) => {
    const inputs = await readRuleFiles(files);
    const filter = filterFrom(opts);
    const limit = opts.limit ? positiveInt('--limit', opts.limit) : 1000;
    const report = await withApp(opts, async (ctx) => {
      const service = new RuleSetService(ctx.db);
      const candidate = await service.candidate(inputs, { replaceAll: opts.replaceAll === true });
      const total = Math.min(limit, await ctx.db.repos.calls.countForReinspection(filter));
      const bar = opts.json ? null : progressBar('dry run', total);
      const r = await dryRunRules(ctx.db, candidate, { filter, limit, onProgress: (n) => bar?.update(n) });
      bar?.done();
      return r;
    });
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderDryRun(report)}\n`);
  });
}

interface PublishOptions extends GlobalOptions {
  version?: string;
  note?: string;
  draft?: boolean;
  replaceAll?: boolean;
}

function publishCommand(): Command {
  return addGlobalOptions(
    new Command('publish')
      .description('store rule files as a new version and publish it (new calls are judged with it; stored results stay as they are — re-inspect them with `tingjian reinspect`); or publish a stored draft with --version')
      .argument('[files...]', 'rule files or folders of them')
      .option('--version <n>', 'publish this stored draft instead')
      .option('--note <text>', 'what changed')
      .option('--draft', 'store the version without publishing it')
      .option('--replace-all', 'the files are the whole rule set (default: they replace the published modules of the same id)'),
  ).action(async (files: string[], opts: PublishOptions) => {
    if (opts.version !== undefined && files.length) throw new TingjianError('INVALID_REQUEST', 'give rule files or --version, not both');
    if (opts.version === undefined && !files.length) throw new TingjianError('INVALID_REQUEST', 'give rule files to publish (or --version N to publish a stored draft)');
    const inputs = files.length ? await readRuleFiles(files) : [];
    const out = await withApp(opts, async (ctx) => {
      const service = new RuleSetService(ctx.db);
      if (opts.version !== undefined) {
        const v = await service.publish(positiveInt('--version', opts.version));
        return `published rule set version ${v.version}`;
      }
      const v = await service.create(inputs, { replaceAll: opts.replaceAll === true, publish: opts.draft !== true, note: opts.note ?? null, createdBy: whoAmI() });
      return `${v.status === 'published' ? 'published' : 'stored draft'} rule set version ${v.version}\n${renderSummary(v)}`;
    });
    process.stdout.write(`${out}\n`);
  });
}

function versionsCommand(): Command {
  return addGlobalOptions(new Command('versions').description('list rule set versions, newest first')).action(async (opts: GlobalOptions) => {
    const list = await withApp(opts, (ctx) => new RuleSetService(ctx.db).list());
    if (!list.length) {
      process.stdout.write('no rule set version yet: `tingjian init` publishes the built-in templates; `tingjian rules publish <files>` your own\n');
      return;
    }
    const rows = list.map((v) => [String(v.version), v.status, iso(v.createdAt), iso(v.publishedAt), v.createdBy ?? '', v.sha256.slice(0, 12), v.note ?? '']);
    process.stdout.write(`${renderTable(['version', 'status', 'created', 'published', 'by', 'sha256', 'note'], rows)}\n`);
  });
}

interface ShowOptions extends GlobalOptions {
  version?: string;
  out?: string;
  json?: boolean;
}

function showCommand(): Command {
  return addGlobalOptions(
    new Command('show')
      .description('show the published version (or --version N); --out <dir> writes its modules as YAML files to edit and publish again')
      .option('--version <n>', 'a stored version')
      .option('--out <dir>', 'write one YAML file per module here')
      .option('--json', 'print the document as JSON'),
  ).action(async (opts: ShowOptions) => {
    const v = await withApp(opts, async (ctx) => {
      const service = new RuleSetService(ctx.db);
      const got = opts.version !== undefined ? await service.get(positiveInt('--version', opts.version)) : await service.published();
      if (!got) throw new TingjianError('NOT_FOUND', 'no rule set version is published yet: `tingjian init` publishes the built-in templates');
      return got;
    });
    if (opts.out) {
      await mkdir(opts.out, { recursive: true });
      for (const m of v.document.modules) await writeFile(path.join(opts.out, `${m.module}.yaml`), stringify(m, { lineWidth: 0 }));
      process.stdout.write(`wrote ${v.document.modules.length} modules of version ${v.version} to ${opts.out}\n`);
      return;
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(v.document, null, 2)}\n`);
      return;
    }
    const rows = v.document.modules.flatMap((m) => m.rules.map((r) => [`${m.module}.${r.id}`, r.name, r.type ?? 'violation', r.severity ?? 'normal', r.enabled === false ? 'off' : '']));
    process.stdout.write(`rule set version ${v.version} (${v.status})${v.note ? ` — ${v.note}` : ''}\n${renderTable(['rule', 'name', 'type', 'severity', ''], rows)}\n`);
  });
}

function templatesCommand(): Command {
  return new Command('templates')
    .description('copy the built-in Chinese rule templates (通用客服, 电商/物流, 金融, 电信) to a folder to edit')
    .requiredOption('--out <dir>', 'folder to write them to')
    .action(async (opts: { out: string }) => {
      const files = await readRuleFiles([templatesDir()]);
      await mkdir(opts.out, { recursive: true });
      for (const f of files) await writeFile(path.join(opts.out, path.basename(f.name)), f.text ?? '');
      process.stdout.write(`wrote ${files.length} templates to ${opts.out}: ${files.map((f) => path.basename(f.name)).join(', ')}\n`);
    });
}

export function rulesCommand(): Command {
  return new Command('rules')
    .description('rule sets: validate, dry-run, publish versions (docs/rules.md)')
    .addCommand(validateCommand())
    .addCommand(testCommand())
    .addCommand(publishCommand())
    .addCommand(versionsCommand())
    .addCommand(showCommand())
    .addCommand(templatesCommand());
}
