/**
 * When in the audio a span of a segment's text was said. Our transcripts have no word times
 * (provided transcripts and the ASR engines give one time span per sentence), so the time is an
 * ESTIMATE: the char offsets spread linearly over the segment, as if every char took as long.
 * Speech is not that even (digits read one by one are slow, 嗯 is quick), so redacting audio pads
 * these times (redact-audio.ts). When word times are given, the span runs from the first word it
 * touches to the last.
 */

/** A word's chars [start, end) in the segment's text and when it was said. */
export interface WordTime {
  start: number;
  end: number;
  startMs: number;
  endMs: number;
}

export interface TimedText {
  startMs: number;
  endMs: number;
  text: string;
  words?: readonly WordTime[];
}

export function spanTimes(segment: TimedText, start: number, end: number): { startMs: number; endMs: number } {
  const touched = segment.words?.filter((w) => w.start < end && start < w.end) ?? [];
  if (touched.length > 0) {
    return { startMs: Math.min(...touched.map((w) => w.startMs)), endMs: Math.max(...touched.map((w) => w.endMs)) };
  }
  const duration = Math.max(0, segment.endMs - segment.startMs);
  const length = segment.text.length;
  const at = (offset: number) => segment.startMs + Math.round(length === 0 ? 0 : (duration * Math.min(Math.max(offset, 0), length)) / length);
  return { startMs: at(start), endMs: at(end) };
}
