import { Migrator, sql, type Kysely } from 'kysely';
import { TingjianError } from '../../domain/errors.js';
import type { Database, Repositories } from '../../ports/repositories.js';
import { migrationProvider } from './migrations/index.js';
import { KyselyAccountRepository } from './repositories/account-repository.js';
import { KyselyArtifactRepository } from './repositories/artifact-repository.js';
import { KyselyAuditRepository } from './repositories/audit-repository.js';
import { KyselyCallRepository } from './repositories/call-repository.js';
import { KyselyCorrectionDictionaryRepository } from './repositories/correction-dictionary-repository.js';
import { KyselyDataKeyRepository } from './repositories/data-key-repository.js';
import { KyselyExportRepository } from './repositories/export-repository.js';
import { KyselyJobRepository } from './repositories/job-repository.js';
import { KyselyInspectionRepository } from './repositories/inspection-repository.js';
import { KyselyRecordingRepository } from './repositories/recording-repository.js';
import { KyselyReportRepository } from './repositories/report-repository.js';
import { KyselyReinspectionRepository } from './repositories/reinspection-repository.js';
import { KyselyRetentionRepository } from './repositories/retention-repository.js';
import { KyselyRuleSetRepository } from './repositories/rule-set-repository.js';
import { KyselySearchIndex } from './repositories/search-repository.js';
import { KyselySavedFilterRepository } from './repositories/saved-filter-repository.js';
import type { Atomic, Dialect } from './repositories/sql-helpers.js';
import { KyselyTranscriptRepository } from './repositories/transcript-repository.js';
import type { DatabaseSchema } from './schema.js';

/** Unique-constraint violations of either driver become CONFLICT, so services never see driver errors. */
function asConflict(e: unknown): TingjianError | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') {
    return new TingjianError('CONFLICT', 'a record with the same key already exists', undefined, { cause: e });
  }
  return null;
}

/** `atomic` runs a repository's multi-statement write in one transaction (the caller's, inside one). */
function repositories(db: Kysely<DatabaseSchema>, dialect: Dialect, atomic: Atomic): Repositories {
  return {
    calls: new KyselyCallRepository(db, dialect),
    recordings: new KyselyRecordingRepository(db),
    transcripts: new KyselyTranscriptRepository(db),
    artifacts: new KyselyArtifactRepository(db),
    jobs: new KyselyJobRepository(db, dialect),
    corrections: new KyselyCorrectionDictionaryRepository(db, dialect),
    ruleSets: new KyselyRuleSetRepository(db, dialect),
    inspections: new KyselyInspectionRepository(db, atomic),
    reinspections: new KyselyReinspectionRepository(db, dialect),
    search: new KyselySearchIndex(db, dialect, atomic),
    retention: new KyselyRetentionRepository(db, dialect),
    dataKeys: new KyselyDataKeyRepository(db),
    exports: new KyselyExportRepository(db),
    reports: new KyselyReportRepository(db, dialect),
    accounts: new KyselyAccountRepository(db),
    savedFilters: new KyselySavedFilterRepository(db, dialect, atomic),
    audit: new KyselyAuditRepository(db, dialect, atomic),
  };
}

/** The Database port over Kysely; the dialect only changes migrations and locking. */
export class KyselyDatabase implements Database {
  readonly repos: Repositories;

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    readonly dialect: Dialect,
  ) {
    this.repos = repositories(db, dialect, (fn) => this.inTransaction(fn));
  }

  async transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
    try {
      return await this.inTransaction((trx) => fn(repositories(trx, this.dialect, (inner) => inner(trx))));
    } catch (e) {
      throw asConflict(e) ?? e;
    }
  }

  private async inTransaction<T>(fn: (trx: Kysely<DatabaseSchema>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.db.transaction().execute(fn);
    // SQLite: BEGIN IMMEDIATE takes the write lock up front, so two processes sharing the file
    // wait on busy_timeout instead of failing with SQLITE_BUSY when a reader upgrades to writer.
    return this.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (e) {
        await sql`rollback`.execute(conn);
        throw e;
      }
    });
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider({ dialect: this.dialect }) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new TingjianError('INTERNAL', `database migration ${failed} failed: ${(error as Error).message}`, undefined, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
