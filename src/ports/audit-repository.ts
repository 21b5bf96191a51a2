import type { AuditEntry, ChainLink, NewAuditEntry, PurgeFacts } from '../audit/audit-chain.js';
import type { Page } from './repositories.js';

/** Which audit entries a search or an export covers; every field given must match. */
export interface AuditFilter {
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** The actor's username, exactly. */
  actor?: string;
  /** An action exactly (call.view), or every action under a prefix ending in '.' (call.). */
  action?: string;
  targetId?: string;
  outcome?: string;
}

/** Links an entry to the head it follows: chainEntry() with the HMAC key (src/audit/audit-chain.ts). */
export type ChainAppend = (head: ChainLink, entry: NewAuditEntry) => AuditEntry;

/**
 * The audit log: an append-only hash chain. Appends read the head and insert after it in one
 * transaction, serialised across processes (SQLite's write lock, a PostgreSQL advisory lock), so
 * the chain never forks. Nothing here updates an entry; only purgeBefore deletes, from the start.
 */
export interface AuditRepository {
  /** Append one entry after the current head; returns it as stored. */
  append(entry: NewAuditEntry, chain: ChainAppend): Promise<AuditEntry>;
  /** Append entries in order, in one transaction. */
  appendMany(entries: readonly NewAuditEntry[], chain: ChainAppend): Promise<AuditEntry[]>;
  /** Search: newest first (by seq) by default; the cursor is opaque. */
  page(filter: AuditFilter, page: { limit: number; cursor?: string | undefined; order?: 'newest' | 'oldest' }): Promise<Page<AuditEntry>>;
  /** Every entry after seq `afterSeq`, ascending, `batch` at a time (verification, export). */
  stream(afterSeq: number, batch: number): AsyncIterable<AuditEntry[]>;
  /** Where the chain starts: seq 0 and the genesis hash until the first purge. */
  anchor(): Promise<ChainLink>;
  /** The last entry, or the anchor when there is none. */
  head(): Promise<ChainLink>;
  /**
   * Delete the leading run of entries older than `before` (a prefix of the chain, by seq, up to
   * the first entry at or after `before`),
   * move the anchor to the last deleted entry, and append the entry `purgeEntry` describes — all
   * in one transaction, so the anchor is never left without the entry explaining it.
   */
  purgeBefore(before: number, purgeEntry: (facts: PurgeFacts) => NewAuditEntry, chain: ChainAppend): Promise<{ facts: PurgeFacts; entry: AuditEntry }>;
}
