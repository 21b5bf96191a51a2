import { z } from 'zod';
import { TingjianError } from '../../domain/errors.js';

/**
 * The ASR correction dictionary: business terms an engine mishears (圆桶快递 for 圆通快递), fixed
 * after transcription by pinyin similarity. One document per version; stored as given, so what
 * `GET /api/v1/correction-dictionary` or `tingjian dictionary show --json` prints can be edited
 * and saved back. Strict: a misspelt field (`alias` for `aliases`) must not silently do nothing.
 */

/** PostgreSQL text cannot hold NUL, and no term has one. */
const noNul = (s: z.ZodString) => s.refine((v) => !v.includes('\u0000'), 'must not contain NUL (\\u0000) characters');
/** Spaces at the ends or line breaks never come out of an ASR engine: such a word could never match. */
const trimmed = (s: z.ZodString) => s.regex(/^\S(?:.*\S)?$/u, 'must not start or end with spaces, nor hold a line break');

/** A word, 2..max characters: one character alone would match (and replace) far too much. */
const word = (max: number, what: string) =>
  noNul(trimmed(z.string().min(2, `${what} has at least 2 characters`).max(max, `${what} has at most ${max} characters`)));

export const TERM_FIELDS = ['term', 'aliases', 'keep', 'minSimilarity'] as const;
export const DICTIONARY_FIELDS = ['terms', 'note'] as const;

export const correctionTermSchema = z
  .object({
    term: word(20, 'a term').describe('the correct form, e.g. 圆通快递; words of the transcript that sound like it (pinyin, without tones) become this'),
    aliases: z
      .array(word(40, 'an alias'))
      .max(100)
      .optional()
      .describe('known mishearings, replaced by the term wherever they occur verbatim, e.g. ["圆桶快递"]'),
    keep: z
      .array(word(40, 'a keep word'))
      .max(100)
      .optional()
      .describe('real words that sound like the term and must stay as they are, e.g. 华北 for 花呗, 百条 for 白条'),
    minSimilarity: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        '0..1: how alike in pinyin (without tones) a stretch of text must be to become the term. Default 0.85 for 3-character terms, and from 4 on 1 − 0.8/length (0.8, 0.84, 0.866…: one syllable off by a letter or a few confused pairs like s/sh, never a wholly different syllable); ' +
          '2-character terms are matched through their aliases only unless this is set (two syllables are too often an ordinary word: 提供号码 holds 供号), and then 1 (same pinyin) is advised',
      ),
  })
  .strict();

export const correctionDictionarySchema = z
  .object({
    terms: z.array(correctionTermSchema).max(5000).describe('the business terms, in priority order (the first wins a tie)'),
    note: noNul(z.string().max(500)).optional().describe('what changed in this version, shown in the version list'),
  })
  .strict()
  .superRefine((doc, ctx) => {
    // Every word names one term only; otherwise which one a stretch of text becomes would depend on order.
    const owner = new Map<string, { kind: 'term' | 'alias' | 'keep'; at: string }>();
    const claim = (text: string, kind: 'term' | 'alias' | 'keep', path: Array<string | number>) => {
      const at = `terms[${String(path[1])}]`;
      const first = owner.get(text);
      if (!first) {
        owner.set(text, { kind, at });
        return;
      }
      const what = first.kind === 'term' ? `the term of ${first.at}` : `already ${first.kind === 'alias' ? 'an alias' : 'a keep word'} in ${first.at}`;
      const hint = kind === 'term' && first.kind === 'term' ? '; merge the two entries' : '';
      ctx.addIssue({ code: 'custom', path, message: `"${text}" is ${what}${hint}` });
    };
    // Terms first, so a conflict is reported on the alias or keep word, not on the term.
    doc.terms.forEach((t, i) => claim(t.term, 'term', ['terms', i, 'term']));
    doc.terms.forEach((t, i) => {
      t.aliases?.forEach((a, k) => claim(a, 'alias', ['terms', i, 'aliases', k]));
      t.keep?.forEach((w, k) => claim(w, 'keep', ['terms', i, 'keep', k]));
    });
  });

/** A dictionary document as stored and served. */
export type CorrectionDictionary = z.output<typeof correctionDictionarySchema>;
export type CorrectionTerm = CorrectionDictionary['terms'][number];

/** One line per problem, naming the field by its path (`terms.3.aliases.0: …`). */
export function dictionaryProblems(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    const where = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') {
      const known = i.path.length ? TERM_FIELDS : DICTIONARY_FIELDS;
      const names = i.keys.map((k) => (where ? `${where}.${k}` : k)).join(', ');
      return `${names}: unknown field${i.keys.length > 1 ? 's' : ''}; ${i.path.length ? 'a term has' : 'a dictionary has'} ${known.join(', ')}`;
    }
    return `${where || '(top level)'}: ${i.message}`;
  });
}

/**
 * Validate a dictionary document; every problem at once, each with its path.
 * @param source what to call the input in the message, e.g. the file name
 * @throws TingjianError INVALID_REQUEST with `details.problems`
 */
export function parseCorrectionDictionary(input: unknown, source = 'correction dictionary'): CorrectionDictionary {
  const r = correctionDictionarySchema.safeParse(input);
  if (r.success) return r.data;
  const problems = dictionaryProblems(r.error.issues);
  throw new TingjianError('INVALID_REQUEST', `invalid ${source}: ${problems.join('; ')}`, { problems });
}
