import { Command } from 'commander';
import { createAppContext } from '../../app/app-context.js';
import { TingjianError } from '../../domain/errors.js';
import { readTextWithoutBom } from '../../ingest/discover-inputs.js';
import type { CorrectionDictionaryVersion } from '../../ports/repositories.js';
import { compileDictionary } from '../../transcribe/correction/compile-dictionary.js';
import { parseCorrectionDictionary } from '../../transcribe/correction/correction-dictionary.schema.js';
import { CorrectionService, NO_DICTIONARY_HINT } from '../../transcribe/correction/correction-service.js';
import { correctText, type CorrectionResult } from '../../transcribe/correction/correct-text.js';
import { addGlobalOptions, cliConfig, whoAmI, type GlobalOptions, commandLogger } from '../cli-config.js';
import { renderTable } from '../text-table.js';

/**
 * `tingjian dictionary show|set|versions|try`: the ASR correction dictionary from the command line,
 * the same service and the same messages as the HTTP API.
 */

interface ShowOptions extends GlobalOptions {
  version?: string;
  json?: boolean;
}
interface SetOptions extends GlobalOptions {
  note?: string;
}
interface TryOptions extends ShowOptions {
  dictionary?: string;
}

async function withCorrections<T>(opts: GlobalOptions, fn: (corrections: CorrectionService) => Promise<T>): Promise<T> {
  const config = cliConfig(opts);
  const ctx = await createAppContext(config, commandLogger(config), { workers: false });
  try {
    return await fn(new CorrectionService(ctx.db));
  } finally {
    await ctx.close();
  }
}

function parseVersion(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new TingjianError('INVALID_REQUEST', `--version must be a version number (1, 2, …), not "${v}"`);
  return n;
}

/** The dictionary file a user names: JSON (a UTF-8 BOM allowed); every message names the file. */
async function readDictionaryFile(file: string): Promise<unknown> {
  if (/\.ya?ml$/i.test(file)) throw new TingjianError('INVALID_REQUEST', `${file}: YAML is not supported; write the dictionary as JSON (docs/schemas/correction-dictionary.schema.json)`);
  const text = await readTextWithoutBom(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TingjianError('INVALID_REQUEST', `${file} is not valid JSON: ${(e as Error).message}`);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function renderVersion(v: CorrectionDictionaryVersion): string {
  const compiled = compileDictionary(v.doc);
  const rows = v.doc.terms.map((t, i) => {
    const pinyin = compiled.terms[i]?.pinyin;
    return [t.term, (t.aliases ?? []).join(', '), (t.keep ?? []).join(', '), pinyin ? `pinyin ≥ ${pinyin.minSimilarity}` : 'aliases only'];
  });
  return [
    `correction dictionary version ${v.version}: ${v.doc.terms.length} terms, saved ${iso(v.createdAt)}${v.createdBy ? ` by ${v.createdBy}` : ''}`,
    ...(v.note ? [`note: ${v.note}`] : []),
    '',
    rows.length ? renderTable(['term', 'aliases', 'keep', 'matched by'], rows) : '(no terms: nothing is corrected)',
  ].join('\n');
}

function renderTry(r: CorrectionResult & { version: number | null }, source: string): string {
  const from = r.version === null ? source : `dictionary version ${r.version}`;
  if (r.corrections.length === 0) return `${r.text}\n  no change (${from})`;
  const lines = r.corrections.map((c) => `  ${c.from} → ${c.to}  at ${c.index}, ${c.by === 'alias' ? 'alias' : `pinyin ${c.similarity}`}`);
  return [r.text, ...lines, `  (${from})`].join('\n');
}

function showCommand(): Command {
  return addGlobalOptions(
    new Command('show')
      .description('print the newest dictionary (or --version N); --json prints the document itself, to edit and `set` again')
      .option('--version <n>', 'a saved version instead of the newest')
      .option('--json', 'print the dictionary document as JSON'),
  ).action(async (opts: ShowOptions) => {
    const v = await withCorrections(opts, (c) => (opts.version !== undefined ? c.get(parseVersion(opts.version)) : c.latest()));
    process.stdout.write(opts.json ? `${JSON.stringify(v.doc, null, 2)}\n` : `${renderVersion(v)}\n`);
  });
}

function setCommand(): Command {
  return addGlobalOptions(
    new Command('set')
      .description('save a dictionary file (JSON, docs/schemas/correction-dictionary.schema.json) as a new version; a starter: samples/correction-dictionary.json')
      .argument('<file>', 'the dictionary as JSON')
      .option('--note <text>', 'what changed in this version (replaces the note in the file)'),
  ).action(async (file: string, opts: SetOptions) => {
    // Validated before the database is opened, so a bad file never creates a data folder.
    const doc = parseCorrectionDictionary(await readDictionaryFile(file), file);
    const withNote = opts.note !== undefined ? { ...doc, note: opts.note } : doc;
    const saved = await withCorrections(opts, (c) => c.save(withNote, { createdBy: whoAmI(), source: file }));
    process.stdout.write(`saved correction dictionary version ${saved.version} (${saved.terms} terms) from ${file}\n`);
  });
}

function versionsCommand(): Command {
  return addGlobalOptions(new Command('versions').description('list the saved versions, newest first')).action(async (opts: GlobalOptions) => {
    const versions = await withCorrections(opts, (c) => c.list());
    if (versions.length === 0) {
      process.stdout.write(`${NO_DICTIONARY_HINT}\n`);
      return;
    }
    const rows = versions.map((v) => [String(v.version), iso(v.createdAt), v.createdBy ?? '', String(v.terms), v.note ?? '']);
    process.stdout.write(`${renderTable(['version', 'saved', 'by', 'terms', 'note'], rows)}\n`);
  });
}

function tryCommand(): Command {
  return addGlobalOptions(
    new Command('try')
      .description('show what the dictionary makes of a sentence; nothing is stored')
      .argument('<text>', 'a sentence as an ASR engine wrote it, e.g. 我的圆桶快递到了吗')
      .option('--version <n>', 'a saved version instead of the newest')
      .option('--dictionary <file>', 'a dictionary file not saved yet (no database needed)')
      .option('--json', 'print {version, text, corrections} as JSON'),
  ).action(async (text: string, opts: TryOptions) => {
    let result: CorrectionResult & { version: number | null };
    let source = 'the newest dictionary';
    if (opts.dictionary !== undefined) {
      source = opts.dictionary;
      const doc = parseCorrectionDictionary(await readDictionaryFile(opts.dictionary), source);
      result = { version: null, ...correctText(text, compileDictionary(doc)) };
    } else {
      const version = opts.version !== undefined ? parseVersion(opts.version) : undefined;
      result = await withCorrections(opts, (c) => c.preview(text, version !== undefined ? { version } : {}));
    }
    process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderTry(result, source)}\n`);
  });
}

export function dictionaryCommand(): Command {
  return new Command('dictionary')
    .description('the ASR correction dictionary: business terms fixed after transcription (圆桶快递 → 圆通快递); every save is a new version')
    .addCommand(showCommand())
    .addCommand(setCommand())
    .addCommand(versionsCommand())
    .addCommand(tryCommand());
}
