/**
 * Reads an utterance with the lexicon: longest match over a character trie, negators and degree
 * adverbs applied to the sentiment word that follows them, complaint phrases and patterns summed
 * apart. One pass over the text and no allocation unless hits are asked for, because it runs on
 * every utterance (≥ 100,000/s on one core with the classifier).
 */
import { normalizeText } from '../../rules/text/normalize-text.js';
import {
  COMPLAINT_PHRASES,
  CONTRAST_WORDS,
  DEGREE_WORDS,
  NEGATORS,
  NEUTRAL_PHRASES,
  PATTERN_TRIGGERS,
  PHRASE_PATTERNS,
  SENTIMENT_WORDS,
  WEAK_WHEN_BARE,
} from './sentiment-lexicon.js';

export interface LexiconReading {
  /** Sum of the sentiment words, after negation and degree. */
  words: number;
  /** Sum of the complaint phrases and negative patterns (≤ 0). */
  complaints: number;
}

export type HitKind = 'word' | 'complaint' | 'neutral' | 'negator' | 'degree' | 'contrast' | 'pattern';

/** What matched where (offsets into the text), for tests and explanations. */
export interface LexiconHit {
  kind: HitKind;
  text: string;
  start: number;
  /** What it added to `words` or `complaints` (0 for modifiers and neutral phrases). */
  value: number;
}

/**
 * How far (in characters) a negator or degree adverb reaches: 不太满意, 没觉得好 (2 between),
 * 不是说很满意 is still a negation; beyond that it is another thought.
 */
const REACH = 3;
/** A negated negative word is a weak positive (不差 is not 好): this much of it survives. */
const NEGATED_NEGATIVE = 0.6;
/** What is read before 但是 keeps this share. */
const BEFORE_CONTRAST = 0.5;
/** Each ! (up to two) makes what was said this much stronger: 货没收到! is a complaint, 没收到 a fact. */
const EXCLAMATION = 0.3;
const BANG = 0x21;
const QUESTION_MARK = 0x3f;
/**
 * Praise inside a question is asked about, not given (能准时送达吗, 质量好吗): it keeps this share.
 * Blame in a question stays whole: 怎么还没到? is a complaint, said as a question.
 */
const ASKED_PRAISE = 0.3;
const QUESTION_END = new Set([...'?吗么嘛'].map((c) => c.charCodeAt(0)));

/** How much of a clause's praise to take back when the clause (ending at `last`) is a question. */
const askedBack = (text: string, last: number, praise: number): number =>
  praise > 0 && last >= 0 && QUESTION_END.has(text.charCodeAt(last)) ? praise * (1 - ASKED_PRAISE) : 0;

const enum Kind {
  Word = 1,
  Complaint,
  Neutral,
  Negator,
  Degree,
  Contrast,
}

interface TrieNode {
  next: Map<number, TrieNode> | null;
  /** 0: no entry ends here (an inner node of a longer entry). */
  kind: Kind | 0;
  value: number;
  /** Share of `value` when the word comes without a degree adverb or negator (WEAK_WHEN_BARE). */
  bare: number;
}

/** A node where an entry ends. */
type EntryNode = TrieNode & { kind: Kind };

const KIND_NAMES: Record<Kind, HitKind> = { [Kind.Word]: 'word', [Kind.Complaint]: 'complaint', [Kind.Neutral]: 'neutral', [Kind.Negator]: 'negator', [Kind.Degree]: 'degree', [Kind.Contrast]: 'contrast' };

function buildTrie(): TrieNode {
  const root: TrieNode = { next: new Map(), kind: 0, value: 0, bare: 1 };
  const add = (word: string, kind: Kind, value: number) => {
    let node = root;
    for (const ch of normalizeText(word)) {
      const c = ch.charCodeAt(0);
      node.next ??= new Map();
      let child = node.next.get(c);
      if (!child) node.next.set(c, (child = { next: null, kind: 0, value: 0, bare: 1 }));
      node = child;
    }
    if (node.kind) throw new Error(`sentiment lexicon: ${word} is listed twice`);
    node.kind = kind;
    node.value = value;
    node.bare = WEAK_WHEN_BARE[word] ?? 1;
  };
  for (const [w, v] of Object.entries(SENTIMENT_WORDS)) add(w, Kind.Word, v);
  for (const [w, v] of Object.entries(COMPLAINT_PHRASES)) add(w, Kind.Complaint, v);
  for (const w of NEUTRAL_PHRASES) add(w, Kind.Neutral, 0);
  for (const [w, v] of Object.entries(NEGATORS)) add(w, Kind.Negator, v);
  for (const [w, v] of Object.entries(DEGREE_WORDS)) add(w, Kind.Degree, v);
  for (const w of CONTRAST_WORDS) add(w, Kind.Contrast, 0);
  return root;
}

