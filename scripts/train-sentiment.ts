/**
 * npm run train:sentiment [-- --data <dir>] [--out <file>]
 *
 * Trains the review classifier behind scoreSentiment (src/enrich/sentiment/) and writes
 * models/sentiment/sentiment-model.json. Data: online_shopping_10_cats and ChnSentiCorp_htl_all
 * (SophonPlus/ChineseNlpCorpus) in ../shared/data by default; 10% of each, chosen by a hash of
 * the review's text, is held out and never trained on (scripts/eval-sentiment.ts measures it).
 * The generated neutral service utterances are added with target 0.5 (see neutral-utterances.ts).
 *
 * Deterministic: the same data gives the same file byte for byte (printed: its sha256).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { classifierMargin, decodeModel, encodeModel } from '../src/enrich/sentiment/sentiment-model.js';
import { trainLogisticRegression, type TrainOptions } from '../src/enrich/sentiment/training/logistic-regression.js';
import { neutralUtterances } from '../src/enrich/sentiment/training/neutral-utterances.js';
import { readCorpora } from '../src/enrich/sentiment/training/sentiment-corpus.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: path.join(ROOT, '../shared/data') },
    out: { type: 'string', default: path.join(ROOT, 'models/sentiment/sentiment-model.json') },
  },
});

/**
 * Chosen on a validation tenth of the training rows (not the held-out split): 2^18 buckets keep
 * the file under 1 MB and lose < 0.5 point against 2^20; AdaGrad at 0.05 for 5 epochs.
 */
const OPTIONS: TrainOptions = { bits: 18, epochs: 5, learningRate: 0.05, l2: 1e-6, seed: 20240601 };

const corpora = readCorpora(args.data);
if (!corpora) {
  console.error(`The review corpora are not in ${args.data} (online_shopping_10_cats/, ChnSentiCorp_htl_all/); pass --data <dir>.`);
  process.exit(1);
}
const neutral = neutralUtterances();
const docs = [...corpora.flatMap((c) => c.train), ...neutral.map((text) => ({ text, label: 0.5 }))];
const started = performance.now();
const trained = trainLogisticRegression(docs, OPTIONS);
const seconds = (performance.now() - started) / 1000;

// Accuracy of the quantised classifier as it ships (the full scorer is measured by eval:sentiment).
const heldOut: Record<string, { reviews: number; accuracy: number }> = {};
const provisional = encodeModel(OPTIONS.bits, trained.bias, trained.weights, {});
const model = decodeModel(provisional);
for (const c of corpora) {
  const right = c.heldOut.filter((d) => (classifierMargin(d.text, model) > 0 ? 1 : 0) === d.label).length;
  heldOut[c.name] = { reviews: c.heldOut.length, accuracy: Number((right / c.heldOut.length).toFixed(4)) };
}

const file = encodeModel(OPTIONS.bits, trained.bias, trained.weights, {
  data: 'SophonPlus/ChineseNlpCorpus @ a0b781d72158: online_shopping_10_cats, ChnSentiCorp_htl_all (see docs/sentiment.md)',
  split: '10% of each corpus held out by a hash of the review text (src/enrich/sentiment/training/sentiment-corpus.ts)',
  trainedOn: Object.fromEntries(corpora.map((c) => [c.name, c.train.length])),
  neutralUtterances: neutral.length,
  features: 'hashed character 1-, 2- and 3-grams of the normalised text (src/enrich/sentiment/hashed-features.ts)',
  options: OPTIONS,
  classifierHeldOutAccuracy: heldOut,
});
const json = `${JSON.stringify(file, null, 1)}\n`;
mkdirSync(path.dirname(args.out), { recursive: true });
writeFileSync(args.out, json);

console.log(`trained on ${docs.length} texts in ${seconds.toFixed(1)} s (${OPTIONS.epochs} epochs, 2^${OPTIONS.bits} weights)`);
for (const [name, r] of Object.entries(heldOut)) console.log(`  held-out ${name}: ${(100 * r.accuracy).toFixed(2)}% of ${r.reviews} (classifier alone)`);
console.log(`wrote ${path.relative(process.cwd(), args.out)} (${(json.length / 1024).toFixed(0)} KB, sha256 ${createHash('sha256').update(json).digest('hex').slice(0, 16)})`);
