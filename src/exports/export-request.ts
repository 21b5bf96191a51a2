import type { ReinspectionFilter } from '../ports/repositories.js';

/**
 * An export of calls out of Tingjian (recordings, transcripts, a report) as asked for, decided
 * and downloaded. What it covers is fixed when it is asked for: the call list is resolved then,
 * within the requester's data scope, and stored — approving later approves exactly that list.
 */
export const EXPORT_KINDS = ['audio', 'transcripts', 'report'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** One file format per kind: a tar of the original recordings, JSON Lines, CSV. */
export const EXPORT_FORMATS = { audio: 'tar', transcripts: 'jsonl', report: 'csv' } as const satisfies Record<ExportKind, string>;
export type ExportFormat = (typeof EXPORT_FORMATS)[ExportKind];

/**
 * pending → approved | rejected | cancelled; approved → expired (the link's time is over) |
 * cancelled (the requester withdrew it, the link stops working).
 */
export const EXPORT_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** Who acted: the account id (decisions compare these) and its name (for people reading the list). */
export interface ExportActor {
  userId: string;
  username: string;
}

export interface ExportRequest {
  id: string;
  kind: ExportKind;
  format: ExportFormat;
  /** The calls, resolved when asked for (at most MAX_EXPORT_CALLS), in id order. */
  callIds: string[];
  /** The filter they were selected by, when no list was given; null when the ids were named. */
  filter: ReinspectionFilter | null;
  reason: string;
  requestedBy: ExportActor;
  requestedAt: number;
  status: ExportStatus;
  decidedBy: ExportActor | null;
  decidedAt: number | null;
  decisionNote: string | null;
  /** sha256 (hex) of the download token; the token itself is shown once, at approval. */
  linkTokenHash: string | null;
  linkExpiresAt: number | null;
  downloads: number;
  lastDownloadedAt: number | null;
}

/** A status change and the facts that come with it (fields absent stay as they are). */
export interface ExportTransition {
  status: ExportStatus;
  decidedBy?: ExportActor;
  decidedAt?: number;
  decisionNote?: string | null;
  linkTokenHash?: string | null;
  linkExpiresAt?: number | null;
}

/** A new export as asked for: pending, undecided, no link, never downloaded. */
export function pendingExport(asked: Pick<ExportRequest, 'id' | 'kind' | 'callIds' | 'filter' | 'reason' | 'requestedBy' | 'requestedAt'>): ExportRequest {
  return {
    ...asked,
    format: EXPORT_FORMATS[asked.kind],
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
    linkTokenHash: null,
    linkExpiresAt: null,
    downloads: 0,
    lastDownloadedAt: null,
  };
}