const ROOT = buildTrie();
const ROOT_NEXT = ROOT.next!;

/** Punctuation ends a clause: a negator before a comma does not reach past it. */
const CLAUSE_END = new Set([...',.!?;:，。！？；：、…~\n'].map((c) => c.charCodeAt(0)));

const TRIGGER = new Set([...PATTERN_TRIGGERS].map((c) => c.charCodeAt(0)));

export function scanLexicon(raw: string, hits?: LexiconHit[]): LexiconReading {
  const text = normalizeText(raw);
  const n = text.length;
  let words = 0;
  let complaints = 0;
  // The pending negator (its strength, where it ended, how many in a row) and degree adverb.
  let negation = 0;
  let negations = 0;
  let negationEnd = -1;
  let degree = 1;
  let degreeEnd = -1;
  let triggered = false;
  let exclamations = 0;
  // Praise read in the current clause, taken back in part if the clause is a question.
  let clausePraise = 0;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (CLAUSE_END.has(c)) {
      if (c === BANG) exclamations++;
      words -= askedBack(text, c === QUESTION_MARK ? i : i - 1, clausePraise);
      clausePraise = 0;
      negations = 0;
      degree = 1;
      i++;
      continue;
    }
    if (!triggered && TRIGGER.has(c)) triggered = true;
    // Longest entry starting at i.
    let node = ROOT_NEXT.get(c);
    let end = -1;
    let found: EntryNode | null = null;
    for (let j = i + 1; node; j++) {
      if (node.kind) {
        found = node as EntryNode;
        end = j;
      }
      if (!node.next || j >= n) break;
      node = node.next.get(text.charCodeAt(j));
    }
    if (!found) {
      i++;
      continue;
    }
    let value = 0;
    switch (found.kind) {
      case Kind.Negator:
        negations = negations > 0 && i - negationEnd <= REACH ? negations + 1 : 1;
        negation = found.value;
        negationEnd = end;
        break;
      case Kind.Degree:
        degree = found.value;
        degreeEnd = end;
        break;
      case Kind.Word: {
        value = found.value;
        const negated = negations > 0 && i - negationEnd <= REACH && negations % 2 === 1;
        const degreed = degree !== 1 && i - degreeEnd <= REACH + 2;
        if (negated) {
          // A degree adverb after the negator softens (不很好), one before it strengthens (很不好).
          const strength = degreed && degreeEnd > negationEnd ? 0.5 : negation * (degreed ? degree : 1);
          value = value > 0 ? -value * strength : -value * strength * NEGATED_NEGATIVE;
        } else if (degreed) {
          value *= degree;
        } else {
          value *= found.bare;
        }
        words += value;
        if (value > 0) clausePraise += value;
        negations = 0;
        degree = 1;
        break;
      }
      case Kind.Complaint:
        value = found.value;
        complaints += value;
        negations = 0;
        degree = 1;
        break;
      case Kind.Neutral:
        negations = 0;
        break;
      case Kind.Contrast:
        words *= BEFORE_CONTRAST;
        complaints *= BEFORE_CONTRAST;
        clausePraise *= BEFORE_CONTRAST;
        negations = 0;
        degree = 1;
        break;
    }
    hits?.push({ kind: KIND_NAMES[found.kind], text: raw.slice(i, end), start: i, value });
    i = end;
  }
  words -= askedBack(text, n - 1, clausePraise);
  if (triggered) {
    for (const { pattern, weight } of PHRASE_PATTERNS) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        if (weight < 0) complaints += weight;
        else words += weight;
        hits?.push({ kind: 'pattern', text: raw.slice(m.index, m.index + m[0].length), start: m.index, value: weight });
      }
    }
  }
  if (exclamations) {
    const louder = 1 + EXCLAMATION * Math.min(exclamations, 2);
    words *= louder;
    complaints *= louder;
  }
  return { words, complaints };
}
