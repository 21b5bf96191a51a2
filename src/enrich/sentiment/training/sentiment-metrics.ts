/**
 * What the evaluation reports: accuracy and per-class precision/recall of predicted against
 * given labels, the hand-labelled utterance file, and throughput against a baseline measured in
 * the same process. Used by scripts/eval-sentiment.ts; no model of its own.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { SentimentLabel } from '../../../domain/text-analysis.js';

export interface LabelledUtterance {
  text: string;
  label: SentimentLabel;
  line: number;
}

const LABELS = new Set<string>(['positive', 'neutral', 'negative']);

/** text<TAB>label per line; # comments and blank lines skipped; a bad line is an error with its number. */
export function readLabelledUtterances(file: string): LabelledUtterance[] {
  const out: LabelledUtterance[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/\r$/, '');
      if (!line.trim() || line.startsWith('#')) return;
      const [text, label, extra] = line.split('\t');
      if (!text || !label || extra !== undefined || !LABELS.has(label)) throw new Error(`${file}:${i + 1}: expected text<TAB>positive|neutral|negative, got ${JSON.stringify(line)}`);
      out.push({ text, label: label as SentimentLabel, line: i + 1 });
    });
  return out;
}

export interface ClassReport<L extends string> {
  total: number;
  accuracy: number;
  perClass: Array<{ label: L; support: number; predicted: number; precision: number | null; recall: number | null }>;
}

export function classReport<L extends string>(labels: readonly L[], pairs: ReadonlyArray<{ gold: L; predicted: L }>): ClassReport<L> {
  const right = pairs.filter((p) => p.gold === p.predicted).length;
  return {
    total: pairs.length,
    accuracy: pairs.length ? right / pairs.length : 0,
    perClass: labels.map((label) => {
      const support = pairs.filter((p) => p.gold === label).length;
      const predicted = pairs.filter((p) => p.predicted === label).length;
      const hits = pairs.filter((p) => p.gold === label && p.predicted === label).length;
      return { label, support, predicted, precision: predicted ? hits / predicted : null, recall: support ? hits / support : null };
    }),
  };
}

/**
 * Texts per second of each scorer over the same texts, on this one thread. The scorers take
 * turns round by round, so a slower moment of the machine (other processes) hits both alike;
 * each runs at least `minMs` in all, after a warm-up round.
 */
export function measureThroughput(scorers: Record<string, (text: string) => unknown>, texts: readonly string[], minMs = 1500): Record<string, number> {
  const names = Object.keys(scorers);
  const spent = Object.fromEntries(names.map((n) => [n, 0]));
  const done = Object.fromEntries(names.map((n) => [n, 0]));
  let sink = 0;
  for (const n of names) for (const t of texts) sink += scorers[n]!(t) ? 1 : 0;
  while (names.some((n) => spent[n]! < minMs)) {
    for (const n of names) {
      const fn = scorers[n]!;
      const started = performance.now();
      for (const t of texts) sink += fn(t) ? 1 : 0;
      spent[n]! += performance.now() - started;
      done[n]! += texts.length;
    }
  }
  if (sink < 0) console.log(sink); // keeps the calls from being optimised away
  return Object.fromEntries(names.map((n) => [n, (done[n]! / spent[n]!) * 1000]));
}
