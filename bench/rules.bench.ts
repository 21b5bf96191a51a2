/**
 * Rule engine throughput (`npm run bench:rules`).
 *
 * Targets (issue 判准): 6-minute calls (~1,500 Chinese characters, ~60 sentences), the built-in
 * templates plus 300 generated keyword rules → ≥ 10,000 calls/s on one core and ≥ 10× a naive
 * baseline (every rule's regex over the whole transcript), measured in the same run; compiling a
 * rule set of 4,000 rules under 1 s. Reading calls from storage is measured apart (SQLite).
 *
 * Calls are built from real agent/customer sentences: the JDDC dialogues of ../shared/data (pass
 * --jddc <file>; used when present) or else the bundled sample calls, with a seeded generator, so
 * runs are comparable. Each rule of the 300 lists 3 words: a 4–6 character slice of the corpus
 * (so rules do hit, like real keyword rules: a few % of calls each) and two made-up words.
 *
 * The naive baseline does what a simple engine does: per rule, one regex of its words (or its
 * own regex) run over the whole transcript text; it is an upper bound of how fast such an engine
 * can be (it gives no evidence, speakers or windows). The "one combined regex" row is the
 * issue's reference for scanning alone.
 *
 * Flags: --calls N (2000), --rounds R (5), --stored N (5000, 0 to skip storage), --jddc <file>,
 * --templates <dir> (other rule files instead of the built-in templates), --json.
 * Single-threaded (one core) by construction.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderTable } from '../src/cli/text-table.js';
import { judgeCall } from '../src/inspect/judge/judge-call.js';
import { compileRuleSet } from '../src/rules/compile/compile-rule-set.js';
import { loadRuleSet } from '../src/rules/language/parse-rule-files.js';
import type { RuleModule, RuleSetDocument } from '../src/rules/language/rule-module.js';
import { readRuleFiles, templateFiles } from '../src/rules/templates.js';
import { measureStorageRead } from './rules-storage.bench-part.js';
import { sentencePools, sixMinuteCalls, type SentencePools } from './support/jddc-calls.js';
import { seededRandom } from '../src/enrich/topics/seeded-random.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
    stored: { type: 'string', default: '5000' },
    jddc: { type: 'string', default: path.join(ROOT, '../shared/data/csds_jddc/test_key_utterances.txt') },
    json: { type: 'boolean', default: false },
    templates: { type: 'string' },
    'engine-only': { type: 'boolean', default: false },
  },
});

const MADE_UP = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥';

/** Keyword rules: each 3 words, a slice of a real sentence (4–6 characters) and two made-up words. */
function keywordModule(n: number, c: SentencePools, rand: () => number, moduleId = 'generated'): RuleModule {
  const all = [...c.agent, ...c.customer].filter((s) => s.length >= 6);
  const slice = () => {
    const s = all[Math.floor(rand() * all.length)]!;
    const len = 4 + Math.floor(rand() * 3);
    const at = Math.floor(rand() * (s.length - len));
    return s.slice(at, at + len).replace(/[\s\p{P}|]/gu, '') || '查询';
  };
  const madeUp = () => Array.from({ length: 3 }, () => MADE_UP[Math.floor(rand() * MADE_UP.length)]).join('');
  const rules = Array.from({ length: n }, (_, i) => ({
    id: `k${i}`,
    name: `关键词规则 ${i}`,
    when: { keywords: [slice(), madeUp(), madeUp()], ...(i % 3 === 0 ? { speaker: 'agent' as const } : {}) },
  }));
  return { module: moduleId, name: '生成的关键词规则', rules };
}

