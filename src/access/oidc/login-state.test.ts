import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loginStateKey, openLoginState, safeReturnTo, sealLoginState, type LoginState } from './login-state.js';

const state: LoginState = { codeVerifier: 'v'.repeat(43), state: 'state-of-login-1', nonce: 'n1', returnTo: '/calls/c1', expiresAt: 10_000 };

test('a sealed login state opens with the same key before it expires, and only then', () => {
  const key = loginStateKey('client-secret');
  const sealed = sealLoginState(state, key);
  // (A value long enough not to occur in random ciphertext by chance: 's1' did, now and then.)
  assert.ok(!sealed.includes('state-of-login-1') && !Buffer.from(sealed, 'base64url').toString('latin1').includes('vvvv'), 'the cookie does not show what it holds');
  assert.deepEqual(openLoginState(sealed, key, 9_999), state);
  assert.equal(openLoginState(sealed, key, 10_000), null, 'expired');
  assert.deepEqual(openLoginState(sealed, loginStateKey('client-secret'), 0), state, 'another process with the same secret opens it');
  assert.equal(openLoginState(sealed, loginStateKey('other-secret'), 0), null);
  assert.equal(openLoginState(sealed, loginStateKey(null), 0), null);
});

test('an altered, truncated or foreign cookie does not open', () => {
  const key = loginStateKey('client-secret');
  const raw = Buffer.from(sealLoginState(state, key), 'base64url');
  for (let i = 0; i < raw.length; i += 7) {
    const bad = Buffer.from(raw);
    bad[i] = bad[i]! ^ 1;
    assert.equal(openLoginState(bad.toString('base64url'), key, 0), null, `byte ${i} flipped`);
  }
  for (const s of [null, '', 'abc', raw.subarray(0, 20).toString('base64url'), 'x'.repeat(5000)]) assert.equal(openLoginState(s, key, 0), null);
});

test('returnTo: same-origin paths only, no open redirects', () => {
  assert.equal(safeReturnTo('/calls/c1?tab=rules#s3'), '/calls/c1?tab=rules#s3');
  assert.equal(safeReturnTo('/'), '/');
  for (const bad of [undefined, null, '', 'calls', 'https://evil.example/', '//evil.example/x', '/\\evil.example', '\\\\evil.example', '/\t/evil.example', '/x\ny', 'javascript:alert(1)', `/${'a'.repeat(600)}`]) {
    assert.equal(safeReturnTo(bad), '/', String(bad));
  }
  // Dot segments are resolved, not a way out.
  assert.equal(safeReturnTo('/../../etc'), '/etc');
});
