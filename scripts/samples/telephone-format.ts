/** The sample calls' audio format: 8 kHz telephone audio. */
export const SAMPLE_RATE = 8000;
export const SAMPLES_PER_MS = SAMPLE_RATE / 1000;
