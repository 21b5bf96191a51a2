import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { scopeFilter } from '../access/call-scope.js';
import type { Principal } from '../access/principal.js';
import type { Call } from '../domain/call.js';
import { notFound, TingjianError } from '../domain/errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database, ReinspectionFilter } from '../ports/repositories.js';
import { audioFile, reportFile, transcriptsFile, type ExportFile } from './export-files.js';
import { EXPORT_FORMATS, pendingExport, type ExportActor, type ExportKind, type ExportRequest, type ExportStatus } from './export-request.js';
import { effectiveStatus, linkExpiry, MAX_EXPORT_CALLS, mayView, refuseCancel, refuseDecision, refuseDownload, refuseKind, visibleTo } from './export-rules.js';

export interface ExportSettings {
  /** false: a request is approved at once, by its requester (TINGJIAN_EXPORTS_REQUIRE_APPROVAL). */
  exportsRequireApproval: boolean;
  /** How long a download link works (TINGJIAN_EXPORT_LINK_MINUTES). */
  exportLinkMinutes: number;
  /** Times in the CSV report are local to this offset. */
  defaultUtcOffset: string;
}

export interface ExportInput {
  kind: ExportKind;
  /** Optional: each kind has one format (EXPORT_FORMATS); a different one is refused. */
  format?: string;
  reason: string;
  /** Exactly one of callIds and filter. */
  callIds?: readonly string[];
  filter?: ReinspectionFilter;
}

/** The link to download an approved export: shown once, only its token's sha256 is stored. */
export interface DownloadLink {
  url: string;
  expiresAt: number;
}

/**
 * Hooks for the caller: `denied` is told when a refusal is an access denial that answers like
 * "not found" (a call or an export outside what the principal may see), so the audit entry says so.
 */
export interface ExportHooks {
  denied?: (reason: string) => void;
}

export interface ExportDownload extends ExportFile {
  export: ExportRequest;
  filename: string;
  /** Personal data in the file was masked (requester without pii:view). */
  masked: boolean;
}

const asActor = (p: Principal): ExportActor => ({ userId: p.userId, username: p.username });
const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
const downloadUrl = (id: string, token: string) => `/api/v1/exports/${encodeURIComponent(id)}/download?token=${token}`;

/**
 * Exports of calls that need a second person's approval (src/exports/export-rules.ts holds the
 * rules): ask (the calls are resolved then, within the requester's data scope, and stored),
 * approve (a download link with a random 256-bit token, shown once, expiring), reject, cancel,
 * list, and download — only by the requester, signed in, with the token, before expiry.
 */
export class ExportService {
  private readonly now: () => number;

  constructor(
    private readonly deps: { db: Database; blobs: BlobStore; settings: ExportSettings; clock?: () => number },
  ) {
    this.now = deps.clock ?? Date.now;
  }

  async request(p: Principal, input: ExportInput, hooks: ExportHooks = {}): Promise<{ export: ExportRequest; download: DownloadLink | null }> {
    const kindRefusal = refuseKind(input.kind, p);
    if (kindRefusal) throw kindRefusal;
    if (input.format !== undefined && input.format !== EXPORT_FORMATS[input.kind]) {
      throw new TingjianError('INVALID_REQUEST', `format: an export of ${input.kind} is ${EXPORT_FORMATS[input.kind]}, not ${input.format}`, { problems: ['format'] });
    }
    if ((input.callIds === undefined) === (input.filter === undefined)) {
      throw new TingjianError('INVALID_REQUEST', 'name the calls with either callIds or filter (exactly one of them)');
    }
    const calls = input.callIds !== undefined ? await this.namedCalls(p, input.callIds, hooks) : await this.filteredCalls(p, input.filter!);
    const callIds = input.kind === 'audio' ? await this.withRecordings(calls, input.callIds !== undefined) : calls.map((c) => c.id);
    const now = this.now();
    const e = pendingExport({ id: randomUUID(), kind: input.kind, callIds, filter: input.filter ?? null, reason: input.reason, requestedBy: asActor(p), requestedAt: now });
    if (this.deps.settings.exportsRequireApproval) {
      await this.deps.db.repos.exports.insert(e);
      return { export: e, download: null };
    }
    // No second person required: approved at once, by the requester, and the record says why.
    const { next, download } = this.approval(e, p, 'approved at once: exports do not require approval here (exportsRequireApproval is false)', now);
    const approved = { ...e, ...next };
    await this.deps.db.repos.exports.insert(approved);
    return { export: approved, download };
  }

