/** One saved version of the rule set. */
export interface RuleSetVersionRow {
  version: number;
  /** The rule set document, parsed JSON (storage does not look inside). */
  body: unknown;
  sha256: string;
  note: string | null;
  status: 'draft' | 'published';
  createdAt: number;
  createdBy: string | null;
  publishedAt: number | null;
}

export type RuleSetVersionInfo = Omit<RuleSetVersionRow, 'body'>;

/**
 * The rule set's versions. Append-only: a save is a new draft numbered 1, 2, 3… (no gaps or
 * duplicates, also when processes save at once); publishing marks a draft, never changes it.
 */
export interface RuleSetRepository {
  /** Store a new draft and return its version. */
  append(body: unknown, meta: { sha256: string; note?: string | null; createdAt: number; createdBy?: string | null }): Promise<number>;
  /** Draft → published; false if the version does not exist. Publishing again is a no-op returning true. */
  publish(version: number, at: number): Promise<boolean>;
  get(version: number): Promise<RuleSetVersionRow | null>;
  /** The highest version number whose status is published; drafts are ignored. */
  latestPublished(): Promise<RuleSetVersionRow | null>;
  /** The same version without reading its body: cheap enough to ask per call. */
  latestPublishedVersion(): Promise<number | null>;
  /** Newest first. */
  listVersions(): Promise<RuleSetVersionInfo[]>;
}
