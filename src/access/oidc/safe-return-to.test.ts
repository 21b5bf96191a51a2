import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeReturnTo } from './login-state.js';

/**
 * Review (issue 6): safeReturnTo checks the raw string for a leading `//`, then lets new URL()
 * normalise dot segments — and `/.//evil.example` normalises to the path `//evil.example`,
 * which the OIDC callback sends as `Location: //evil.example/…`: a protocol-relative URL, i.e. an
 * open redirect to another site right after a successful sign-in.
 */
test('safeReturnTo never returns a protocol-relative path (dot segments normalised into //)', () => {
  for (const s of ['/.//evil.example/x', '/..//evil.example', '/a/..//evil.example', '/%2e//evil.example', '/%2e%2e//evil.example']) {
    const out = safeReturnTo(s);
    assert.ok(!out.startsWith('//'), `${s} → ${out}: a browser reads this Location as https://evil.example/…`);
  }
});
