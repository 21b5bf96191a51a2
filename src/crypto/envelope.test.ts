import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decryptField, encryptField, formatWrapped, isEncryptedField, newDataKey, parseWrapped, unwrapDataKey, wrapDataKey } from './envelope.js';
import { withNewKey } from './keyring-parser.js';

test('a data key wrapped under the current master key unwraps to itself, through its stored form', () => {
  const { keyring } = withNewKey(null);
  const dataKey = newDataKey();
  const stored = formatWrapped(wrapDataKey(keyring, dataKey, 'call-1'));
  assert.match(stored, new RegExp(`^v1:${keyring.currentId}:`));
  assert.deepEqual(unwrapDataKey(keyring, parseWrapped(stored, 'call-1'), 'call-1'), dataKey);
});

test('wrong master key, another object, an altered wrapping: INTEGRITY_MISMATCH; an unknown key id: CONFIG_INVALID', () => {
  const { keyring } = withNewKey(null);
  const wrapped = wrapDataKey(keyring, newDataKey(), 'call-1');
  // Another key under the same id (a mixed-up key file).
  const impostor = { currentId: keyring.currentId, key: () => newDataKey(), ids: () => [keyring.currentId] };
  assert.throws(() => unwrapDataKey(impostor, wrapped, 'call-1'), { code: 'INTEGRITY_MISMATCH' });
  assert.throws(() => unwrapDataKey(keyring, wrapped, 'call-2'), { code: 'INTEGRITY_MISMATCH' });
  const altered = { ...wrapped, ciphertext: Buffer.from(wrapped.ciphertext) };
  altered.ciphertext[0] = altered.ciphertext[0]! ^ 1;
  assert.throws(() => unwrapDataKey(keyring, altered, 'call-1'), { code: 'INTEGRITY_MISMATCH' });
  const other = withNewKey(null).keyring;
  assert.throws(() => unwrapDataKey(other, wrapped, 'call-1'), (e: { code?: string; message: string }) => {
    assert.equal(e.code, 'CONFIG_INVALID');
    assert.ok(e.message.includes(keyring.currentId) && e.message.includes('keys rotate'), e.message);
    return true;
  });
  assert.throws(() => parseWrapped('v1:abc:short', 'call-1'), { code: 'INTEGRITY_MISMATCH' });
});

test('after a new key is added, old wrappings still unwrap and new ones use the new key', () => {
  const first = withNewKey(null).keyring;
  const dataKey = newDataKey();
  const old = wrapDataKey(first, dataKey, 'call-1');
  const second = withNewKey(first).keyring;
  assert.notEqual(second.currentId, first.currentId);
  assert.deepEqual(unwrapDataKey(second, old, 'call-1'), dataKey);
  assert.equal(wrapDataKey(second, dataKey, 'call-1').keyId, second.currentId);
});

test('fields: enc1: round trip with Chinese text; bound to their context; tampering detected', () => {
  const key = newDataKey();
  const text = '您好，我的手机号是13812345678，快递还没到。';
  const sealed = encryptField(key, text, 'call-1/segment/0/text');
  assert.ok(isEncryptedField(sealed));
  assert.ok(!sealed.includes('138'));
  assert.notEqual(encryptField(key, text, 'call-1/segment/0/text'), sealed, 'a fresh IV each time');
  assert.equal(decryptField(key, sealed, 'call-1/segment/0/text'), text);
  assert.throws(() => decryptField(key, sealed, 'call-1/segment/1/text'), { code: 'INTEGRITY_MISMATCH' });
  assert.throws(() => decryptField(newDataKey(), sealed, 'call-1/segment/0/text'), { code: 'INTEGRITY_MISMATCH' });
  const raw = Buffer.from(sealed.slice(5), 'base64');
  raw[14] = raw[14]! ^ 1;
  assert.throws(() => decryptField(key, `enc1:${raw.toString('base64')}`, 'call-1/segment/0/text'), { code: 'INTEGRITY_MISMATCH' });
  assert.equal(decryptField(key, encryptField(key, '', 'c'), 'c'), '');
});
