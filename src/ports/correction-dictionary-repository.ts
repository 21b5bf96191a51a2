import type { CorrectionDictionary } from '../transcribe/correction/correction-dictionary.schema.js';

/** One saved version of the ASR correction dictionary. */
export interface CorrectionDictionaryVersion {
  version: number;
  doc: CorrectionDictionary;
  /** The document's note ("what changed"), null when it has none. */
  note: string | null;
  createdAt: number;
  createdBy: string | null;
}

/** A version in the list: everything but the document, and how many terms it has. */
export type CorrectionDictionaryVersionInfo = Omit<CorrectionDictionaryVersion, 'doc'> & { terms: number };

/**
 * The ASR correction dictionary's versions. Append-only: a save is a new version, so the
 * dictionary that corrected any transcript can still be read.
 */
export interface CorrectionDictionaryRepository {
  /** The newest version, or null when none was ever saved. */
  latest(): Promise<CorrectionDictionaryVersion | null>;
  get(version: number): Promise<CorrectionDictionaryVersion | null>;
  /** Newest first. */
  listVersions(): Promise<CorrectionDictionaryVersionInfo[]>;
  /**
   * Store a validated document as the next version and return its number: 1, 2, 3… without gaps
   * or duplicates, also when processes save at the same time.
   */
  append(doc: CorrectionDictionary, meta: { createdAt: number; createdBy?: string | null }): Promise<number>;
}
