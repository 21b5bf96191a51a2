import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { TingjianError } from '../domain/errors.js';
import { DATA_KEY_BYTES, type MasterKeys } from './envelope.js';

/**
 * Master keys, pure: parsing and writing the key file, and the one-key form of TINGJIAN_MASTER_KEY.
 * Key material never leaves a Keyring through logging or JSON (toJSON and inspect show ids only),
 * and no error message quotes it: messages name the source and what is wrong.
 *
 * Key file (mode 600):
 *   { "current": "<id>", "keys": { "<id>": "<base64 of 32 bytes>", … }, "stable": "<base64 of 32 bytes>" }
 * `stable` is never rotated: keys derived from it (deriveKey, e.g. the audit log's HMAC key) stay
 * the same across rotations, and removing an old master key after a rotation cannot lose it.
 */
export const MASTER_KEY_BYTES = DATA_KEY_BYTES;
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type KeyringSource = 'file' | 'env';

export class Keyring implements MasterKeys {
  #currentId: string;
  #keys: ReadonlyMap<string, Buffer>;
  #stable: Buffer | null;

  constructor(
    currentId: string,
    keys: ReadonlyMap<string, Buffer>,
    stable: Buffer | null,
    readonly source: KeyringSource,
  ) {
    this.#currentId = currentId;
    this.#keys = keys;
    this.#stable = stable;
  }

  /** Id of the key new wrappings use. */
  get currentId(): string {
    this.refresh();
    return this.#currentId;
  }

  key(id: string): Buffer | undefined {
    this.refresh();
    return this.#keys.get(id);
  }

  ids(): string[] {
    this.refresh();
    return [...this.#keys.keys()];
  }

  /** The secret keys are derived from (see deriveKey); null when a key file has none. */
  stableSecret(): Buffer | null {
    this.refresh();
    return this.#stable;
  }

  /**
   * Called before every use. A keyring read once stays as it is; the key file of a running
   * process is re-read here when it changed (KeyFileKeyring, src/crypto/keyring.ts).
   */
  protected refresh(): void {}

  /** Take the keys of `next`, a fresh read of the same source (one synchronous swap: no use sees half of each). */
  protected adopt(next: Keyring): void {
    this.#currentId = next.#currentId;
    this.#keys = next.#keys;
    this.#stable = next.#stable;
  }

  toJSON(): { currentId: string; ids: string[]; source: KeyringSource } {
    return { currentId: this.currentId, ids: this.ids(), source: this.source };
  }

  [inspect.custom](): string {
    return `Keyring(${this.source}: current ${this.currentId}; ${this.ids().join(', ')})`;
  }
}

/** A key's id when it has none of its own (the environment's key, generated keys): 12 hex of its sha256. */
export const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 12);

/** 32 bytes from base64, or a message saying what is wrong (never quoting the value). */
function decodeKey(value: unknown, what: string): Buffer {
  if (typeof value !== 'string') throw invalid(`${what} must be a base64 string`);
  const text = value.trim();
  if (!BASE64.test(text)) throw invalid(`${what} is not valid base64 (A–Z, a–z, 0–9, +, /, = padding)`);
  const key = Buffer.from(text, 'base64');
  if (key.length !== MASTER_KEY_BYTES) {
    throw invalid(`${what} decodes to ${key.length} bytes; a master key is ${MASTER_KEY_BYTES} bytes (make one with \`tingjian keys generate\` or \`openssl rand -base64 32\`)`);
  }
  return key;
}

const invalid = (message: string) => new TingjianError('CONFIG_INVALID', message);

/** TINGJIAN_MASTER_KEY: one key, its id the first 12 hex of its sha256, also the stable secret. */
export function keyringFromMasterKey(value: string): Keyring {
  const key = decodeKey(value, 'TINGJIAN_MASTER_KEY (masterKey)');
  return new Keyring(keyIdOf(key), new Map([[keyIdOf(key), key]]), key, 'env');
}

/** The key file's JSON text → a keyring; CONFIG_INVALID naming `source` and the field at fault. */
export function parseKeyringFile(text: string, source: string): Keyring {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // Not the parser's message: V8 quotes a slice of the text, which would be key material.
    throw invalid(`key file ${source} is not valid JSON; expected { "current": "<id>", "keys": { "<id>": "<base64 of 32 bytes>" } }`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid(`key file ${source}: the top level must be an object with "current" and "keys"`);
  const { current, keys, stable, ...rest } = doc as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) throw invalid(`key file ${source}: unknown field(s) ${unknown.join(', ')}; known: current, keys, stable`);
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys) || Object.keys(keys).length === 0) {
    throw invalid(`key file ${source}: "keys" must be an object of at least one "<id>": "<base64 of 32 bytes>"`);
  }
  const map = new Map<string, Buffer>();
  for (const [n, [id, value]] of Object.entries(keys as Record<string, unknown>).entries()) {
    // Not quoted: a key pasted where its id belongs would be printed.
    if (!KEY_ID.test(id)) throw invalid(`key file ${source}: the id of key ${n + 1} in "keys" must be 1–64 of A–Z, a–z, 0–9, _ . -`);
    map.set(id, decodeKey(value, `key file ${source}: key "${id}"`));
  }
  if (typeof current !== 'string' || !map.has(current)) {
    throw invalid(`key file ${source}: "current" must name one of the keys (${[...map.keys()].join(', ')})`);
  }
  return new Keyring(current, map, stable === undefined ? null : decodeKey(stable, `key file ${source}: "stable"`), 'file');
}

/** The key file text of a keyring (2-space JSON, ids in their order). */
export function formatKeyringFile(keyring: Keyring): string {
  const keys = Object.fromEntries(keyring.ids().map((id) => [id, keyring.key(id)!.toString('base64')]));
  const stable = keyring.stableSecret();
  return `${JSON.stringify({ current: keyring.currentId, keys, ...(stable ? { stable: stable.toString('base64') } : {}) }, null, 2)}\n`;
}

/**
 * A keyring with one new random key made current: added to `existing` (keeping its keys and
 * stable secret), or a fresh one with a new stable secret. Rotating the data keys is then
 * `tingjian keys rotate`.
 */
export function withNewKey(existing: Keyring | null): { keyring: Keyring; id: string } {
  const key = randomBytes(MASTER_KEY_BYTES);
  const id = keyIdOf(key);
  const keys = new Map<string, Buffer>();
  for (const old of existing?.ids() ?? []) keys.set(old, existing!.key(old)!);
  keys.set(id, key);
  const stable = existing?.stableSecret() ?? randomBytes(MASTER_KEY_BYTES);
  return { keyring: new Keyring(id, keys, stable, 'file'), id };
}
