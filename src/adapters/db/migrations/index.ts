import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-correction-dictionary.js';
import * as m0003 from './0003-rule-sets.js';
import * as m0004 from './0004-search.js';
import * as m0005 from './0005-accounts.js';
import * as m0006 from './0006-audit-log.js';
import * as m0007 from './0007-retention.js';
import * as m0008 from './0008-data-keys.js';
import * as m0009 from './0009-exports.js';
import * as m0010 from './0010-inspection-facts.js';
import * as m0011 from './0011-saved-filters.js';

export interface MigrationContext {
  dialect: 'sqlite' | 'postgres';
}

type DialectMigration = { up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> };

/** Migrations in order. Append only: a released migration is never edited. */
const MIGRATIONS: Record<string, DialectMigration> = {
  '0001-initial': m0001,
  '0002-correction-dictionary': m0002,
  '0003-rule-sets': m0003,
  '0004-search': m0004,
  '0005-accounts': m0005,
  '0006-audit-log': m0006,
  '0007-retention': m0007,
  '0008-data-keys': m0008,
  '0009-exports': m0009,
  '0010-inspection-facts': m0010,
  '0011-saved-filters': m0011,
};

/** In-code provider (no directory scanning), so the built CLI and tsx runs see the same list. */
export function migrationProvider(ctx: MigrationContext): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(
        Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, ctx) }]),
      );
    },
  };
}
