import type { ExportRequest, ExportStatus, ExportTransition } from '../exports/export-request.js';

/** Which exports a list holds: rows matching any field of `anyOf` (absent: every row), and `status` when given. */
export interface ExportListFilter {
  anyOf?: { requestedBy?: string; decidedBy?: string; status?: ExportStatus };
  status?: ExportStatus;
}

/**
 * Export requests (src/exports/). Status changes are compare-and-set on the status, so two
 * approvers deciding at once, or a cancel racing an approval, leave one winner.
 */
export interface ExportRepository {
  insert(e: ExportRequest): Promise<void>;
  get(id: string): Promise<ExportRequest | null>;
  /** Newest first (requestedAt, then id), at most `limit`. */
  list(filter: ExportListFilter, limit: number): Promise<ExportRequest[]>;
  /** Apply the transition if the export's status is one of `from`; false when it was not (or no such export). */
  transition(id: string, from: readonly ExportStatus[], next: ExportTransition): Promise<boolean>;
  /** Mark approved exports whose link expired at or before `now` as expired; returns how many. */
  expireLinks(now: number): Promise<number>;
  /** Count one download; returns the count after it. */
  recordDownload(id: string, at: number): Promise<number>;
}
