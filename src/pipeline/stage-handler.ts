import type { Logger } from 'pino';
import type { Call } from '../domain/call.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database, Job } from '../ports/repositories.js';
import type { StageName } from './stages.js';

/** What a stage handler gets: the call it works on and the ports it may use. */
export interface StageContext {
  call: Call;
  job: Job;
  db: Database;
  blobs: BlobStore;
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
