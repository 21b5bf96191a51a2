/**
 * Text enrichment throughput (`npm run bench:enrich`).
 *
 * Target (issue: text intelligence): ≥ 1,000 calls/s per core for 6-minute calls (~1,500 Chinese
 * characters, ~50 sentences): sentiment and fillers per sentence, the customer's emotion curve,
 * topics, the extractive summary and PII — everything the enrich stage computes from the words.
 * Also ≥ 100,000 utterances/s for sentiment alone.
 *
 * Baseline in the same run: cutting every sentence into words with jieba — the first step of a
 * word-based pipeline (lexicon lookups, topic keywords …), before it has computed anything.
 *
 * Calls are built from the JDDC dialogues of ../shared/data (or the bundled samples) with a seeded
 * generator, as in bench:rules. Flags: --calls N (1000), --rounds R (5), --jddc <file>, --json.
 * Single-threaded (one core) by construction.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderTable } from '../src/cli/text-table.js';
import { analyzeText } from '../src/enrich/analyze-text.js';
import { findPii } from '../src/enrich/pii/find-pii.js';
import { emotionCurve } from '../src/enrich/sentiment/emotion-curve.js';
import { scoreSentiment } from '../src/enrich/sentiment/score-sentiment.js';
import { summarizeCall } from '../src/enrich/summary/summarize-call.js';
import { tagFillers } from '../src/enrich/text/fillers.js';
import { Segmenter } from '../src/enrich/text/segmenter.js';
import { assignTopics } from '../src/enrich/topics/assign-topics.js';
import { loadDefaultTaxonomy } from '../src/enrich/topics/parse-taxonomy.js';
import { seededRandom } from '../src/enrich/topics/seeded-random.js';
import { sentencePools, sixMinuteCalls } from './support/jddc-calls.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '5' },
    jddc: { type: 'string', default: path.join(ROOT, '../shared/data/csds_jddc/test_key_utterances.txt') },
    json: { type: 'boolean', default: false },
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function main(): void {
  const nCalls = Number(args.calls);
  const rounds = Number(args.rounds);
  const pools = sentencePools(args.jddc, ROOT);
  const calls = sixMinuteCalls(nCalls, pools, seededRandom(20261126)).map((c) => c.transcript!.segments);
  const sentences = calls.flat();
  const chars = sentences.reduce((n, s) => n + s.text.length, 0) / calls.length;
  const analyzers = { taxonomy: loadDefaultTaxonomy(), segmenter: new Segmenter() };
  const jieba = new Segmenter();

  let sink = 0;
  const parts: Array<[string, () => void, 'calls' | 'sentences']> = [
    ['whole analysis (analyzeText)', () => calls.forEach((c) => (sink += analyzeText(c, analyzers).segments.length)), 'calls'],
    ['  sentiment per sentence', () => sentences.forEach((s) => (sink += scoreSentiment(s.text).score)), 'sentences'],
    ['  fillers per sentence', () => sentences.forEach((s) => (sink += tagFillers(s.text).length)), 'sentences'],
    ['  emotion curve', () => calls.forEach((c) => (sink += emotionCurve(c, c.map((s) => ({ score: s.text.length % 3 === 0 ? -0.5 : 0.1, label: 'neutral' as const }))).points.length)), 'calls'],
    ['  topics', () => calls.forEach((c) => (sink += assignTopics(c, analyzers.taxonomy).length)), 'calls'],
    ['  summary', () => calls.forEach((c) => (sink += summarizeCall(c).actions.length)), 'calls'],
    ['  PII', () => calls.forEach((c) => (sink += findPii(c).length)), 'calls'],
    ['baseline: jieba cut of every sentence', () => sentences.forEach((s) => (sink += jieba.cut(s.text).length)), 'sentences'],
  ];
  for (const [, fn] of parts) fn(); // warm-up: JIT, the sentiment model, jieba's dictionary
  const times = new Map<string, number[]>(parts.map(([n]) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of parts) {
      const t0 = performance.now();
      fn();
      times.get(name)!.push(performance.now() - t0);
    }
  }
  const ms = (name: string) => median(times.get(name)!);
  const callsPerSec = (name: string) => calls.length / (ms(name) / 1000);
  const whole = callsPerSec('whole analysis (analyzeText)');
  const baseline = callsPerSec('baseline: jieba cut of every sentence');
  const sentimentPerSec = sentences.length / (ms('  sentiment per sentence') / 1000);
  const result = {
    corpus: pools.source,
    calls: calls.length,
    charsPerCall: Math.round(chars),
    sentencesPerCall: Math.round(sentences.length / calls.length),
    analyzeCallsPerSec: Math.round(whole),
    sentimentUtterancesPerSec: Math.round(sentimentPerSec),
    jiebaBaselineCallsPerSec: Math.round(baseline),
    ratioVsJieba: Math.round((whole / baseline) * 10) / 10,
    parts: Object.fromEntries(parts.map(([n]) => [n.trim(), Math.round((ms(n) / calls.length) * 1000 * 10) / 10])),
  };
  if (sink === -1) console.log('');
  if (args.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  console.log(`bench:enrich — ${result.calls} calls of ~${result.charsPerCall} characters / ${result.sentencesPerCall} sentences from ${result.corpus}; one core, median of ${rounds} rounds\n`);
  console.log(
    renderTable(
      ['what', 'µs per call', 'calls/s', 'target'],
      parts.map(([name, , unit]) => [
        name,
        ((ms(name) / calls.length) * 1000).toFixed(1),
        String(Math.round(callsPerSec(name))),
        name.startsWith('whole') ? '≥ 1,000' : unit === 'sentences' && name.includes('sentiment') ? `${Math.round(sentimentPerSec).toLocaleString('en')} sentences/s (≥ 100,000)` : '',
      ]),
    ),
  );
  console.log(`\nthe whole analysis runs at ${result.ratioVsJieba}× the speed of jieba-cutting the same sentences (it costs ${(baseline / whole).toFixed(1)}× a word segmentation pass, which it does not need)`);
}

main();
