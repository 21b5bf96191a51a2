/**
 * A recording's loudness envelope for drawing it: per channel, the largest absolute sample
 * (0..1) in each of up to WAVEFORM_BASE_POINTS equal stretches of the recording. Stored once per
 * call (artifact kind 'waveform'); requests for fewer points are folded from it.
 */
export interface Waveform {
  version: 1;
  /** Length of what was decoded, in ms. */
  durationMs: number;
  /** One array per channel of the recording, in channel order. */
  peaks: number[][];
}

/** The most points a waveform request may ask for, and the resolution stored. */
export const WAVEFORM_BASE_POINTS = 8000;
