import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { formatKeyringFile, keyIdOf, keyringFromMasterKey, parseKeyringFile, withNewKey } from './keyring-parser.js';
import { deriveKey, loadKeyring, readKeyringFile, writeKeyringFile } from './keyring.js';

const b64 = (n: number) => randomBytes(n).toString('base64');

test('key file: parsed, validated with messages that name the problem and never the key', () => {
  const k1 = b64(32);
  const ring = parseKeyringFile(JSON.stringify({ current: 'k1', keys: { k1, k0: b64(32) } }), 'keys.json');
  assert.equal(ring.currentId, 'k1');
  assert.deepEqual(ring.ids(), ['k1', 'k0']);
  assert.equal(ring.key('k1')!.toString('base64'), k1);
  assert.equal(ring.stableSecret(), null);
  const bad = (doc: unknown, pattern: RegExp) =>
    assert.throws(() => parseKeyringFile(typeof doc === 'string' ? doc : JSON.stringify(doc), 'keys.json'), (e: { code?: string; message: string }) => {
      assert.equal(e.code, 'CONFIG_INVALID');
      assert.match(e.message, pattern);
      assert.ok(!e.message.includes(k1), 'the key is not quoted');
      return true;
    });
  bad({ current: 'k1', keys: { k1: b64(16) } }, /decodes to 16 bytes; a master key is 32 bytes/);
  bad({ current: 'k1', keys: { k1: `${k1.slice(0, 10)}!!${k1.slice(12)}` } }, /not valid base64/);
  bad({ current: 'k9', keys: { k1 } }, /"current" must name one of the keys \(k1\)/);
  bad({ current: 'k1', keys: {} }, /at least one/);
  bad({ current: 'k1', keys: { k1 }, extra: 1 }, /unknown field\(s\) extra/);
  bad(`{ "current": "k1", "keys": { "k1": "${k1}" `, /not valid JSON/);
  bad({ current: 'k1', keys: { [k1]: k1 } }, /the id of key 1 in "keys"/);
});

test('TINGJIAN_MASTER_KEY: one key, its id the first 12 hex of its sha256', () => {
  const key = randomBytes(32);
  const ring = keyringFromMasterKey(key.toString('base64'));
  assert.equal(ring.currentId, keyIdOf(key));
  assert.match(ring.currentId, /^[0-9a-f]{12}$/);
  assert.equal(ring.source, 'env');
  const short = b64(31);
  assert.throws(() => keyringFromMasterKey(short), (e: Error) => /TINGJIAN_MASTER_KEY \(masterKey\) decodes to 31 bytes/.test(e.message) && !e.message.includes(short));
});

test('a keyring never shows key material: JSON (as pino logs it), inspect (console.log)', () => {
  const { keyring, id } = withNewKey(null);
  const secret = keyring.key(id)!.toString('base64');
  for (const shown of [JSON.stringify({ keys: keyring }), inspect(keyring), inspect({ nested: { keyring } })]) {
    assert.ok(!shown.includes(secret), shown);
    assert.ok(shown.includes(id));
  }
});

test('key file I/O: written mode 600 and read back; a group- or world-readable file is refused with chmod 600', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-keys-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'keys.json');
  const { keyring } = withNewKey(null);
  await writeKeyringFile(file, keyring);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.equal(await readFile(file, 'utf8'), formatKeyringFile(keyring));
  const back = await loadKeyring({ masterKeyFile: file });
  assert.equal(back!.currentId, keyring.currentId);
  assert.deepEqual(deriveKey(back!, 'audit'), deriveKey(keyring, 'audit'));
  await chmod(file, 0o640);
  await assert.rejects(readKeyringFile(file), (e: { code?: string; message: string }) => e.code === 'CONFIG_INVALID' && e.message.includes(`chmod 600 ${file}`));
  await assert.rejects(loadKeyring({ masterKeyFile: path.join(dir, 'none.json') }), /keys generate --out/);
  await assert.rejects(loadKeyring({ masterKeyFile: file, masterKey: b64(32) }), /both TINGJIAN_MASTER_KEY_FILE/);
  assert.equal(await loadKeyring({}), null);
});

test('deriveKey: per purpose, unchanged when keys are added and old ones removed; none without a stable secret', () => {
  const first = withNewKey(null).keyring;
  const second = withNewKey(first).keyring;
  const audit = deriveKey(first, 'audit-log-hmac');
  assert.equal(audit.length, 32);
  assert.deepEqual(deriveKey(second, 'audit-log-hmac'), audit);
  assert.notDeepEqual(deriveKey(first, 'other'), audit);
  const text = JSON.parse(formatKeyringFile(second)) as { current: string; keys: Record<string, string>; stable: string };
  const onlyNew = parseKeyringFile(JSON.stringify({ current: text.current, keys: { [text.current]: text.keys[text.current] }, stable: text.stable }), 'k');
  assert.deepEqual(deriveKey(onlyNew, 'audit-log-hmac'), audit);
  assert.notDeepEqual(second.currentId, first.currentId);
  const noStable = parseKeyringFile(JSON.stringify({ current: text.current, keys: text.keys }), 'k');
  assert.throws(() => deriveKey(noStable, 'audit-log-hmac'), /no "stable" secret/);
  // The environment's one key is its own stable secret; a key file made from it keeps it.
  const env = keyringFromMasterKey(b64(32));
  assert.deepEqual(deriveKey(withNewKey(env).keyring, 'audit-log-hmac'), deriveKey(env, 'audit-log-hmac'));
});
