/**
 * Keeps the redacted copies of recordings made for playback for a short while, so that the range
 * requests a browser's player sends as it buffers and seeks are served from one file instead of
 * each running ffmpeg over the whole recording again (without ranges a player cannot seek past
 * what it has downloaded).
 *
 * An entry is in use while a response streams it; once unused it is removed after `idleMs`, or
 * sooner when more than `maxEntries` are kept. The key names everything the copy is made from
 * (recording, spans, mode), so a re-analysis of the call gets a new copy, never a stale one.
 * Files live in the blob store's scratch area (mode 700, swept at the next start after a crash).
 */
export interface CachedFile {
  file: string;
  sizeBytes: number;
  spans: number;
  /** Removes the file; called once, when the entry is dropped. */
  cleanup: () => Promise<void>;
}

interface Entry {
  ready: Promise<CachedFile>;
  users: number;
  idleSince: number;
  timer: NodeJS.Timeout | null;
}

export interface Lease {
  file: string;
  sizeBytes: number;
  spans: number;
  /** Ends this use; the file stays until it has been idle for the cache's idleMs. Idempotent. */
  release: () => void;
}

export class RedactedAudioCache {
  private readonly entries = new Map<string, Entry>();
  private readonly idleMs: number;
  private readonly maxEntries: number;

  constructor(opts: { idleMs?: number; maxEntries?: number } = {}) {
    this.idleMs = opts.idleMs ?? 120_000;
    this.maxEntries = opts.maxEntries ?? 16;
  }

  /** The cached copy for `key`, made by `make` when there is none (concurrent callers share one making). */
  async acquire(key: string, make: () => Promise<CachedFile>): Promise<Lease> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { ready: make(), users: 0, idleSince: Date.now(), timer: null };
      this.entries.set(key, entry);
      // A failed making is not cached: the next request tries again.
      entry.ready.catch(() => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      });
    }
    const held = entry;
    held.users++;
    if (held.timer) clearTimeout(held.timer);
    held.timer = null;
    let got: CachedFile;
    try {
      got = await held.ready;
    } catch (e) {
      held.users--;
      throw e;
    }
    this.evictOverLimit();
    let released = false;
    return {
      file: got.file,
      sizeBytes: got.sizeBytes,
      spans: got.spans,
      release: () => {
        if (released) return;
        released = true;
        held.users--;
        if (held.users > 0 || this.entries.get(key) !== held) return;
        held.idleSince = Date.now();
        held.timer = setTimeout(() => this.drop(key, held), this.idleMs);
        held.timer.unref();
      },
    };
  }

  /** How many copies are kept now (in use or idle). */
  get size(): number {
    return this.entries.size;
  }

  /** Removes every copy (server shutdown); a response still streaming one keeps reading its open file. */
  async clear(): Promise<void> {
    await Promise.all([...this.entries].map(([key, entry]) => this.drop(key, entry)));
  }

  private evictOverLimit(): void {
    if (this.entries.size <= this.maxEntries) return;
    const idle = [...this.entries].filter(([, e]) => e.users === 0).sort((a, b) => a[1].idleSince - b[1].idleSince);
    for (const [key, entry] of idle.slice(0, this.entries.size - this.maxEntries)) void this.drop(key, entry);
  }

  private async drop(key: string, entry: Entry): Promise<void> {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    if (entry.timer) clearTimeout(entry.timer);
    const got = await entry.ready.catch(() => null);
    // On Linux a file removed while streamed stays readable to the open stream, so the removal
    // need not wait for readers.
    await got?.cleanup();
  }
}
