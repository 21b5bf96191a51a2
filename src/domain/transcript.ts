/** Who is speaking in a transcript segment. `unknown` until role detection decides. */
export type Speaker = 'agent' | 'customer' | 'unknown';
export const SPEAKERS = ['agent', 'customer', 'unknown'] as const;

/** One sentence-level piece of a transcript, aligned with the audio. */
export interface TranscriptSegment {
  index: number;
  speaker: Speaker;
  startMs: number;
  endMs: number;
  text: string;
  /**
   * What the engine heard, when the correction dictionary changed it (`text` is then the
   * corrected text). Absent when nothing was corrected.
   */
  rawText?: string;
  /** 0..1 where the engine reports it; absent for provided transcripts. */
  confidence?: number;
}

/** Where a transcript came from: an ASR engine by name, or `provided` by the caller. */
export interface Transcript {
  callId: string;
  engine: string;
  language: string;
  segments: TranscriptSegment[];
}
