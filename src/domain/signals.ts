/** A span of time within a call, in milliseconds from its start. */
export interface TimeSpan {
  startMs: number;
  endMs: number;
}

export type Side = 'agent' | 'customer';

/** Both sides speaking at once; `by` is who started speaking second (who cut in). */
export interface Overlap extends TimeSpan {
  by: Side;
}

/** B started while A was speaking, after A had spoken at least the interruption threshold. */
export interface Interruption {
  /** When B started speaking. */
  atMs: number;
  by: Side;
  /** Who was speaking and got cut into. */
  cutOff: Side;
  /** How long both spoke at once. */
  overlapMs: number;
}

/** A stretch of one speaker's speech on the timeline; loudness where measured from audio. */
export interface TimelineSpan extends TimeSpan {
  rmsDbfs?: number | null;
}

/**
 * Measured facts about how a call sounded (or, for transcripts, how its turns were timed), all
 * with timestamps so a timeline can draw them.
 */
export interface Signals {
  /** Where the numbers come from: `transcript` (segment timestamps) or `audio` (voice activity). */
  source: 'transcript' | 'audio';
  durationMs: number;
  talkMs: { agent: number; customer: number };
  /** Speech no role could be given to (a mono call without diarization or content cues). */
  unattributedTalkMs: number;
  /** Each side's talk as a share of the call's duration, 0..1 (null for an empty call). */
  talkRatio: { agent: number | null; customer: number | null };
  /** Who spoke when: the timeline. */
  speech: { agent: TimelineSpan[]; customer: TimelineSpan[]; unknown: TimelineSpan[] };
  /** Dead air: neither side speaking for at least the silence threshold. */
  silence: { totalMs: number; longestMs: number; spans: TimeSpan[] };
  /** Non-speech stretches at least the hold threshold long: possibly a hold. */
  holds: TimeSpan[];
  overlaps: Overlap[];
  /** How many times each side cut in. */
  interruptions: { agent: number; customer: number };
  interruptionEvents: Interruption[];
  /** Characters per minute (Chinese) or words per minute (English) while speaking. */
  speechRate: { agent: number | null; customer: number | null };
  /** Level of each side's speech (energy-averaged over its spans) and its peak; null without audio. */
  loudness: { agent: SideLoudness | null; customer: SideLoudness | null } | null;
}

export interface SideLoudness {
  rmsDbfs: number | null;
  peakDbfs: number | null;
}
