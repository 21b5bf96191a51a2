import type { Inspection, Segment } from '../../api/call-detail';

/** A rule's matched characters in a sentence: [start, end) of its text. */
export interface HitSpan {
  start: number;
  end: number;
  rule: string;
}

/** What the rules found in one sentence: matched characters, and rules hit there without any. */
export interface SegmentHits {
  spans: HitSpan[];
  /** Rules whose evidence is this sentence as a whole (a missing phrase, a sentence too fast…). */
  rules: string[];
}

/**
 * Rule hits by transcript segment index, from the evidence of every rule that hit. Offsets apply
 * to the sentence only when the evidence text is as long as it (masked personal data keeps
 * lengths); otherwise the rule is shown on the sentence without marks.
 */
export function hitsBySegment(inspection: Inspection | null, segments: readonly Segment[]): Map<number, SegmentHits> {
  const out = new Map<number, SegmentHits>();
  if (!inspection) return out;
  const textOf = new Map(segments.map((s) => [s.index, s.text]));
  for (const r of inspection.results) {
    if (r.outcome !== 'hit') continue;
    for (const e of r.evidence) {
      if (e.segmentIndex === null) continue;
      const text = textOf.get(e.segmentIndex);
      if (text === undefined) continue;
      let hits = out.get(e.segmentIndex);
      if (!hits) out.set(e.segmentIndex, (hits = { spans: [], rules: [] }));
      const spans = e.text.length === text.length ? e.spans.filter((s) => s.start < s.end && s.end <= text.length) : [];
      if (spans.length === 0) {
        if (!hits.rules.includes(r.ruleName)) hits.rules.push(r.ruleName);
      } else for (const s of spans) hits.spans.push({ start: s.start, end: s.end, rule: r.ruleName });
    }
  }
  return out;
}

/** A piece of a sentence: plain (no rules) or marked by the rules that matched it. */
export interface TextPiece {
  text: string;
  rules: string[];
}

/**
 * The sentence cut at every span edge, each piece with the rules covering it (overlapping matches
 * of several rules give one piece naming them all).
 * @example textPieces('请您稍等', [{ start: 1, end: 3, rule: 'A' }]) // [{text:'请',rules:[]},{text:'您稍',rules:['A']},{text:'等',rules:[]}]
 */
export function textPieces(text: string, spans: readonly HitSpan[]): TextPiece[] {
  if (spans.length === 0) return [{ text, rules: [] }];
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
  const pieces: TextPiece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i]!, cuts[i + 1]!];
    const rules = [...new Set(spans.filter((s) => s.start <= a && s.end >= b).map((s) => s.rule))];
    const last = pieces[pieces.length - 1];
    if (last && last.rules.join('\n') === rules.join('\n')) last.text += text.slice(a, b);
    else pieces.push({ text: text.slice(a, b), rules });
  }
  return pieces;
}
