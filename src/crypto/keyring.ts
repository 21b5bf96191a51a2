import { hkdfSync } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { TingjianError } from '../domain/errors.js';
import { formatKeyringFile, keyringFromMasterKey, parseKeyringFile, type Keyring } from './keyring-parser.js';

export { Keyring, keyIdOf } from './keyring-parser.js';

/**
 * Where the master keys come from: the key file (config masterKeyFile, TINGJIAN_MASTER_KEY_FILE)
 * or one key in the environment (masterKey, TINGJIAN_MASTER_KEY). Null when neither is set:
 * encryption at rest is off. Rotation needs the key file (the environment holds one key).
 */
export async function loadKeyring(config: { masterKeyFile?: string | undefined; masterKey?: string | undefined }): Promise<Keyring | null> {
  if (config.masterKeyFile && config.masterKey) {
    throw new TingjianError('CONFIG_INVALID', 'both TINGJIAN_MASTER_KEY_FILE (masterKeyFile) and TINGJIAN_MASTER_KEY (masterKey) are set: keep one (the key file, to rotate keys)');
  }
  if (config.masterKeyFile) return readKeyringFile(config.masterKeyFile);
  if (config.masterKey) return keyringFromMasterKey(config.masterKey);
  return null;
}

/**
 * Read and parse a key file. Refused when group or others may read it (anyone who reads it reads
 * every recording); the error says how to fix it.
 */
export async function readKeyringFile(file: string): Promise<Keyring> {
  const s = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw new TingjianError('CONFIG_INVALID', `cannot read the master key file ${file} (TINGJIAN_MASTER_KEY_FILE): ${e.code ?? e.message}; create one with \`tingjian keys generate --out ${file}\``);
  });
  if (!s.isFile()) throw new TingjianError('CONFIG_INVALID', `the master key file ${file} (TINGJIAN_MASTER_KEY_FILE) is not a file`);
  if (process.platform !== 'win32' && (s.mode & 0o077) !== 0) {
    throw new TingjianError(
      'CONFIG_INVALID',
      `the master key file ${file} may be read by group or others (mode ${(s.mode & 0o777).toString(8)}): run \`chmod 600 ${file}\` so only its owner can read it`,
    );
  }
  return parseKeyringFile(await readFile(file, 'utf8'), file);
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
