import { createHmac, hkdfSync } from 'node:crypto';

/**
 * The audit log's hash chain, pure (no I/O). Each entry's hash is
 * `HMAC-SHA256(key, prevHash + '\n' + canonical(entry))` in lower-case hex, where prevHash is the
 * hash of the entry before it (or of the anchor for the first one). Editing an entry changes its
 * hash; removing one leaves a gap in seq and a prevHash that points at nothing; so changes show
 * up when the chain is verified — as long as whoever edits does not hold the key.
 */

/** One entry as stored and exported. `details` is the JSON text exactly as hashed. */
export interface AuditEntry {
  /** 1, 2, 3… without gaps, assigned by the appender. */
  seq: number;
  /** Epoch ms. */
  at: number;
  actorUserId: string | null;
  actorUsername: string;
  actorRole: string | null;
  actorVia: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  /** Canonical JSON text (canonicalJson()); kept as text so the hash never depends on a re-serialisation. */
  details: string;
  prevHash: string;
  hash: string;
}

/** What an appender supplies; the chain assigns the rest. */
export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/** A point of the chain: its head, or the anchor it continues from after a purge. */
export interface ChainLink {
  seq: number;
  hash: string;
}

/** Without a master key: a public key, documented. It still catches accidental edits and naive tampering, not someone who reads this file. */
export const DEFAULT_AUDIT_KEY_TEXT = 'tingjian-audit-v1';

/**
 * The HMAC key: derived (HKDF-SHA256, info "tingjian-audit-v1") from a secret of the master
 * keyring when one is configured, so the master key itself never signs anything; else the
 * public default key. The secret must not change when master keys rotate, or old entries would
 * no longer verify.
 */
export function auditKey(secret: Buffer | null | undefined): Buffer {
  if (!secret || secret.length === 0) return Buffer.from(DEFAULT_AUDIT_KEY_TEXT, 'utf8');
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), DEFAULT_AUDIT_KEY_TEXT, 32));
}

const PUBLIC_KEY = auditKey(null);

/** Whether `key` is the public default key (no master key configured). */
export const isPublicKey = (key: Buffer): boolean => key.equals(PUBLIC_KEY);

/** The action of the entry a process holding the audit key appends when it finds the chain's head hashed with the public key. */
export const REKEY_ACTION = 'audit.rekey';

/** A lone UTF-16 surrogate, or U+0000. */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what is matched
const UNSTORABLE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\u0000/g;

/**
 * The text as both databases store and give it back: a lone surrogate (UTF-8 cannot hold one, so
 * the driver writes U+FFFD) and U+0000 (PostgreSQL text refuses it) become U+FFFD. Applied before
 * hashing, so the hash covers what is read back.
 */
export const storableText = (s: string): string => s.replace(UNSTORABLE, '\ufffd');

/**
 * JSON with object keys sorted at every level, so equal facts give equal text (Dates as ISO
 * strings, undefined dropped); strings and keys storableText(), so the text reads back the same.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? {}, (_key, v: unknown) =>
    typeof v === 'string'
      ? storableText(v)
      : v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .map(([k, x]) => [storableText(k), x] as const)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
          )
        : v,
  );
}

/**
 * The text an entry's hash covers: a JSON object of every field but prevHash and hash, keys in
 * alphabetical order, `details` as its stored JSON text (a string). Written out field by field so
 * the order is the documented one, whatever order the entry's properties were created in.
 */
export function canonicalEntry(e: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  return JSON.stringify({
    action: e.action,
    actorRole: e.actorRole,
    actorUserId: e.actorUserId,
    actorUsername: e.actorUsername,
    actorVia: e.actorVia,
    at: e.at,
    details: e.details,
    ip: e.ip,
    outcome: e.outcome,
    seq: e.seq,
    targetId: e.targetId,
    targetType: e.targetType,
    userAgent: e.userAgent,
  });
}

export function entryHash(key: Buffer, prevHash: string, e: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  return createHmac('sha256', key).update(`${prevHash}\n${canonicalEntry(e)}`).digest('hex');
}

/** Whether the entry's stored hash is the one `key` makes of it. */
export const hashedWith = (key: Buffer, e: AuditEntry): boolean => entryHash(key, e.prevHash, e) === e.hash;

/** The entry that follows `head` in the chain. */
export function chainEntry(key: Buffer, head: ChainLink, e: NewAuditEntry): AuditEntry {
  const seq = head.seq + 1;
  return { ...e, seq, prevHash: head.hash, hash: entryHash(key, head.hash, { ...e, seq }) };
}

