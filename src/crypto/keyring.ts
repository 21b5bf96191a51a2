import { hkdfSync } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { TingjianError } from '../domain/errors.js';
import { formatKeyringFile, Keyring, keyringFromMasterKey, parseKeyringFile } from './keyring-parser.js';

export { Keyring, keyIdOf } from './keyring-parser.js';

/**
 * A running process re-reads its key file when it changed, looking at most this often (when it
 * uses a key): `tingjian keys generate` makes a new key current in every running server within
 * this time, without a restart.
 */
export const KEY_FILE_RECHECK_MS = 2_000;

/**
 * `tingjian keys rotate` starts once the key file is this old: KEY_FILE_RECHECK_MS for every
 * running process to take the new current key, and a margin for wrappings made just before
 * (a data key wrapped, then written) to land — so the rotation's scan finds them.
 */
export const KEY_FILE_SETTLE_MS = KEY_FILE_RECHECK_MS + 3_000;

/** Where a reloaded key file is reported (a pino logger fits): ids and messages, never key bytes. */
export interface KeyringLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Where the master keys come from: the key file (config masterKeyFile, TINGJIAN_MASTER_KEY_FILE)
 * or one key in the environment (masterKey, TINGJIAN_MASTER_KEY). Null when neither is set:
 * encryption at rest is off. Rotation needs the key file (the environment holds one key). A key
 * file is followed while the process runs (KeyFileKeyring); reloads are reported to `log`.
 */
export async function loadKeyring(config: { masterKeyFile?: string | undefined; masterKey?: string | undefined }, log?: KeyringLog): Promise<Keyring | null> {
  if (config.masterKeyFile && config.masterKey) {
    throw new TingjianError('CONFIG_INVALID', 'both TINGJIAN_MASTER_KEY_FILE (masterKeyFile) and TINGJIAN_MASTER_KEY (masterKey) are set: keep one (the key file, to rotate keys)');
  }
  if (config.masterKeyFile) return followKeyFile(config.masterKeyFile, log);
  if (config.masterKey) return keyringFromMasterKey(config.masterKey);
  return null;
}

/**
 * Read and parse a key file, once. Refused when group or others may read it (anyone who reads it
 * reads every recording); the error says how to fix it.
 */
export async function readKeyringFile(file: string): Promise<Keyring> {
  const s = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw unreadable(file, e);
  });
  checkKeyFile(file, s);
  return parseKeyringFile(await readFile(file, 'utf8'), file);
}

/** A key file's keyring that follows the file (see KeyFileKeyring). */
export async function followKeyFile(file: string, log?: KeyringLog): Promise<Keyring> {
  const s = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw unreadable(file, e);
  });
  return new KeyFileKeyring(file, await readKeyringFile(file), signatureOf(s), log ?? null);
}

const unreadable = (file: string, e: NodeJS.ErrnoException) =>
  new TingjianError('CONFIG_INVALID', `cannot read the master key file ${file} (TINGJIAN_MASTER_KEY_FILE): ${e.code ?? e.message}; create one with \`tingjian keys generate --out ${file}\``);

function checkKeyFile(file: string, s: Stats): void {
  if (!s.isFile()) throw new TingjianError('CONFIG_INVALID', `the master key file ${file} (TINGJIAN_MASTER_KEY_FILE) is not a file`);
  if (process.platform !== 'win32' && (s.mode & 0o077) !== 0) {
    throw new TingjianError(
      'CONFIG_INVALID',
      `the master key file ${file} may be read by group or others (mode ${(s.mode & 0o777).toString(8)}): run \`chmod 600 ${file}\` so only its owner can read it`,
    );
  }
}

/** What changes when the file is replaced (keys generate renames a new one over it), edited or chmod-ed. */
const signatureOf = (s: Stats) => `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

/**
 * The keyring of a running process's key file, re-read when the file changes — so data is wrapped
 * under a new current key within KEY_FILE_RECHECK_MS of `tingjian keys generate`, and an old key
 * removed after a rotation is dropped too. Checked on use, at most every KEY_FILE_RECHECK_MS, with
 * a synchronous stat (and read, when changed): the MasterKeys interface is synchronous, it costs
 * microseconds on a small local file, and unlike a timer it bounds the delay for a process that
 * has been idle (its first use checks) and needs nothing stopped at close. A file that does not
 * load (bad JSON, a missing current key, readable by others) keeps the keys in use and is logged
 * as an error once per change of the file.
 */
export class KeyFileKeyring extends Keyring {
  #signature: string;
  #checkedAt = Date.now();
  #failed: string | null = null;

  constructor(
    readonly file: string,
    first: Keyring,
    signature: string,
    private readonly log: KeyringLog | null,
  ) {
    super(first.currentId, new Map(first.ids().map((id) => [id, first.key(id)!])), first.stableSecret(), 'file');
    this.#signature = signature;
  }

  protected override refresh(): void {
    const now = Date.now();
    if (now - this.#checkedAt < KEY_FILE_RECHECK_MS) return;
    this.#checkedAt = now;
    let signature = 'unreadable';
    try {
      const s = statSync(this.file);
      signature = signatureOf(s);
      if (signature === this.#signature || signature === this.#failed) return;
      checkKeyFile(this.file, s);
      const next = parseKeyringFile(readFileSync(this.file, 'utf8'), this.file);
      const was = this.currentId; // no second check: #checkedAt is now
      this.adopt(next);
      this.#signature = signature;
      this.#failed = null;
      this.log?.info({ keyFile: this.file, currentKeyId: next.currentId, keyIds: next.ids(), previousKeyId: was }, `master key file reloaded: new data is wrapped under key ${next.currentId}`);
    } catch (e) {
      if (signature === this.#failed) return;
      this.#failed = signature;
      const error = e instanceof TingjianError ? e.message : unreadable(this.file, e as NodeJS.ErrnoException).message;
      this.log?.error({ keyFile: this.file, error }, `master key file not reloaded, the keys loaded before stay in use: ${error}`);
    }
  }
}

/** How long `tingjian keys rotate` must wait before it starts: until the key file is KEY_FILE_SETTLE_MS old. */
export async function keyFileSettleWaitMs(file: string, now = Date.now()): Promise<number> {
  const s = await stat(file);
  // ctime too: a file copied in with its old mtime kept (cp -p) is still a change to every server.
  return Math.max(0, Math.ceil(Math.max(s.mtimeMs, s.ctimeMs) + KEY_FILE_SETTLE_MS - now));
}

/** Write a key file atomically (a mode-600 temp file renamed over it): a crash leaves the old one whole. */
export async function writeKeyringFile(file: string, keyring: Keyring): Promise<void> {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(formatKeyringFile(keyring));
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  await rename(tmp, file);
}

/**
 * A 32-byte key for `purpose` (e.g. 'audit-log-hmac') derived with HKDF-SHA256 from the keyring's
 * stable secret — never from the current master key, so it stays the same across rotations and
 * after old master keys are removed. With TINGJIAN_MASTER_KEY the stable secret is that key; a key
 * file keeps its own (`stable`, written by `tingjian keys generate`).
 */
export function deriveKey(keyring: Keyring, purpose: string): Buffer {
  const secret = keyring.stableSecret();
  if (!secret) {
    throw new TingjianError(
      'CONFIG_INVALID',
      `the master key file has no "stable" secret to derive the ${purpose} key from: run \`tingjian keys generate --out <the key file>\` (it adds one, with a new current key) and then \`tingjian keys rotate\``,
    );
  }
  return Buffer.from(hkdfSync('sha256', secret, 'tingjian/derived-key/v1', purpose, 32));
}
