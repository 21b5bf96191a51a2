/**
 * The labelled review corpora the classifier is trained and measured on (SophonPlus/
 * ChineseNlpCorpus, in ../shared/data of a development checkout; see docs/sentiment.md), read
 * from their CSV files, and the fixed held-out split. Used by the training and evaluation
 * scripts only, never at scoring time.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

export interface LabelledText {
  text: string;
  /** 1 = positive, 0 = negative (the corpora's own labels). */
  label: 0 | 1;
}

export interface Corpus {
  name: string;
  train: LabelledText[];
  heldOut: LabelledText[];
}

/** The two corpora: folder and file under the data folder. */
export const CORPORA = [
  { name: 'online_shopping_10_cats', file: 'online_shopping_10_cats/online_shopping_10_cats.csv' },
  { name: 'ChnSentiCorp_htl_all', file: 'ChnSentiCorp_htl_all/ChnSentiCorp_htl_all.csv' },
] as const;

/** One review in HELD_OUT_OF is held out: 10%. */
const HELD_OUT_OF = 10;

/**
 * FNV-1a over the UTF-16 code units, salted, then mixed: FNV's low bits depend on little more
 * than the low bits of the last characters, so `% 10` of it alone would hold out mostly reviews
 * ending in certain characters — a biased, not a random, tenth.
 */
function textHash(s: string): number {
  let h = 0x811c9dc5 ^ 0x5e47;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Held out by a hash of the review's text, not of its row: the shopping corpus repeats some
 * reviews word for word (94 rows), and a copy on each side would be measured as if unseen.
 * The same text is always on the same side, whatever the order or number of rows.
 */
export const isHeldOut = (text: string): boolean => textHash(text) % HELD_OUT_OF === 0;

/** Reads one corpus CSV (`label,review` or `cat,label,review`); rows without text are skipped. */
export function readCorpus(name: string, file: string): Corpus {
  const rows = parse(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true, relax_quotes: true }) as Array<Record<string, string>>;
  const corpus: Corpus = { name, train: [], heldOut: [] };
  for (const row of rows) {
    const text = (row.review ?? '').trim();
    if (!text || (row.label !== '0' && row.label !== '1')) continue;
    const item: LabelledText = { text, label: row.label === '1' ? 1 : 0 };
    (isHeldOut(text) ? corpus.heldOut : corpus.train).push(item);
  }
  return corpus;
}

/** Both corpora from a data folder, or null when it (or a file) is not there. */
export function readCorpora(dataDir: string): Corpus[] | null {
  const files = CORPORA.map((c) => ({ name: c.name, file: path.join(dataDir, c.file) }));
  if (!files.every((f) => existsSync(f.file))) return null;
  return files.map((f) => readCorpus(f.name, f.file));
}
