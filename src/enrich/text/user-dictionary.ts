import { readFileSync } from 'node:fs';
import { TingjianError } from '../../domain/errors.js';
import { packageFolder } from '../../platform/package-path.js';
import type { CorrectionDictionary } from '../../transcribe/correction/correction-dictionary.schema.js';

/**
 * Words the segmenter must keep whole: products, campaigns, business terms (七天无理由, 运费险,
 * 售后服务单). jieba's own dictionary splits them (运费 险), and a topic keyword or a discovered
 * cluster label is only as good as the tokens under it.
 */
export interface UserWord {
  word: string;
  /** jieba frequency; absent: DEFAULT_USER_FREQ. */
  freq?: number;
  /** Part-of-speech tag (n, nz, v …); absent: nz. */
  tag?: string;
}

/**
 * The frequency of a user word given without one: about that of everyday words (那个 has 14,550 in
 * jieba's dictionary), so a neighbour cannot take a character from it (单价|保 instead of 单|价保).
 * A wrong merge across words is still unlikely: a split into more pieces costs a factor of the
 * dictionary's total (60 million) per extra piece.
 */
export const DEFAULT_USER_FREQ = 10_000;

/** A dictionary file's lines: `word`, `word freq` or `word freq tag`; blank lines and `#` comments skipped. */
export function parseUserDictionary(text: string, name = 'user dictionary'): UserWord[] {
  const out: UserWord[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [word, freq, tag, ...rest] = line.split(/\s+/);
    if (rest.length) problems.push(`${name}:${i + 1}: a line is \`word [freq [tag]]\`; a word has no spaces`);
    else if (freq !== undefined && !/^[1-9][0-9]{0,8}$/.test(freq)) problems.push(`${name}:${i + 1}: the frequency "${freq}" is not a positive whole number`);
    else out.push({ word: word!, ...(freq ? { freq: Number(freq) } : {}), ...(tag ? { tag } : {}) });
  });
  if (problems.length) throw new TingjianError('CONFIG_INVALID', `${name} has ${problems.length} problem(s):\n${problems.join('\n')}`, { problems });
  return out;
}

/** Reads a dictionary file (UTF-8). */
export function loadUserDictionary(file: string): UserWord[] {
  return parseUserDictionary(readFileSync(file, 'utf8'), file);
}

/** The built-in customer-service words (templates/topics/cs-words.txt), read once. */
let builtIn: UserWord[] | null = null;
export function builtInWords(): UserWord[] {
  builtIn ??= loadUserDictionary(`${packageFolder('templates/topics', import.meta.url)}/cs-words.txt`);
  return builtIn;
}

/** The correction dictionary's terms (圆通快递, 花呗 …): after correction the transcript says them exactly. */
export const correctionWords = (dictionary: CorrectionDictionary): string[] => dictionary.terms.map((t) => t.term);
