import path from 'node:path';
import type { Logger } from 'pino';
import { LocalDiskBlobStore } from '../adapters/blob/local-disk-blob-store.js';
import { openDatabase } from '../adapters/db/open-database.js';
import { locateFfmpeg } from '../adapters/ffmpeg/locate-ffmpeg.js';
import type { Config } from '../config/config.js';
import { CallIngestService } from '../ingest/call-ingest-service.js';
import { JobRunner } from '../pipeline/job-runner.js';
import { stageHandlers } from '../pipeline/stage-handlers.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/repositories.js';
import { CallQueryService } from '../calls/call-query-service.js';
import type { MediaServices } from '../pipeline/stage-handler.js';
import { createMediaServices } from './media-services.js';
import { CorrectionService } from '../transcribe/correction/correction-service.js';
import { ReinspectionWorker } from '../inspect/reinspection/reinspection-runner.js';
import { newWorkerId } from '../platform/process-identity.js';
import { RuleSetService } from '../rules/rule-set-service.js';

/** Everything a process needs, wired once from the config: the composition root. */
export interface AppContext {
  config: Config;
  log: Logger;
  db: Database;
  blobs: BlobStore;
  /** Decoding, voice activity and ASR for the pipeline's audio stages. */
  media: MediaServices;
  ingest: CallIngestService;
  calls: CallQueryService;
  /** Present when this process runs pipeline workers (services include `worker`). */
  runner: JobRunner | null;
  /** Rule set versions: validate, store, publish (the API and the CLI). */
  rules: RuleSetService;
  /**
   * Present in long-running servers (`serve`, the demo's server): judges stored calls again for
   * queued re-inspections. Not in one-shot commands (`ingest --wait`), which must not pick up a
   * long re-inspection and stay running.
   */
  reinspections: ReinspectionWorker | null;
  close(): Promise<void>;
}

export async function createAppContext(config: Config, log: Logger, opts: { workers: boolean; reinspections?: boolean }): Promise<AppContext> {
  const db = await openDatabase(config.databaseUrl);
  await db.migrate();
  const blobs = new LocalDiskBlobStore(path.join(config.dataDir, 'recordings'));
  await blobs.init();
  // One correction service per process: it caches the compiled dictionary per version.
  const media = await createMediaServices(config, { log, corrections: new CorrectionService(db) });
  const runner = opts.workers
    ? new JobRunner(
        { db, blobs, media, log, handlers: stageHandlers, onCallFailed: (callId) => media.decoded.delete(callId) },
        { concurrency: config.workerConcurrency, leaseMs: config.jobLeaseMs, maxAttempts: config.maxAttempts, retryBaseMs: config.retryBaseMs },
      )
    : null;
  const ingest = new CallIngestService({
    db,
    blobs,
    ffmpegPath: async () => (await locateFfmpeg(config.ffmpegPath)).path,
    settings: config,
    ...(runner ? { onQueued: () => runner.wake() } : {}),
  });
  if (runner) await runner.start();
  const reinspections = opts.reinspections ? new ReinspectionWorker(db, log, newWorkerId()) : null;
  reinspections?.start();
  return {
    config,
    log,
    db,
    blobs,
    media,
    ingest,
    calls: new CallQueryService(db),
    runner,
    rules: new RuleSetService(db),
    reinspections,
    async close() {
      await reinspections?.stop();
      await runner?.stop();
      await media.close();
      await db.close();
    },
  };
}
