import { TingjianError } from '../domain/errors.js';
import type { DataKeyRepository } from '../ports/repositories.js';
import { formatWrapped, newDataKey, parseWrapped, unwrapDataKey, wrapDataKey, type MasterKeys } from './envelope.js';

/** Unwrapped data keys kept: 20,000 × ~250 bytes ≈ 5 MB, ten batches of calls judged at once. */
const DEFAULT_CACHE_ENTRIES = 20_000;

/**
 * Unwrapped data keys by object id, least recently used dropped first: reading a batch of
 * transcripts again (dry runs, re-inspection, search pages) does not query and unwrap their
 * keys again. A data key never changes once stored (rotation re-wraps it, the key stays), so
 * entries never go stale; a deleted key lingers here only until evicted or the process ends.
 */
export class DataKeyCache {
  private readonly entries = new Map<string, Buffer>();

  constructor(private readonly max = DEFAULT_CACHE_ENTRIES) {}

  get(objectId: string): Buffer | undefined {
    const key = this.entries.get(objectId);
    if (key) {
      this.entries.delete(objectId);
      this.entries.set(objectId, key);
    }
    return key;
  }

  set(objectId: string, key: Buffer): void {
    this.entries.delete(objectId);
    this.entries.set(objectId, key);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(objectId: string): void {
    this.entries.delete(objectId);
  }
}

/**
 * The data keys of objects through one repository handle. `shared` is false inside a database
 * transaction: a key created (or first seen) there may be rolled back with it, so it stays in this
 * handle's own map and never enters the process-wide cache.
 */
export class DataKeys {
  private readonly local = new Map<string, Buffer>();

  constructor(
    private readonly repo: DataKeyRepository,
    private readonly keys: MasterKeys,
    private readonly cache: DataKeyCache,
    private readonly shared: boolean,
  ) {}

  private remember(objectId: string, key: Buffer): void {
    if (this.shared) this.cache.set(objectId, key);
    else this.local.set(objectId, key);
  }

  private known(objectId: string): Buffer | undefined {
    return this.local.get(objectId) ?? this.cache.get(objectId);
  }

  /** The keys of those objects that have one (one query for all not cached). */
  async forRead(objectIds: Iterable<string>): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const id of objectIds) {
      const key = this.known(id);
      if (key) out.set(id, key);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    for (const [id, row] of await this.repo.getMany(missing)) {
      const key = unwrapDataKey(this.keys, parseWrapped(row.wrapped, id), id);
      this.remember(id, key);
      out.set(id, key);
    }
    return out;
  }

  /** The object's key; one is created (and stored wrapped under the current master key) if it has none. */
  async forWrite(objectId: string): Promise<Buffer> {
    const known = this.known(objectId) ?? (await this.forRead([objectId])).get(objectId);
    if (known) return known;
    const key = newDataKey();
    const wrapped = wrapDataKey(this.keys, key, objectId);
    const stored = await this.repo.insertIfAbsent({ objectId, keyId: wrapped.keyId, wrapped: formatWrapped(wrapped), createdAt: Date.now() });
    // Another writer may have stored one first: theirs is the key.
    const winner = stored.wrapped === formatWrapped(wrapped) ? key : unwrapDataKey(this.keys, parseWrapped(stored.wrapped, objectId), objectId);
    this.remember(objectId, winner);
    return winner;
  }

  /** The keys of objects whose stored values are encrypted; INTEGRITY_MISMATCH naming one that has none (its key was deleted). */
  async forEncrypted(objectIds: Iterable<string>): Promise<Map<string, Buffer>> {
    const ids = [...objectIds];
    const found = await this.forRead(ids);
    const lost = ids.find((id) => !found.has(id));
    if (lost !== undefined) {
      throw new TingjianError('INTEGRITY_MISMATCH', `${lost} has encrypted data but no data key (the data_keys row was deleted): it cannot be read`, { objectId: lost });
    }
    return found;
  }
}
