import { TingjianError } from '../../domain/errors.js';
import type { CorrectionDictionaryVersion, CorrectionDictionaryVersionInfo, Database } from '../../ports/repositories.js';
import { compileDictionary, type CompiledDictionary } from './compile-dictionary.js';
import { parseCorrectionDictionary } from './correction-dictionary.schema.js';
import { correctText, type CorrectionResult } from './correct-text.js';

/** How long the transcribe stage may go on with a dictionary before asking whether a newer one was saved. */
export const DEFAULT_RECHECK_MS = 5000;

/** What the 404 says when nothing was ever saved: how to save one. */
export const NO_DICTIONARY_HINT =
  'no correction dictionary has been saved yet: PUT /api/v1/correction-dictionary or run `tingjian dictionary set <file.json>` (a starter: samples/correction-dictionary.json)';

export interface CurrentDictionary {
  version: number;
  compiled: CompiledDictionary;
}

export interface CorrectionServiceOptions {
  /** Default DEFAULT_RECHECK_MS. */
  recheckMs?: number;
  now?: () => number;
}

/**
 * The correction dictionary for everyone who uses it: the transcribe stage (`current()`), the HTTP
 * API and the CLI (save, read, list, try). Saves from another process are seen within recheckMs;
 * a save through this instance at once.
 */
export class CorrectionService {
  private readonly recheckMs: number;
  private readonly now: () => number;
  private cached: CurrentDictionary | null = null;
  private checkedAt = -Infinity;
  private checking: Promise<CurrentDictionary | null> | null = null;
  /** Bumped by save(): a check that started before a save must not mark the cache fresh. */
  private saves = 0;

  constructor(
    private readonly db: Database,
    opts: CorrectionServiceOptions = {},
  ) {
    this.recheckMs = opts.recheckMs ?? DEFAULT_RECHECK_MS;
    this.now = opts.now ?? Date.now;
  }

  /**
   * The newest dictionary, compiled; null when none was ever saved. Compiled once per version;
   * the database is asked for the newest version at most every recheckMs, by one caller at a time.
   */
  async current(): Promise<CurrentDictionary | null> {
    if (this.now() - this.checkedAt < this.recheckMs) return this.cached;
    this.checking ??= this.check().finally(() => (this.checking = null));
    return this.checking;
  }

  private async check(): Promise<CurrentDictionary | null> {
    const saves = this.saves;
    const latest = await this.db.repos.corrections.latest();
    if (!latest) this.cached = null;
    else if (this.cached?.version !== latest.version) this.cached = { version: latest.version, compiled: compileDictionary(latest.doc) };
    if (saves === this.saves) this.checkedAt = this.now();
    return this.cached;
  }

  /**
   * Validate and store as a new version.
   * @param meta.source what to call the document in an error, e.g. its file name
   * @throws TingjianError INVALID_REQUEST naming every problem and its path; nothing is stored then
   */
  async save(doc: unknown, meta: { createdBy?: string | null; source?: string } = {}): Promise<{ version: number; terms: number }> {
    const valid = parseCorrectionDictionary(doc, meta.source);
    const version = await this.db.repos.corrections.append(valid, { createdAt: this.now(), createdBy: meta.createdBy ?? null });
    this.saves++;
    this.checkedAt = -Infinity; // the next current() reads it
    return { version, terms: valid.terms.length };
  }

  /** @throws NOT_FOUND with how to save one, when none was ever saved */
  async latest(): Promise<CorrectionDictionaryVersion> {
    const latest = await this.db.repos.corrections.latest();
    if (!latest) throw new TingjianError('NOT_FOUND', NO_DICTIONARY_HINT);
    return latest;
  }

  /** @throws NOT_FOUND naming the versions there are */
  async get(version: number): Promise<CorrectionDictionaryVersion> {
    const found = await this.db.repos.corrections.get(version);
    if (found) return found;
    const newest = (await this.db.repos.corrections.latest())?.version;
    throw new TingjianError('NOT_FOUND', newest ? `correction dictionary version ${version} does not exist; versions are 1 to ${newest}` : NO_DICTIONARY_HINT, { version });
  }

  /** Newest first. */
  list(): Promise<CorrectionDictionaryVersionInfo[]> {
    return this.db.repos.corrections.listVersions();
  }

  /**
   * What a dictionary makes of a text, nothing stored: the newest version, a given version, or a
   * document not saved yet (to try a term before saving it; version is then null).
   */
  async preview(text: string, from: { version?: number; dictionary?: unknown } = {}): Promise<CorrectionResult & { version: number | null }> {
    if (from.dictionary !== undefined) return { version: null, ...correctText(text, compileDictionary(parseCorrectionDictionary(from.dictionary, 'dictionary'))) };
    if (from.version !== undefined) {
      const { version, doc } = await this.get(from.version);
      return { version, ...correctText(text, compileDictionary(doc)) };
    }
    const current = await this.current();
    if (!current) throw new TingjianError('NOT_FOUND', NO_DICTIONARY_HINT);
    return { version: current.version, ...correctText(text, current.compiled) };
  }
}
