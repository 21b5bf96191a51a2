import type { Permission } from '../access/permissions.js';
import { TingjianError } from '../domain/errors.js';
import type { ExportListFilter } from '../ports/repositories.js';
import type { ExportKind, ExportRequest } from './export-request.js';

/**
 * The rules of exports, pure: who may see, decide, cancel and download an export, when its link
 * expires. The service (export-service.ts) reads and writes; these only answer.
 */

/** Calls one export may hold: a bulk copy of more goes through the administrators, not a link. */
export const MAX_EXPORT_CALLS = 1000;

/** Who is asking, as these rules need it. */
export interface Asker {
  userId: string;
  permissions: ReadonlySet<Permission>;
}

/**
 * What the requester must hold for each kind besides exports:request — when asking and again at
 * download (an API token may hold fewer permissions than its account). Audio needs pii:view: the
 * recordings are the originals, with every number the customer said; the call view covers them
 * with a tone for roles without it, and an export must not be the way around that (exports of
 * redacted audio do not exist yet).
 */
export const KIND_NEEDS: Readonly<Record<ExportKind, readonly Permission[]>> = {
  audio: ['audio:listen', 'pii:view'],
  transcripts: ['calls:read'],
  report: ['calls:read'],
};

export function refuseKind(kind: ExportKind, who: Asker): TingjianError | null {
  const missing = KIND_NEEDS[kind].filter((p) => !who.permissions.has(p));
  if (missing.length === 0) return null;
  const why = kind === 'audio' ? ' (original recordings hold personal data; listen to single calls with ?redact instead)' : '';
  return new TingjianError('FORBIDDEN', `an export of ${kind} needs the permission${missing.length > 1 ? 's' : ''} ${missing.join(', ')}${why}`, { permissions: missing });
}

export const isApprover = (who: Asker): boolean => who.permissions.has('exports:approve');

/** Requesters see their own exports; approvers also every pending one and those they decided. */
export function mayView(e: ExportRequest, who: Asker): boolean {
  if (e.requestedBy.userId === who.userId) return true;
  return isApprover(who) && (e.status === 'pending' || e.decidedBy?.userId === who.userId);
}

/** The list filter of what `who` may see (mayView as a query). */
export const visibleTo = (who: Asker): ExportListFilter =>
  isApprover(who) ? { anyOf: { requestedBy: who.userId, decidedBy: who.userId, status: 'pending' } } : { anyOf: { requestedBy: who.userId } };

/** Why `who` may not approve or reject `e` (four eyes: never the requester), or null. */
export function refuseDecision(e: ExportRequest, who: Asker): TingjianError | null {
  if (!isApprover(who)) return new TingjianError('FORBIDDEN', 'deciding an export needs the permission exports:approve', { permission: 'exports:approve' });
  if (e.requestedBy.userId === who.userId) {
    return new TingjianError('FORBIDDEN', `you asked for export ${e.id} yourself: another person holding exports:approve must approve or reject it`, { reason: 'own request' });
  }
  if (e.status !== 'pending') return new TingjianError('CONFLICT', `export ${e.id} is ${e.status}${decidedBy(e)}: only a pending export can be approved or rejected`, { status: e.status });
  return null;
}

/** The requester may withdraw an export while it is pending or its link still works. */
export function refuseCancel(e: ExportRequest, who: Asker, now: number): TingjianError | null {
  if (e.requestedBy.userId !== who.userId) return new TingjianError('FORBIDDEN', `only ${e.requestedBy.username}, who asked for export ${e.id}, can cancel it`);
  const status = effectiveStatus(e, now);
  if (status !== 'pending' && status !== 'approved') return new TingjianError('CONFLICT', `export ${e.id} is ${status}: there is nothing to cancel`, { status });
  return null;
}

/**
 * Why this download is refused, or null. The link alone is not enough: the person signed in must
 * be the requester, and the token must be the one shown at approval, before the link expires.
 */
export function refuseDownload(e: ExportRequest, who: Asker, tokenMatches: boolean, now: number): TingjianError | null {
  if (e.requestedBy.userId !== who.userId) {
    return new TingjianError('FORBIDDEN', `this download link is for ${e.requestedBy.username}, who asked for export ${e.id}; it works only when they are signed in. Ask for an export of your own`);
  }
  if (e.status === 'pending') return new TingjianError('CONFLICT', `export ${e.id} is waiting for approval: the link works once someone holding exports:approve approves it`, { status: e.status });
  if (e.status === 'rejected') return new TingjianError('FORBIDDEN', `export ${e.id} was rejected${decidedBy(e)}${e.decisionNote ? `: ${e.decisionNote}` : ''}`, { status: e.status });
  if (!tokenMatches) return new TingjianError('FORBIDDEN', `the token is not export ${e.id}'s: use the download link exactly as it was given at approval`);
  const status = effectiveStatus(e, now);
  if (status === 'cancelled') return new TingjianError('GONE', `export ${e.id} was cancelled: its link no longer works`, { status });
  if (status === 'expired') {
    return new TingjianError('GONE', `the download link of export ${e.id} expired at ${new Date(e.linkExpiresAt ?? now).toISOString()}: ask for the export again`, { status });
  }
  return null;
}

/** The status as of `now`: an approved export whose link's time is over is expired, marked or not. */
export function effectiveStatus(e: ExportRequest, now: number): ExportRequest['status'] {
  return e.status === 'approved' && e.linkExpiresAt !== null && now >= e.linkExpiresAt ? 'expired' : e.status;
}

export const linkExpiry = (approvedAt: number, linkMinutes: number): number => approvedAt + linkMinutes * 60_000;

const decidedBy = (e: ExportRequest): string => (e.decidedBy ? ` by ${e.decidedBy.username}` : '');