/**
 * - changed: the stored hash does not match the entry's content (edited, or re-hashed with another
 *   key — the public default key after the audit key was in use included)
 * - removed: seqs `seq`..`toSeq` are missing between two entries
 * - inserted: an entry whose prevHash is not its predecessor's hash, or whose seq repeats
 * - truncated-head: the first entries after the anchor (`seq`..`toSeq`) are missing
 * - anchor-unexplained: the anchor moved (seq > 0) but no intact audit.purge entry says it did
 * - rekey-missing: the first entry hashed with the audit key after entries hashed with the public
 *   default key is not the audit.rekey entry a process holding the key writes there (`seq`), or
 *   the chain ends with such entries and none (`seq`: the last entry)
 */
export const CHAIN_PROBLEM_KINDS = ['changed', 'removed', 'inserted', 'truncated-head', 'anchor-unexplained', 'rekey-missing'] as const;
export type ChainProblemKind = (typeof CHAIN_PROBLEM_KINDS)[number];

export interface ChainProblem {
  kind: ChainProblemKind;
  seq: number;
  /** The last missing seq of a removed or truncated-head range. */
  toSeq?: number;
  message: string;
}

export interface VerifyReport {
  /** Entries read. */
  entries: number;
  intact: boolean;
  anchor: ChainLink;
  /** The last entry read (the anchor when there is none): note it to detect entries removed from the end later. */
  head: ChainLink;
  /** The first `maxProblems` problems, in seq order. */
  problems: ChainProblem[];
  /** All problems found (more than problems.length when capped). */
  problemCount: number;
}

/** What an audit.purge entry's details say; verification checks the anchor against the last one. */
export interface PurgeFacts {
  deleted: number;
  throughSeq: number;
  anchorHash: string;
  before: number;
}

const range = (from: number, to: number) => (from === to ? `seq ${from}` : `seqs ${from}–${to}`);

/**
 * Checks entries pushed in ascending seq order, holding only the previous one: millions of
 * entries verify in constant memory. Keeps going after a problem, so one report lists them all.
 *
 * Keys: a chain begun without a master key and continued with one starts with entries hashed
 * with the public default key. They verify as long as they form an unbroken run from the anchor
 * and the first entry hashed with the audit key after them is an audit.rekey entry, which the
 * holder of the key appends (audit-log.ts) and which, holding the last public entry's hash as its
 * prevHash, seals that run: rewriting any of it breaks the link into the rekey entry, which only
 * the key holder could re-hash. After an entry hashed with the audit key — or a gap, where the
 * missing entries could have been — an entry hashed with the public key is `changed`.
 */
export class ChainVerifier {
  private prev: ChainLink & { flagged: boolean };
  private entries = 0;
  private problemCount = 0;
  private readonly problems: ChainProblem[] = [];
  private anchorExplained: boolean;
  /** Entries hashed with the public key may still come: no audit-key entry nor gap seen yet (never when the key is the public one). */
  private publicRun: boolean;
  /** An entry of that public run has been seen. */
  private sawPublic = false;
  /** The key is not the public one, so entries hashed with the public key are told apart. */
  private readonly twoKeys: boolean;

  constructor(
    private readonly anchor: ChainLink,
    private readonly key: Buffer,
    private readonly maxProblems = 1000,
  ) {
    this.prev = { ...anchor, flagged: false };
    this.anchorExplained = anchor.seq === 0;
    this.twoKeys = !isPublicKey(key);
    this.publicRun = this.twoKeys;
  }

  /** Which key the entry's hash was made with, if either (the public key only when it is not the key itself). */
  private keyOf(e: AuditEntry): 'audit' | 'public' | null {
    if (hashedWith(this.key, e)) return 'audit';
    return this.twoKeys && hashedWith(PUBLIC_KEY, e) ? 'public' : null;
  }

