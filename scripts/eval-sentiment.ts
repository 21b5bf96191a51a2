/**
 * npm run eval:sentiment [-- --data <dir>] [--utterances <file>]
 *
 * 1. The hand-labelled customer-service utterances (eval/sentiment-utterances.tsv): accuracy and
 *    per-class precision/recall of scoreSentiment and of the lexicon alone, and what it got wrong.
 * 2. Throughput on one core (this thread): scoreSentiment against the lexicon-only scorer in the
 *    same process, over utterances of about 20 characters (pairs of the hand-labelled ones).
 * 3. The held-out tenth of online_shopping_10_cats and ChnSentiCorp_htl_all (never trained on):
 *    accuracy of the sign of the score (the reviews are labelled positive/negative only), per-class
 *    precision/recall, the share labelled neutral, and the classifier and lexicon alone.
 *    Without the data folder (a user's clone) it says so and exits 0.
 * Needs no network.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderTable } from '../src/cli/text-table.js';
import type { Sentiment, SentimentLabel } from '../src/domain/text-analysis.js';
import { classifierMargin } from '../src/enrich/sentiment/sentiment-model.js';
import { scoreLexiconOnly, scoreSentiment } from '../src/enrich/sentiment/score-sentiment.js';
import { readCorpora } from '../src/enrich/sentiment/training/sentiment-corpus.js';
import { classReport, measureThroughput, readLabelledUtterances, type ClassReport } from '../src/enrich/sentiment/training/sentiment-metrics.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: path.join(ROOT, '../shared/data') },
    utterances: { type: 'string', default: path.join(ROOT, 'eval/sentiment-utterances.tsv') },
  },
});

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
const perClassTable = <L extends string>(r: ClassReport<L>) =>
  renderTable(
    ['class', 'support', 'predicted', 'precision', 'recall'],
    r.perClass.map((c) => [c.label, String(c.support), String(c.predicted), pct(c.precision), pct(c.recall)]),
  );

// 1. Hand-labelled utterances.
const utterances = readLabelledUtterances(args.utterances);
const THREE: SentimentLabel[] = ['positive', 'neutral', 'negative'];
const judged = utterances.map((u) => ({ ...u, got: scoreSentiment(u.text) }));
const full = classReport(THREE, judged.map((u) => ({ gold: u.label, predicted: u.got.label })));
const lexicon = classReport(THREE, utterances.map((u) => ({ gold: u.label, predicted: scoreLexiconOnly(u.text).label })));
console.log(`## Hand-labelled customer-service utterances: ${path.relative(process.cwd(), args.utterances)} (${utterances.length})\n`);
console.log(renderTable(['scorer', 'accuracy'], [['scoreSentiment', pct(full.accuracy)], ['lexicon only', pct(lexicon.accuracy)]]));
console.log(`\nscoreSentiment per class:\n${perClassTable(full)}`);
const misses = judged.filter((u) => u.got.label !== u.label);
if (misses.length) {
  console.log(`\nmisses (${misses.length}):`);
  for (const m of misses) console.log(`  line ${m.line}: ${m.label} → ${m.got.label} (${m.got.score.toFixed(2)})  ${m.text}`);
}

// 2. Throughput.
const texts: string[] = [];
for (let i = 0; i + 1 < utterances.length; i++) texts.push(`${utterances[i]!.text}，${utterances[i + 1]!.text}`);
const meanLength = texts.reduce((n, t) => n + t.length, 0) / texts.length;
const rate = measureThroughput({ 'lexicon only (baseline)': scoreLexiconOnly, scoreSentiment }, texts);
console.log(`\n## Throughput, one core: ${texts.length} utterances of ${meanLength.toFixed(1)} characters on average\n`);
console.log(renderTable(['scorer', 'utterances/s'], Object.entries(rate).map(([name, r]) => [name, Math.round(r).toLocaleString('en-US')])));
const [baseline, ours] = Object.values(rate) as [number, number];
console.log(`\nscoreSentiment runs at ${(ours / baseline).toFixed(2)}× the lexicon-only baseline (target ≥ 100,000 utterances/s: ${ours >= 100_000 ? 'met' : 'NOT met'})`);

// 3. Held-out reviews.
const corpora = existsSync(args.data) ? readCorpora(args.data) : null;
if (!corpora) {
  console.log(`\n## Held-out reviews: skipped — the corpora are not in ${args.data} (pass --data <dir>; see docs/sentiment.md)`);
  process.exit(0);
}
const TWO = ['positive', 'negative'] as const;
type Two = (typeof TWO)[number];
const sign = (x: number): Two => (x > 0 ? 'positive' : 'negative');
console.log('\n## Held-out reviews (10% of each corpus, never trained on)\n');
const rows: string[][] = [];
const reports: Array<[string, ClassReport<Two>]> = [];
for (const c of corpora) {
  const gold = c.heldOut.map((d): Two => (d.label === 1 ? 'positive' : 'negative'));
  const scored: Sentiment[] = c.heldOut.map((d) => scoreSentiment(d.text));
  const report = classReport(TWO, scored.map((s, i) => ({ gold: gold[i]!, predicted: sign(s.score) })));
  const classifier = classReport(TWO, c.heldOut.map((d, i) => ({ gold: gold[i]!, predicted: sign(classifierMargin(d.text)) })));
  const lexiconOnly = classReport(TWO, c.heldOut.map((d, i) => ({ gold: gold[i]!, predicted: sign(scoreLexiconOnly(d.text).score) })));
  const neutral = scored.filter((s) => s.label === 'neutral').length / scored.length;
  const strict = scored.filter((s, i) => s.label === gold[i]).length / scored.length;
  rows.push([c.name, String(c.heldOut.length), pct(report.accuracy), pct(strict), pct(neutral), pct(classifier.accuracy), pct(lexiconOnly.accuracy)]);
  reports.push([c.name, report]);
}
console.log(renderTable(['corpus', 'reviews', 'accuracy', 'label = gold', 'labelled neutral', 'classifier alone', 'lexicon alone'], rows));
console.log('\naccuracy: the sign of the score against the review label; label = gold: the 3-way label must match (neutral counts wrong).');
for (const [name, report] of reports) console.log(`\n${name} per class (sign of the score):\n${perClassTable(report)}`);
