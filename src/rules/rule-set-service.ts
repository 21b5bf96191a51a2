import { TingjianError } from '../domain/errors.js';
import type { Database, RuleSetVersionInfo } from '../ports/repositories.js';
import { compileRuleSet, ruleSetHash } from './compile/compile-rule-set.js';
import { loadRuleSet, parseRuleFiles, ruleSetOf, type RuleFileInput } from './language/parse-rule-files.js';
import type { RuleModule, RuleSetDocument } from './language/rule-module.js';
import { publishedRuleSets } from './published-rule-sets.js';

export interface RuleSetSummary {
  hash: string;
  modules: Array<{ module: string; name: string; rules: number; scorecards: number }>;
  rules: number;
  scorecards: number;
  /** Scorecard references to modules not among the files checked on their own (resolved when published over a set that has them). */
  unresolved?: string[];
}

export interface CandidateOptions {
  /**
   * false (default): the files replace the modules of the same id in the newest published version
   * and the others stay — publishing finance.yaml updates 金融 only. true: the files are the whole set.
   */
  replaceAll?: boolean;
}

export const summarize = (doc: RuleSetDocument): RuleSetSummary => ({
  hash: ruleSetHash(doc),
  modules: doc.modules.map((m) => ({ module: m.module, name: m.name, rules: m.rules.length, scorecards: m.scorecards?.length ?? 0 })),
  rules: doc.modules.reduce((n, m) => n + m.rules.length, 0),
  scorecards: doc.modules.reduce((n, m) => n + (m.scorecards?.length ?? 0), 0),
});

/**
 * Validates rule files on their own, no database (throws INVALID_RULES with every problem located).
 * The files may be part of a set — general.yaml's scorecards cite finance.* —, so references to
 * modules they do not bring are listed as `unresolved`, not rejected: publishing checks them
 * against the merged set, and the server's validate endpoint merges like publishing does.
 */
export function validateRuleFiles(inputs: RuleFileInput[]): RuleSetSummary {
  const unresolved: string[] = [];
  const doc = loadRuleSet(inputs, undefined, { otherModules: unresolved });
  compileRuleSet(doc);
  return { ...summarize(doc), ...(unresolved.length ? { unresolved } : {}) };
}

/**
 * Rule set versions for the API and the CLI: validate files, build the candidate set, store it as
 * an immutable draft, publish. Publishing never touches stored inspections: new calls use the new
 * version; stored calls change only through an explicit re-inspection.
 */
export class RuleSetService {
  constructor(private readonly db: Database) {}

  /** What publishing these files would check: the candidate set (merged over the published version unless replaceAll), compiled. */
  async validate(inputs: RuleFileInput[], opts: CandidateOptions = {}): Promise<RuleSetSummary> {
    const doc = await this.candidate(inputs, opts);
    compileRuleSet(doc);
    return summarize(doc);
  }

  /** The rule set these files would make: merged over the newest published version unless replaceAll. */
  async candidate(inputs: RuleFileInput[], opts: CandidateOptions = {}): Promise<RuleSetDocument> {
    // Each file on its own first; what spans modules (a scorecard citing finance.x) only once merged.
    const files = parseRuleFiles(inputs);
    const base = opts.replaceAll ? null : await this.db.repos.ruleSets.latestPublished();
    if (!base) return ruleSetOf(files);
    const incoming = new Set(files.map((f) => (f.value as RuleModule).module));
    const kept = (base.body as RuleSetDocument).modules
      .filter((m) => !incoming.has(m.module))
      .map((m) => ({ name: `published version ${base.version}, module ${m.module}`, value: m, locate: () => null }));
    return ruleSetOf([...kept, ...files]);
  }

  /** Stores the candidate as a new draft version (and publishes it when asked). */
  async create(inputs: RuleFileInput[], opts: CandidateOptions & { note?: string | null; createdBy?: string | null; publish?: boolean; now?: number } = {}): Promise<RuleSetVersionInfo & RuleSetSummary> {
    const doc = await this.candidate(inputs, opts);
    compileRuleSet(doc);
    const summary = summarize(doc);
    const now = opts.now ?? Date.now();
    const version = await this.db.repos.ruleSets.append(doc, { sha256: summary.hash, note: opts.note ?? null, createdAt: now, createdBy: opts.createdBy ?? null });
    if (opts.publish) await this.db.repos.ruleSets.publish(version, now);
    return { ...(await this.info(version)), ...summary };
  }

  async publish(version: number, now = Date.now()): Promise<RuleSetVersionInfo> {
    if (!(await this.db.repos.ruleSets.publish(version, now))) throw notFoundVersion(version);
    return this.info(version);
  }

  list(): Promise<RuleSetVersionInfo[]> {
    return this.db.repos.ruleSets.listVersions();
  }

  async get(version: number): Promise<RuleSetVersionInfo & { document: RuleSetDocument }> {
    const row = await this.db.repos.ruleSets.get(version);
    if (!row) throw notFoundVersion(version);
    const { body, ...info } = row;
    return { ...info, document: body as RuleSetDocument };
  }

  /** The newest published version's document, or null. */
  async published(): Promise<(RuleSetVersionInfo & { document: RuleSetDocument }) | null> {
    const v = await this.db.repos.ruleSets.latestPublishedVersion();
    return v === null ? null : this.get(v);
  }

  compiled(version: number) {
    return publishedRuleSets(this.db).version(version);
  }

  private async info(version: number): Promise<RuleSetVersionInfo> {
    const row = await this.db.repos.ruleSets.get(version);
    if (!row) throw notFoundVersion(version);
    const { body: _body, ...info } = row;
    return info;
  }
}

function notFoundVersion(v: number): TingjianError {
  return new TingjianError('NOT_FOUND', `rule set version ${v} does not exist; list them with \`tingjian rules versions\` or GET /api/v1/rule-sets/versions`, { version: v });
}
