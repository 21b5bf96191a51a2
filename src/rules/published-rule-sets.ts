import { TingjianError } from '../domain/errors.js';
import type { Database } from '../ports/repositories.js';
import { compileRuleSet } from './compile/compile-rule-set.js';
import type { CompiledRuleSet } from './compile/compiled-rule-set.js';
import type { RuleSetDocument } from './language/rule-module.js';

/**
 * Stored rule set versions, compiled once each. The inspect stage asks for the newest published
 * version on every call (one indexed query), so a publish takes effect on the next call without
 * a restart; compiling happens only when the version changes.
 */
export class PublishedRuleSets {
  private readonly compiled = new Map<number, CompiledRuleSet>();

  constructor(private readonly db: Database) {}

  /** The newest published version, compiled; null when nothing was ever published. */
  async current(): Promise<CompiledRuleSet | null> {
    const v = await this.db.repos.ruleSets.latestPublishedVersion();
    return v === null ? null : this.version(v);
  }

  /** Any stored version (draft or published), compiled; NOT_FOUND when there is none. */
  async version(v: number): Promise<CompiledRuleSet> {
    const hit = this.compiled.get(v);
    if (hit) return hit;
    const row = await this.db.repos.ruleSets.get(v);
    if (!row) throw new TingjianError('NOT_FOUND', `rule set version ${v} does not exist; list them with \`tingjian rules versions\` or GET /api/v1/rule-sets/versions`, { version: v });
    const c = compileRuleSet(row.body as RuleSetDocument, v);
    // Versions are immutable, so a compiled one never goes stale; keep the few most recent.
    if (this.compiled.size >= 8) this.compiled.delete(this.compiled.keys().next().value!);
    this.compiled.set(v, c);
    return c;
  }
}

const perDatabase = new WeakMap<Database, PublishedRuleSets>();

/** One cache per database handle, shared by the stage, the API and re-inspection in a process. */
export function publishedRuleSets(db: Database): PublishedRuleSets {
  let p = perDatabase.get(db);
  if (!p) perDatabase.set(db, (p = new PublishedRuleSets(db)));
  return p;
}