  async approve(p: Principal, id: string, note: string | null, hooks: ExportHooks = {}): Promise<{ export: ExportRequest; download: DownloadLink }> {
    const e = await this.visible(p, id, hooks);
    const refusal = refuseDecision(e, p);
    if (refusal) throw refusal;
    // Approving is vouching for the calls: the approver's own data scope must cover them too.
    if ((await this.scoped(e.callIds, p)).outside > 0) {
      throw new TingjianError('FORBIDDEN', `export ${e.id} holds calls outside your data scope: someone whose scope covers them must approve it`);
    }
    const { next, download } = this.approval(e, p, note, this.now());
    await this.transition(e, ['pending'], next);
    return { export: { ...e, ...next }, download };
  }

  /** The changes an approval makes and the link it gives: a new token, of which only the hash is kept. */
  private approval(e: ExportRequest, p: Principal, note: string | null, now: number) {
    const token = newToken();
    const expiresAt = linkExpiry(now, this.deps.settings.exportLinkMinutes);
    const next = { status: 'approved' as const, decidedBy: asActor(p), decidedAt: now, decisionNote: note, linkTokenHash: hashToken(token), linkExpiresAt: expiresAt };
    return { next, download: { url: downloadUrl(e.id, token), expiresAt } };
  }

  async reject(p: Principal, id: string, note: string, hooks: ExportHooks = {}): Promise<ExportRequest> {
    const e = await this.visible(p, id, hooks);
    const refusal = refuseDecision(e, p);
    if (refusal) throw refusal;
    const next = { status: 'rejected' as const, decidedBy: asActor(p), decidedAt: this.now(), decisionNote: note };
    await this.transition(e, ['pending'], next);
    return { ...e, ...next };
  }

  /** The requester withdraws a pending export, or stops an approved one's link. */
  async cancel(p: Principal, id: string, hooks: ExportHooks = {}): Promise<ExportRequest> {
    const e = await this.visible(p, id, hooks);
    const refusal = refuseCancel(e, p, this.now());
    if (refusal) throw refusal;
    await this.transition(e, ['pending', 'approved'], { status: 'cancelled' });
    return { ...e, status: 'cancelled' };
  }

  /** What `p` may see (their own; approvers also every pending one and those they decided), newest first. */
  async list(p: Principal, opts: { status?: ExportStatus; limit: number }): Promise<ExportRequest[]> {
    await this.deps.db.repos.exports.expireLinks(this.now());
    return this.deps.db.repos.exports.list({ ...visibleTo(p), ...(opts.status ? { status: opts.status } : {}) }, opts.limit);
  }

  async get(p: Principal, id: string, hooks: ExportHooks = {}): Promise<ExportRequest> {
    return this.visible(p, id, hooks);
  }

  /**
   * The file of an approved export, for its requester holding the link's token, before expiry.
   * The requester's data scope and permissions are checked again: a scope narrowed since the
   * request, or an API token without pii:view, must not get what the account could once see.
   * Calls deleted since are left out.
   */
  async download(p: Principal, id: string, token: string, hooks: ExportHooks = {}): Promise<ExportDownload> {
    const e = await this.visible(p, id, hooks);
    const now = this.now();
    const refusal = refuseDownload(e, p, tokenMatches(token, e.linkTokenHash), now);
    if (refusal) {
      // Record the expiry the refusal found, so lists say it too.
      if (refusal.code === 'GONE') await this.deps.db.repos.exports.expireLinks(now);
      throw refusal;
    }
    const kindRefusal = refuseKind(e.kind, p);
    if (kindRefusal) throw kindRefusal;
    const { calls, outside } = await this.scoped(e.callIds, p);
    if (outside > 0) throw new TingjianError('FORBIDDEN', `your data scope no longer covers ${outside} of the calls of export ${e.id}: ask for a new export`);
    const downloads = await this.deps.db.repos.exports.recordDownload(e.id, now);
    const pii = p.permissions.has('pii:view');
    const file =
      e.kind === 'audio'
        ? await audioFile(this.deps.db, this.deps.blobs, calls)
        : e.kind === 'transcripts'
          ? transcriptsFile(this.deps.db, calls, pii)
          : reportFile(this.deps.db, calls, pii, this.deps.settings.defaultUtcOffset);
    const day = new Date(now).toISOString().slice(0, 10);
    return { ...file, export: { ...e, downloads, lastDownloadedAt: now }, filename: `tingjian-${e.kind}-${day}-${e.id.slice(0, 8)}.${e.format}`, masked: e.kind !== 'audio' && !pii };
  }

