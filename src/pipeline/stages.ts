/**
 * The pipeline, in order, as data. Every call walks these stages; each stage is a handler over a
 * durable job (see ./job-runner.ts). `ingest` is the job enqueued when a call is accepted.
 */
export const STAGES = ['ingest', 'decode', 'vad', 'transcribe', 'enrich', 'inspect', 'index'] as const;

export type StageName = (typeof STAGES)[number];

/** pending: not reached yet; queued/running: job exists; done/skipped: finished; failed: gave up. */
export type StageStatus = 'pending' | 'queued' | 'running' | 'done' | 'skipped' | 'failed';

/** What each stage is for, shown in the API and console. */
export const STAGE_DESCRIPTIONS: Record<StageName, string> = {
  ingest: 'verify the stored original (sha256) and the metadata',
  decode: 'audio → PCM per channel at 16 kHz',
  vad: 'voice activity and loudness per channel, crosstalk removed',
  transcribe: 'ASR over the speech (or the provided transcript) into speaker-labelled segments, corrected by the dictionary',
  enrich: 'signals: talk time and ratio, silence, holds, overlaps, interruptions, loudness, speech rate',
  inspect: 'judge against the published rule set and scorecard',
  index: 'make the call searchable',
};

/** The stage after `stage`, or null at the end of the pipeline. */
export function nextStage(stage: StageName): StageName | null {
  const i = STAGES.indexOf(stage);
  return i >= 0 && i < STAGES.length - 1 ? STAGES[i + 1]! : null;
}

/** A stage's progress on one call, as the API and console show it. */
export interface StageState {
  status: StageStatus;
  attempts: number;
  /** Why a stage was skipped, or what it did. */
  note?: string;
  /** The last error, kept while retrying and when failed. */
  error?: string;
  /** Epoch ms of the last change. */
  updatedAt?: number;
}

export type StageStates = Record<StageName, StageState>;

export function initialStages(): StageStates {
  return Object.fromEntries(STAGES.map((s) => [s, { status: 'pending', attempts: 0 }])) as StageStates;
}
