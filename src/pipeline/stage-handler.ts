import type { Logger } from 'pino';
import type { Call } from '../domain/call.js';
import type { TextAnalyzers } from '../enrich/analyze-text.js';
import type { SignalSettings } from '../enrich/signal-settings.js';
import type { AsrEngine } from '../ports/asr-engine.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { DecodedAudioStore } from '../ports/decoded-audio-store.js';
import type { SpeakerDiarizer } from '../ports/speaker-diarizer.js';
import type { CurrentDictionary } from '../transcribe/correction/correction-service.js';
import type { VoiceActivityDetector } from '../ports/voice-activity-detector.js';
import type { Database, Job } from '../ports/repositories.js';
import type { StageName } from './stages.js';

export interface AsrStatus {
  /** TINGJIAN_ASR_ENGINE. */
  engine: string;
  /** unchecked until a call needs it (or `serve` checks it at start); error: what to fix. */
  state: 'none' | 'unchecked' | 'ready' | 'error';
  error?: string;
}

/**
 * The audio side of the pipeline, built once per process from the config (src/app/media-services.ts).
 * Engines are created on first use, so a misconfigured model fails the stage that needs it with
 * a message naming what is missing — never the process at start.
 */
export interface MediaServices {
  decoded: DecodedAudioStore;
  ffmpegPath(): Promise<string>;
  /** Runs fn with a detector no other job uses meanwhile (detectors keep state between windows). */
  withVad<T>(fn: (vad: VoiceActivityDetector) => Promise<T>): Promise<T>;
  /** The configured ASR engine, or null when none is (TINGJIAN_ASR_ENGINE=none). */
  asr(): Promise<AsrEngine | null>;
  /** What the last check of the ASR engine said, without checking again (for /health). */
  asrStatus(): AsrStatus;
  /** Tells speakers apart in mono calls, or null when no diarization model is configured. */
  diarizer(): Promise<SpeakerDiarizer | null>;
  /** The newest correction dictionary, compiled; null when none was saved (or no database, e.g. `analyze`). */
  corrections(): Promise<CurrentDictionary | null>;
  signals: SignalSettings;
  /** The text analysers (topic taxonomy …), built on first use. */
  text(): TextAnalyzers;
  close(): Promise<void>;
}

/** What a stage handler gets: the call it works on and the ports it may use. */
export interface StageContext {
  call: Call;
  job: Job;
  db: Database;
  blobs: BlobStore;
  media: MediaServices;
  log: Logger;
}

/** `skipped` means there was nothing for this stage to do (e.g. no audio); `note` says why. */
export interface StageResult {
  status: 'done' | 'skipped';
  note?: string;
}

/**
 * A stage's work on one call. Must be idempotent: after a crash the same job runs again, so
 * handlers replace their outputs rather than append.
 */
export type StageHandler = (ctx: StageContext) => Promise<StageResult>;

export type StageHandlers = Record<StageName, StageHandler>;
