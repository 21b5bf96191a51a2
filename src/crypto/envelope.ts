import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TingjianError } from '../domain/errors.js';

/**
 * Envelope encryption, pure (node:crypto, no I/O): every object (a call, a recording) has its own
 * random 256-bit data key; the data key is stored wrapped — AES-256-GCM under a master key —
 * next to the object. Rotating the master key re-wraps 32-byte data keys and never touches the
 * objects. The wrapping is bound to the object (its id is the GCM additional data), so a wrapped
 * key copied onto another object does not unwrap.
 */

export const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** The master keys a wrapping can name: the keyring (src/crypto/keyring-parser.ts) is one. */
export interface MasterKeys {
  /** Id of the key new wrappings use. */
  readonly currentId: string;
  /** The key of this id, if held. */
  key(id: string): Buffer | undefined;
  ids(): string[];
}

/** A data key wrapped under master key `keyId`. */
export interface WrappedKey {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export const newDataKey = (): Buffer => randomBytes(DATA_KEY_BYTES);

const wrapAad = (objectId: string) => Buffer.from(`tingjian/data-key/v1/${objectId}`, 'utf8');

/** Wrap a data key under the current master key, bound to `objectId`. */
export function wrapDataKey(keys: MasterKeys, dataKey: Buffer, objectId: string): WrappedKey {
  // Read once: a key file reloaded between two reads must not name one key and use another.
  const keyId = keys.currentId;
  const master = masterKey(keys, keyId, objectId);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, master, iv).setAAD(wrapAad(objectId));
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return { keyId, iv, tag: cipher.getAuthTag(), ciphertext };
}

/**
 * The data key of `objectId`. CONFIG_INVALID when the keyring lacks the master key it names;
 * INTEGRITY_MISMATCH when the tag does not check (another key under that id, an altered wrapping,
 * a wrapping of another object). Messages name key ids, never key bytes.
 */
export function unwrapDataKey(keys: MasterKeys, wrapped: WrappedKey, objectId: string): Buffer {
  const master = masterKey(keys, wrapped.keyId, objectId);
  try {
    const decipher = createDecipheriv(ALGORITHM, master, wrapped.iv).setAAD(wrapAad(objectId)).setAuthTag(wrapped.tag);
    const key = Buffer.concat([decipher.update(wrapped.ciphertext), decipher.final()]);
    if (key.length !== DATA_KEY_BYTES) throw new Error('wrong length');
    return key;
  } catch {
    throw new TingjianError(
      'INTEGRITY_MISMATCH',
      `the data key of ${objectId} does not decrypt under master key ${wrapped.keyId}: the key file holds another key under that id, or the stored key was altered`,
      { objectId, keyId: wrapped.keyId },
    );
  }
}

function masterKey(keys: MasterKeys, id: string, objectId: string): Buffer {
  const key = keys.key(id);
  if (key) return key;
  throw new TingjianError(
    'CONFIG_INVALID',
    `${objectId} is encrypted under master key ${id}, which the keyring does not hold (it holds ${keys.ids().join(', ')}): put that key back in the key file (TINGJIAN_MASTER_KEY_FILE), then run \`tingjian keys rotate\` before removing it`,
    { objectId, keyId: id },
  );
}

/** `v1:<key id>:<base64 of iv | tag | ciphertext>`: one text column or JSON field. */
export function formatWrapped(w: WrappedKey): string {
  return `v1:${w.keyId}:${Buffer.concat([w.iv, w.tag, w.ciphertext]).toString('base64')}`;
}

export function parseWrapped(text: string, objectId: string): WrappedKey {
  const m = /^v1:([A-Za-z0-9_.-]{1,64}):([A-Za-z0-9+/]+={0,2})$/.exec(text);
  const raw = m ? Buffer.from(m[2]!, 'base64') : null;
  if (!m || !raw || raw.length !== IV_BYTES + TAG_BYTES + DATA_KEY_BYTES) {
    throw new TingjianError('INTEGRITY_MISMATCH', `the stored data key of ${objectId} is not a wrapped key (v1:<key id>:<base64>): it was altered`, { objectId });
  }
  return { keyId: m[1]!, iv: raw.subarray(0, IV_BYTES), tag: raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES), ciphertext: raw.subarray(IV_BYTES + TAG_BYTES) };
}

/** Stored text fields start with this; anything else is plaintext written before encryption was on. */
export const FIELD_PREFIX = 'enc1:';

export const isEncryptedField = (value: string): boolean => value.startsWith(FIELD_PREFIX);

/**
 * `enc1:<base64 of iv | ciphertext | tag>` of a text under an object's data key. `context` (e.g.
 * `<call id>/segment/3/text`) is the additional data: a value moved to another field fails.
 */
export function encryptField(dataKey: Buffer, text: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, dataKey, iv).setAAD(Buffer.from(context, 'utf8'));
  const body = cipher.update(text, 'utf8');
  cipher.final(); // GCM is a stream mode: final() adds no bytes
  return FIELD_PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
}

/** The text of an `enc1:` value; INTEGRITY_MISMATCH naming `context` when it does not authenticate. */
export function decryptField(dataKey: Buffer, value: string, context: string): string {
  const raw = Buffer.from(value.slice(FIELD_PREFIX.length), 'base64');
  try {
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('short');
    const decipher = createDecipheriv(ALGORITHM, dataKey, raw.subarray(0, IV_BYTES))
      .setAAD(Buffer.from(context, 'utf8'))
      .setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const text = decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)).toString('utf8');
    decipher.final();
    return text;
  } catch {
    throw new TingjianError('INTEGRITY_MISMATCH', `${context} does not decrypt under its data key: the stored value was altered`, { context });
  }
}
