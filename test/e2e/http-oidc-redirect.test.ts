import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startHttpServer } from '../support/http-harness.js';
import { IDP_CLIENT, startIdp, TestBrowser } from '../support/oidc-idp.js';

/**
 * Review (issue 6), end to end: a returnTo of `/.//evil.example/phish` passes safeReturnTo's
 * raw-string checks and is normalised by new URL() into `//evil.example/phish`; after a real
 * sign-in the callback answers `Location: //evil.example/phish` — another site. Fails while the
 * open redirect exists.
 */
const CALLBACK = '/api/v1/auth/oidc/callback';
const PUBLIC = 'http://qa-review.tingjian.test';
const idp = await startIdp({ redirectUris: [`${PUBLIC}${CALLBACK}`], users: { 'sub-rv': { preferred_username: 'rv.user', groups: ['/qa/inspectors'] } } });
const api = await startHttpServer({
  oidcIssuer: idp.issuer,
  oidcClientId: IDP_CLIENT.clientId,
  oidcClientSecret: IDP_CLIENT.clientSecret,
  oidcRedirectUrl: `${PUBLIC}${CALLBACK}`,
  loginRateLimitPerMinute: 0,
});
after(async () => {
  await api.close();
  await idp.close();
});
await api.app.accounts.createAccount({ username: 'rv.user', role: 'inspector', businessLines: ['电商'] });

test('after single sign-on the browser never lands on another site (returnTo=/.//evil.example/phish)', async () => {
  const browser = new TestBrowser({ [PUBLIC]: api.base });
  const start = await browser.go(`${PUBLIC}/api/v1/auth/oidc/login?returnTo=${encodeURIComponent('/.//evil.example/phish')}`);
  assert.equal(start.status, 302);
  const callback = await browser.signInAtIdp(start.headers.get('location')!, 'sub-rv', `${PUBLIC}${CALLBACK}`);
  const res = await browser.go(callback);
  assert.equal(res.status, 302, await res.text());
  const location = res.headers.get('location')!;
  assert.equal(new URL(location, PUBLIC).origin, PUBLIC, `Location: ${location} sends the freshly signed-in user to another site`);
});
