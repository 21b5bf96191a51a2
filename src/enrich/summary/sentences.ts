import type { Speaker } from '../../domain/transcript.js';

export interface Sentence {
  segmentIndex: number;
  speaker: Speaker;
  /** The sentence as said, trimmed, with its closing punctuation. */
  text: string;
  /** Position in the call (sentence order), for "after" questions. */
  order: number;
}

/** Sentence ends: Chinese and Latin, and line breaks (chat messages). Commas do not end one. */
const SENTENCE = /[^。！？!?；;\n]+[。！？!?；;\n]*/g;

/** The segments' sentences in call order; a segment without punctuation is one sentence. */
export function sentencesOf(segments: ReadonlyArray<{ index: number; speaker: Speaker; text: string }>): Sentence[] {
  const out: Sentence[] = [];
  for (const seg of segments) {
    for (const m of seg.text.matchAll(SENTENCE)) {
      const text = m[0].trim();
      if (/[\p{L}\p{N}]/u.test(text)) out.push({ segmentIndex: seg.index, speaker: seg.speaker, text, order: out.length });
    }
  }
  return out;
}