  /** The export if `p` may see it; NOT_FOUND otherwise, the same as for an id that does not exist. */
  private async visible(p: Principal, id: string, hooks: ExportHooks): Promise<ExportRequest> {
    const e = await this.deps.db.repos.exports.get(id);
    if (e && mayView(e, p)) return { ...e, status: effectiveStatus(e, this.now()) };
    if (e) hooks.denied?.('not their export');
    throw notFound('export', id);
  }

  private async transition(e: ExportRequest, from: readonly ExportStatus[], next: Parameters<Database['repos']['exports']['transition']>[2]): Promise<void> {
    if (!(await this.deps.db.repos.exports.transition(e.id, from, next))) {
      const now = await this.deps.db.repos.exports.get(e.id);
      throw new TingjianError('CONFLICT', `export ${e.id} changed meanwhile (it is ${now?.status ?? 'gone'} now): reload it and decide again`, { status: now?.status ?? null });
    }
  }

  /** The calls among `ids` within `p`'s data scope, and how many others still exist (outside it). */
  private async scoped(ids: readonly string[], p: Principal): Promise<{ calls: Call[]; outside: number }> {
    const calls = await this.callsIn(ids, p);
    return { calls, outside: (await this.callsIn(ids, null)).length - calls.length };
  }

  /** The calls among `ids` within `p`'s data scope (null: every call), in id order. */
  private callsIn(ids: readonly string[], p: Principal | null): Promise<Call[]> {
    const scope = p ? scopeFilter(p.scope) : null;
    return this.deps.db.repos.calls.listForReinspection({ callIds: [...ids], ...(scope ? { scope } : {}) }, null, ids.length);
  }

  private async namedCalls(p: Principal, callIds: readonly string[], hooks: ExportHooks): Promise<Call[]> {
    const ids = [...new Set(callIds)];
    if (ids.length === 0) throw new TingjianError('INVALID_REQUEST', 'callIds is empty: name at least one call');
    tooMany(ids.length);
    const calls = await this.callsIn(ids, p);
    if (calls.length === ids.length) return calls;
    // A call outside the scope answers like one that does not exist: guessing ids reveals nothing.
    const found = new Set(calls.map((c) => c.id));
    const missing = ids.filter((id) => !found.has(id));
    if ((await this.callsIn(missing, null)).length > 0) hooks.denied?.('a call outside the data scope');
    throw notFound('call', missing[0]!);
  }

  private async filteredCalls(p: Principal, filter: ReinspectionFilter): Promise<Call[]> {
    const scope = scopeFilter(p.scope);
    const calls = await this.deps.db.repos.calls.listForReinspection({ ...filter, ...(scope ? { scope } : {}) }, null, MAX_EXPORT_CALLS + 1);
    if (calls.length === 0) throw new TingjianError('INVALID_REQUEST', 'the filter matches no call in your data scope: widen it');
    tooMany(calls.length);
    return calls;
  }

  /** Audio exports hold recordings: named calls must all have one; a filter keeps the calls that do. */
  private async withRecordings(calls: readonly Call[], named: boolean): Promise<string[]> {
    const have: string[] = [];
    const without: string[] = [];
    for (const c of calls) ((await this.deps.db.repos.recordings.getByCallId(c.id)) ? have : without).push(c.id);
    if (named && without.length > 0) {
      throw new TingjianError('INVALID_REQUEST', `${without.length} of the calls have no recording (transcript only), e.g. ${without.slice(0, 3).join(', ')}: leave them out of an audio export`, { withoutRecording: without.slice(0, 20) });
    }
    if (have.length === 0) throw new TingjianError('INVALID_REQUEST', 'none of these calls has a recording: an audio export would be empty');
    return have;
  }
}

function tooMany(n: number): void {
  if (n > MAX_EXPORT_CALLS) {
    throw new TingjianError('INVALID_REQUEST', `an export holds at most ${MAX_EXPORT_CALLS.toLocaleString('en')} calls: narrow the filter or export in parts`, { max: MAX_EXPORT_CALLS });
  }
}

/** 256 random bits, URL-safe. */
const newToken = (): string => randomBytes(32).toString('base64url');

/** Constant-time comparison of a presented token with the stored hash (no hash: no link). */
function tokenMatches(token: string, storedHash: string | null): boolean {
  if (storedHash === null) return false;
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
