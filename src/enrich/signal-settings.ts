/** Thresholds of the signals, all configurable (src/config/config.ts). */
export interface SignalSettings {
  /** A gap where neither side speaks counts as silence from this length on (dead air). */
  minSilenceMs: number;
  /** Overlaps shorter than this are timestamp jitter, not people talking over each other. */
  minOverlapMs: number;
  /** B cutting in counts as an interruption only if A had been speaking at least this long. */
  interruptAfterMs: number;
  /** Non-speech at least this long is flagged as a possible hold. */
  minHoldMs: number;
}

export const DEFAULT_SIGNAL_SETTINGS: SignalSettings = {
  minSilenceMs: 2000,
  minOverlapMs: 200,
  interruptAfterMs: 1000,
  minHoldMs: 30_000,
};
