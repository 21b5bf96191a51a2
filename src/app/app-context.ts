import path from 'node:path';
import type { Logger } from 'pino';
import { EncryptedBlobStore } from '../adapters/blob/encrypted-blob-store.js';
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
import { encryptingDatabase } from '../crypto/encrypting-repositories.js';
import { deriveKey, loadKeyring, type Keyring } from '../crypto/keyring.js';
import { RetentionService } from '../retention/retention-service.js';
import { RetentionPurgeWorker } from '../retention/retention-worker.js';
import { loadConfiguredRetentionPolicy } from '../retention/parse-retention-policy.js';
import { AccountService, type AuthSettings } from '../access/account-service.js';
import { auditKey } from '../audit/audit-chain.js';
import { ChainedAuditLog } from '../audit/audit-log.js';

const authSettings = (c: Config): AuthSettings => ({
  sessionIdleMs: c.sessionIdleMinutes * 60_000,
  sessionMaxMs: c.sessionMaxHours * 3_600_000,
  maxFailedLogins: c.loginMaxFailures,
  lockMs: c.loginLockMinutes * 60_000,
});

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
  /**
   * The master keys when encryption at rest is on (a key file or TINGJIAN_MASTER_KEY), else null.
   * Derive other keys with deriveKey(keys, purpose) from src/crypto/keyring.ts (stable across rotations).
   */
  keys: Keyring | null;
  /** Retention policy, legal holds, call deletion and purges (WORM rules included). */
  retention: RetentionService;
  /** Accounts, sessions and API tokens (src/access/). */
  accounts: AccountService;
  /** The tamper-evident audit trail every audited request and job writes to. */
  audit: ChainedAuditLog;
  close(): Promise<void>;
}

export async function createAppContext(config: Config, log: Logger, opts: { workers: boolean; reinspections?: boolean }): Promise<AppContext> {
  // A broken policy file stops the start before anything is opened.
  const retentionPolicy = loadConfiguredRetentionPolicy(config.retentionPolicyFile);
  const keys = await loadKeyring(config, log);
  const plainDb = await openDatabase(config.databaseUrl);
  await plainDb.migrate();
  // Encryption at rest is on exactly when a master key is configured: recordings on disk,
  // transcripts and artifacts in the database (docs/security.md).
  const db = keys ? encryptingDatabase(plainDb, keys) : plainDb;
  const recordingsDir = path.join(config.dataDir, 'recordings');
  const blobs = keys ? new EncryptedBlobStore(recordingsDir, keys) : new LocalDiskBlobStore(recordingsDir);
  await blobs.init();
  if (keys) log.info({ encryption: 'on', keySource: keys.source, currentKeyId: keys.currentId }, `encryption at rest on: master key ${keys.currentId} from ${keys.source === 'file' ? 'the key file' : 'TINGJIAN_MASTER_KEY'}`);
  else log.info({ encryption: 'off' }, 'encryption at rest off: no master key configured (TINGJIAN_MASTER_KEY_FILE or TINGJIAN_MASTER_KEY)');
  // One correction service per process: it caches the compiled dictionary per version.
  const media = await createMediaServices(config, { log, corrections: new CorrectionService(db) });
  const runner = opts.workers
    ? new JobRunner(
        { db, blobs, media, log, handlers: stageHandlers, onCallFailed: (callId) => media.decoded.delete(callId) },
        { concurrency: config.workerConcurrency, leaseMs: config.jobLeaseMs, maxAttempts: config.maxAttempts, retryBaseMs: config.retryBaseMs },
      )
    : null;
  // The audit HMAC key comes from the keyring's stable secret: rotating master keys must not break the chain.
  const audit = new ChainedAuditLog(db.repos.audit, auditKey(keys ? deriveKey(keys, 'audit') : null), { retentionDays: config.auditRetentionDays });
  const retention = new RetentionService({ db, blobs, decoded: media.decoded, audit, worm: config.worm, policy: retentionPolicy, log });
  const ingest = new CallIngestService({
    db,
    blobs,
    retention,
    ffmpegPath: async () => (await locateFfmpeg(config.ffmpegPath)).path,
    settings: config,
    ...(runner ? { onQueued: () => runner.wake() } : {}),
  });
  if (runner) await runner.start();
  const reinspections = opts.reinspections ? new ReinspectionWorker(db, log, newWorkerId()) : null;
  reinspections?.start();
  // Purges run where re-inspections do: long-running servers, not one-shot commands.
  const purges = opts.reinspections && config.retentionPurgeIntervalMinutes > 0 ? new RetentionPurgeWorker(retention, log, config.retentionPurgeIntervalMinutes * 60_000, audit) : null;
  purges?.start();
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
    keys,
    retention,
    accounts: new AccountService(db, authSettings(config)),
    audit,
    async close() {
      await purges?.stop();
      await reinspections?.stop();
      await runner?.stop();
      await media.close();
      await db.close();
    },
  };
}
