/**
 * Token buckets per key (a client address), pure: the caller passes the time. A bucket holds a
 * minute's allowance and refills continuously, so `perMinute` requests may come at once and then
 * one per 60/perMinute seconds. Memory stays bounded: a bucket untouched for a minute is full
 * again — the same as no bucket — and is dropped; past `maxKeys` live buckets the least recently
 * used go first (an attacker rotating addresses resets buckets, it cannot exhaust memory).
 */

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number; firstRefusal: boolean };

interface Bucket {
  tokens: number;
  at: number;
  /** A refusal was already reported since the last allowed request (so callers log once). */
  refused: boolean;
}

const MINUTE_MS = 60_000;

export class TokenBuckets {
  /** Least recently used first: every take moves its key to the end. */
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    private readonly maxKeys = 50_000,
  ) {
    if (!(perMinute > 0)) throw new RangeError('perMinute must be positive');
    this.perMs = perMinute / MINUTE_MS;
  }

  get size(): number {
    return this.buckets.size;
  }

  /**
   * Spend one token of `key` at time `now` (ms, monotonic).
   * @example new TokenBuckets(10).take('203.0.113.9', performance.now())
   */
  take(key: string, now: number): TakeResult {
    const old = this.buckets.get(key);
    if (old) this.buckets.delete(key);
    const bucket: Bucket = old
      ? { tokens: Math.min(this.perMinute, old.tokens + Math.max(0, now - old.at) * this.perMs), at: now, refused: old.refused }
      : { tokens: this.perMinute, at: now, refused: false };
    this.buckets.set(key, bucket);
    this.evict(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.refused = false;
      return { allowed: true };
    }
    const firstRefusal = !bucket.refused;
    bucket.refused = true;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)), firstRefusal };
  }

  /** Drop full buckets from the old end, then the oldest while over the cap. */
  private evict(now: number): void {
    for (const [key, b] of this.buckets) {
      if (now - b.at < MINUTE_MS && this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}
