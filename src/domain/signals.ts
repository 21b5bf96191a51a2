/** A span of time within a call, in milliseconds from its start. */
export interface TimeSpan {
  startMs: number;
  endMs: number;
}

/** Both sides speaking at once; `by` is who started speaking second (who cut in). */
export interface Overlap extends TimeSpan {
  by: 'agent' | 'customer';
}

/**
 * Measured facts about how a call sounded (or, for transcripts, how its turns were timed).
 * Fields a later stage computes are null until it runs.
 */
export interface Signals {
  /** Where the numbers come from: `transcript` (segment timestamps) or `audio` (voice activity). */
  source: 'transcript' | 'audio';
  durationMs: number;
  talkMs: { agent: number; customer: number };
  silence: { totalMs: number; longestMs: number; spans: TimeSpan[] };
  overlaps: Overlap[];
  interruptions: { agent: number; customer: number };
  /** Characters per minute (Chinese) or words per minute (English) while speaking. */
  speechRate: { agent: number | null; customer: number | null };
}
