import type { TextSpan } from '../../domain/inspection.js';
import { normalizeText } from '../../rules/text/normalize-text.js';

/**
 * Filler words (嗯, 呃, 那个, 就是 …) found and tagged as spans, never deleted: the transcript stays
 * what was said, and the console can grey them out or count them (a speaker's 那个那个 rate).
 *
 * Most of these words also have a meaning (那个订单 "that order", 就是这个订单 "it is this order",
 * 然后我去了 "then I went", 好啊 a sentence particle), so a word is tagged only where its position
 * says it carries nothing — precision over recall; a missed filler costs less than a hidden word:
 *
 * - 嗯 呃 唔 are hesitation sounds wherever they stand.
 * - 啊 at the start of a clause (not a surprised 啊？), or repeated (啊啊); after a word (好啊, 是啊)
 *   it is a sentence particle and stays.
 * - 额 only at the start of a clause and before a pause, a pronoun or another filler (额度, 金额
 *   are words).
 * - Any of these repeated back to back (那个那个, 就是就是): every copy but the last is a filler;
 *   the last one is judged by the rules here like any other.
 * - 就是(说), 然后(呢), 那什么 before a pause (，、… or a space): 就是，我想问一下. 就是 after 也/不/
 *   只/那/这 … is an adverb or a copula (也就是说, 不就是) and never a filler.
 * - 那个, 这个 before a pause only at the start of a clause (那个，我想问); after a verb 我要这个，
 *   it is the object.
 * - 那个, 就是 at the start of a clause and followed by a pronoun or a time word (那个我想问,
 *   就是我昨天买的): the clause's real subject follows. Before a noun or a demonstrative they
 *   mean something (那个订单, 就是这个订单). Not 这个: 这个我看是有现货的 is a topic ("this, …"),
 *   far more often than a hesitation (measured on JD.com chats).
 * - Any discourse word directly before a tagged filler (那个嗯我想问).
 *
 * A clause starts at the start of the text, after punctuation or a space, or after a filler.
 * Matching reads the normalised text (這個 is 这个); spans index the original, one for one.
 */

const INTERJECTIONS = new Set(['嗯', '呃', '唔', '啊', '额']);
/** Longest first, so 就是说 wins over 就是. */
const CANDIDATES = ['就是说', '然后呢', '那什么', '那个', '这个', '就是', '然后', ...INTERJECTIONS];
const PAUSE = /[，,、…~～\s—]/;
const SENTENCE_END = /[。！？!?；;：:]/;
const PRONOUN_OR_TIME = /^(?:[我你您他她它咱俺]|昨天|今天|前天|明天|刚才|刚刚|之前|上次|上周|上个|当时|现在)/;
/** 就是 after these is an adverb or a copula (也就是说, 不就是, 只是…), never a filler. */
const MEANINGFUL_BEFORE_JIUSHI = /[也不只要可还都正倒真又便那这]/;

interface Candidate {
  word: string;
  start: number;
  end: number;
  filler: boolean;
}

function candidatesOf(t: string): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < t.length; ) {
    const word = CANDIDATES.find((w) => t.startsWith(w, i));
    if (!word) {
      i++;
      continue;
    }
    out.push({ word, start: i, end: i + word.length, filler: false });
    i += word.length;
  }
  return out;
}

const isBreak = (ch: string | undefined): boolean => ch === undefined || PAUSE.test(ch) || SENTENCE_END.test(ch);
const adverbialJiushi = (t: string, c: Candidate): boolean =>
  c.word.startsWith('就是') && c.start > 0 && MEANINGFUL_BEFORE_JIUSHI.test(t[c.start - 1]!);

export function tagFillers(text: string): TextSpan[] {
  const t = normalizeText(text);
  const cands = candidatesOf(t);
  let lastFillerEnd = -1;
  cands.forEach((c, k) => {
    const next = cands[k + 1];
    const clauseStart = c.start === 0 || isBreak(t[c.start - 1]) || lastFillerEnd === c.start;
    const after = t[c.end];
    const pauseAfter = after !== undefined && PAUSE.test(after);
    const repeated = next !== undefined && next.start === c.end && next.word === c.word;
    const beforeSubject = PRONOUN_OR_TIME.test(t.slice(c.end, c.end + 2));
    const beforeInterjection = next !== undefined && next.start === c.end && ['嗯', '呃', '唔'].includes(next.word);
    if (adverbialJiushi(t, c)) return;
    switch (c.word) {
      case '嗯':
      case '呃':
      case '唔':
        c.filler = true;
        break;
      case '啊':
        c.filler = repeated || (clauseStart && after !== '？' && after !== '?');
        break;
      case '额':
        c.filler = repeated || (clauseStart && (isBreak(after) || beforeSubject || beforeInterjection));
        break;
      case '那个':
      case '这个':
        c.filler = repeated || (clauseStart && (pauseAfter || (c.word === '那个' && beforeSubject)));
        break;
      default:
        // 就是(说), 然后(呢), 那什么
        c.filler = repeated || pauseAfter || (c.word.startsWith('就是') && clauseStart && beforeSubject);
    }
    if (c.filler) lastFillerEnd = c.end;
  });
  // Right to left: a discourse word directly before a filler is one too (那个嗯, 然后那个我…).
  for (let k = cands.length - 2; k >= 0; k--) {
    const c = cands[k]!;
    const next = cands[k + 1]!;
    if (!c.filler && !INTERJECTIONS.has(c.word) && next.filler && next.start === c.end && !adverbialJiushi(t, c)) c.filler = true;
  }
  return cands.filter((c) => c.filler).map((c) => ({ start: c.start, end: c.end }));
}