/** The naive engine: per rule one regex (its words, or its own pattern), over the whole transcript. */
function naiveRegexes(doc: RuleSetDocument): RegExp[] {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const out: RegExp[] = [];
  const visit = (c: unknown) => {
    if (!c || typeof c !== 'object') return;
    const o = c as Record<string, unknown>;
    if (o.keywords) {
      const k = o.keywords as string[] | { any?: string[]; all?: string[]; of?: string[] };
      const words = Array.isArray(k) ? k : (k.any ?? k.all ?? k.of ?? []);
      out.push(new RegExp(words.flatMap((w) => w.split('|')).map(esc).join('|'), 'u'));
    }
    if (typeof o.regex === 'string') out.push(new RegExp(o.regex, 'u'));
    else if (o.regex && typeof o.regex === 'object') out.push(new RegExp((o.regex as { pattern: string }).pattern, 'u'));
    for (const v of Object.values(o)) {
      if (Array.isArray(v)) v.forEach(visit);
      else if (typeof v === 'object') visit(v);
    }
  };
  for (const m of doc.modules) for (const r of m.rules) visit(r);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const nCalls = Number(args.calls);
  const rounds = Number(args.rounds);
  const c = sentencePools(args.jddc, ROOT);
  const rand = seededRandom(20261125);
  const calls = sixMinuteCalls(nCalls, c, rand);
  const chars = calls.reduce((n, x) => n + x.transcript!.segments.reduce((m, s) => m + s.text.length, 0), 0) / calls.length;
  const segs = calls.reduce((n, x) => n + x.transcript!.segments.length, 0) / calls.length;

  const templates = loadRuleSet(args.templates ? await readRuleFiles([args.templates]) : await templateFiles());
  const generated = keywordModule(300, c, rand);
  const doc = loadRuleSet([...templates.modules, generated].map((m) => ({ name: m.module, value: m })));
  const ruleCount = doc.modules.reduce((n, m) => n + m.rules.length, 0);

  let t0 = performance.now();
  const compiled = compileRuleSet(doc, 1);
  const compileMs = performance.now() - t0;

  // 4,000 rules: the templates and 3,900-odd keyword rules.
  const bigDoc = loadRuleSet([...templates.modules, keywordModule(4000 - templates.modules.reduce((n, m) => n + m.rules.length, 0), c, seededRandom(7), 'big')].map((m) => ({ name: m.module, value: m })));
  const bigCount = bigDoc.modules.reduce((n, m) => n + m.rules.length, 0);
  const bigTimes: number[] = [];
  for (let r = 0; r < 3; r++) {
    t0 = performance.now();
    compileRuleSet(bigDoc, 2);
    bigTimes.push(performance.now() - t0);
  }
  t0 = performance.now();
  loadRuleSet(bigDoc.modules.map((m) => ({ name: m.module, value: m })));
  const bigValidateMs = performance.now() - t0;

  const regexes = naiveRegexes(doc);
  const texts = calls.map((x) => x.transcript!.segments.map((s) => s.text).join('\n'));
  const allWords = [...new Set(generated.rules.flatMap((r) => ('keywords' in r.when ? (r.when.keywords as string[]) : [])))];
  const combined = new RegExp(allWords.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gu');

  let sink = 0;
  const engine = () => {
    for (const x of calls) sink += judgeCall(compiled, x).results.length;
  };
  const naive = () => {
    for (const t of texts) for (const re of regexes) if (re.test(t)) sink++;
  };
  const scanOnly = () => {
    for (const t of texts) {
      combined.lastIndex = 0;
      while (combined.exec(t)) sink++;
    }
  };
  if (args['engine-only']) {
    // For profiling: the engine alone, long enough to dominate a --cpu-prof.
    for (let r = 0; r < rounds; r++) engine();
    return;
  }
  // Warm-up (JIT, the fuzzy-pinyin table), then rounds in rotating order.
  engine();
  naive();
  scanOnly();
  const times: Record<string, number[]> = { engine: [], naive: [], scan: [] };
  const runs: Array<[string, () => void]> = [
    ['engine', engine],
    ['naive', naive],
    ['scan', scanOnly],
  ];
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < runs.length; k++) {
      const [name, fn] = runs[(k + r) % runs.length]!;
      const s = performance.now();
      fn();
      times[name]!.push(performance.now() - s);
    }
  }
  const rate = (name: string) => nCalls / (median(times[name]!) / 1000);
  const engineRate = rate('engine');
  const naiveRate = rate('naive');
  const hits = calls.slice(0, 200).map((x) => judgeCall(compiled, x).results.filter((r) => r.outcome === 'hit').length);

  const storage = Number(args.stored) > 0 ? await measureStorageRead(Number(args.stored), calls) : null;

  const result = {
    corpus: c.source,
    calls: nCalls,
    charsPerCall: Math.round(chars),
    segmentsPerCall: Math.round(segs),
    rules: ruleCount,
    meanHitRulesPerCall: Math.round((hits.reduce((a, b) => a + b, 0) / hits.length) * 10) / 10,
    engineCallsPerSec: Math.round(engineRate),
    naiveCallsPerSec: Math.round(naiveRate),
    combinedRegexScanCallsPerSec: Math.round(rate('scan')),
    ratioVsNaive: Math.round((engineRate / naiveRate) * 10) / 10,
    compileMs: Math.round(compileMs),
    compile4000: { rules: bigCount, medianMs: Math.round(median(bigTimes)), validateMs: Math.round(bigValidateMs) },
    storage,
    oneMillionCallsSeconds: Math.round(1_000_000 / engineRate),
  };
  if (sink === -1) console.log('');
  if (args.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  console.log(`bench:rules — ${result.calls} calls of ~${result.charsPerCall} characters / ${result.segmentsPerCall} sentences from ${result.corpus}; ${ruleCount} rules (templates + 300 keyword rules); one core, median of ${rounds} rounds\n`);
  console.log(
    renderTable(
      ['what', 'calls/s', 'ms per 1,000 calls', 'target'],
      [
        ['Tingjian engine (evidence, speakers, windows, scores)', String(result.engineCallsPerSec), (1e6 / engineRate).toFixed(1), '≥ 10,000'],
        ['naive: each rule’s regex over the transcript', String(result.naiveCallsPerSec), (1e6 / naiveRate).toFixed(1), 'baseline'],
        ['one combined regex of the 300 keywords (scan only)', String(result.combinedRegexScanCallsPerSec), (1e6 / rate('scan')).toFixed(1), 'reference'],
      ],
    ),
  );
  console.log(`\nratio engine / naive: ${result.ratioVsNaive}× (target ≥ 10×); mean rules hit per call: ${result.meanHitRulesPerCall}`);
  console.log(`1,000,000 stored calls re-judged: ~${result.oneMillionCallsSeconds} s of inspection on one core`);
  console.log(`compile: ${ruleCount} rules in ${result.compileMs} ms; ${bigCount} rules in ${result.compile4000.medianMs} ms (target < 1,000 ms; validation of the 4,000 another ${result.compile4000.validateMs} ms)`);
  if (storage) console.log(`storage read (SQLite, ${storage.calls} stored calls, batches of 250 with transcripts + signals): ${storage.callsPerSec} calls/s`);
}

await main();