  push(e: AuditEntry): void {
    const p = this.prev;
    const first = this.entries === 0;
    this.entries++;
    if (e.seq <= p.seq) {
      // Not a chain position at all: the predecessor stays the one before it.
      this.problem({ kind: 'inserted', seq: e.seq, message: `seq ${e.seq} comes after seq ${p.seq}: a repeated or out-of-place entry` });
      return;
    }
    let flagged = false;
    if (e.seq > p.seq + 1) {
      // The missing entries could have been the audit.rekey entry or ones hashed with the audit key.
      this.publicRun = false;
      // Right after the anchor the gap is at the start of the chain, not between two entries.
      const head = first;
      this.problem({
        kind: head ? 'truncated-head' : 'removed',
        seq: p.seq + 1,
        toSeq: e.seq - 1,
        message: head
          ? `${range(p.seq + 1, e.seq - 1)} missing after the anchor (seq ${this.anchor.seq}): entries deleted from the start without a purge`
          : `${range(p.seq + 1, e.seq - 1)} missing: deleted between seq ${p.seq} and seq ${e.seq}`,
      });
    } else if (e.prevHash !== p.hash && !p.flagged) {
      // A broken link after a flagged predecessor is that predecessor's change (re-hashed), not news.
      this.problem({ kind: 'inserted', seq: e.seq, message: `seq ${e.seq} does not continue the chain from seq ${p.seq} (its prevHash is not that entry's hash): forged or spliced in` });
      flagged = true;
    }
    const key = this.keyOf(e);
    if (!flagged) flagged = this.checkKey(e, key);
    if (key === 'public') this.sawPublic = true;
    if (key === 'audit') this.publicRun = false;
    if (!flagged && e.action === 'audit.purge') this.notePurge(e);
    this.prev = { seq: e.seq, hash: e.hash, flagged };
  }

  /** Reports an entry whose key is wrong where it stands; true when it did. */
  private checkKey(e: AuditEntry, key: 'audit' | 'public' | null): boolean {
    const what = `seq ${e.seq} (${e.action})`;
    if (key === null) {
      this.problem({ kind: 'changed', seq: e.seq, message: `${what} was changed: its hash does not match its content` });
    } else if (key === 'public' && !this.publicRun) {
      this.problem({
        kind: 'changed',
        seq: e.seq,
        message: `${what} was changed: it is hashed with the public default key where only the audit key is valid (after an entry hashed with it, or a gap) — re-hashed by someone without the key, or written by a process without the master key`,
      });
    } else if (key === 'audit' && this.publicRun && this.sawPublic && e.action !== REKEY_ACTION) {
      this.problem({
        kind: 'rekey-missing',
        seq: e.seq,
        message: `${what} is the first entry hashed with the audit key after entries hashed with the public default key, but not the ${REKEY_ACTION} entry Tingjian writes there: the entries before it cannot be trusted beyond the public key`,
      });
    } else {
      return false;
    }
    return true;
  }

  finish(): VerifyReport {
    if (this.publicRun && this.sawPublic) {
      // Nothing seals the run: the whole chain could have been rewritten with the public key.
      this.problem({
        kind: 'rekey-missing',
        seq: this.prev.seq,
        message: `the chain ends at seq ${this.prev.seq} with entries hashed with the public default key and no ${REKEY_ACTION} entry after them: they are only as trustworthy as the public key (a process holding the audit key appends ${REKEY_ACTION} at its first write or verification)`,
      });
    }
    if (!this.anchorExplained) {
      this.problem({
        kind: 'anchor-unexplained',
        seq: this.anchor.seq,
        message: `the chain starts after seq ${this.anchor.seq}, but no intact audit.purge entry says entries up to it were purged`,
      });
    }
    return {
      entries: this.entries,
      intact: this.problemCount === 0,
      anchor: this.anchor,
      head: { seq: this.prev.seq, hash: this.prev.hash },
      problems: this.problems,
      problemCount: this.problemCount,
    };
  }

  private notePurge(e: AuditEntry): void {
    try {
      const d = JSON.parse(e.details) as Partial<PurgeFacts>;
      if (d.throughSeq === this.anchor.seq && d.anchorHash === this.anchor.hash) this.anchorExplained = true;
    } catch {
      // A purge entry whose details are not JSON explains nothing; its hash was valid, so it was written so.
    }
  }

  private problem(p: ChainProblem): void {
    this.problemCount++;
    if (this.problems.length < this.maxProblems) this.problems.push(p);
  }
}

/**
 * Verify a chain read in batches (ascending seq, e.g. AuditRepository.stream()).
 * @example const report = await verifyChain(repo.stream(anchor.seq, 1000), anchor, key)
 */
export async function verifyChain(
  batches: AsyncIterable<readonly AuditEntry[]> | Iterable<readonly AuditEntry[]>,
  anchor: ChainLink,
  key: Buffer,
  opts: { maxProblems?: number; onProgress?: (entries: number) => void } = {},
): Promise<VerifyReport> {
  const v = new ChainVerifier(anchor, key, opts.maxProblems);
  let n = 0;
  for await (const batch of batches) {
    for (const e of batch) v.push(e);
    n += batch.length;
    opts.onProgress?.(n);
  }
  return v.finish();
}
