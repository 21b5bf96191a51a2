import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { AuditEntry } from '../../src/audit/audit-chain.js';
import { buildServer } from '../../src/http/build-server.js';
import { testApp } from '../support/factories.js';
import { json, startHttpServer, type ErrorBody } from '../support/http-harness.js';
import { IDP_CLIENT, startIdp, TestBrowser } from '../support/oidc-idp.js';

/**
 * Single sign-on against a real OpenID provider (oidc-provider on 127.0.0.1), driven like a
 * browser: Tingjian's login route → the IdP's sign-in and consent pages → the callback → a
 * tj_session cookie. Two Tingjian servers share the IdP: one signs in existing accounts only,
 * the other creates accounts from the role claim. Each sits behind a public origin (as behind a
 * reverse proxy) that the test browser maps to the listening port.
 */
const CALLBACK = '/api/v1/auth/oidc/callback';
const PUBLIC_A = 'http://qa-a.tingjian.test';
const PUBLIC_B = 'http://qa-b.tingjian.test';
const idp = await startIdp({
  redirectUris: [`${PUBLIC_A}${CALLBACK}`, `${PUBLIC_B}${CALLBACK}`],
  users: {
    'sub-zhang': { preferred_username: 'zhang.san', name: '张三', groups: ['/qa/inspectors'] },
    'sub-li': { preferred_username: 'li.si', name: '李四', groups: ['/sales', '/qa/managers'] },
    'sub-wang': { preferred_username: 'wang.wu', groups: ['/sales'] },
    'sub-zhao': { preferred_username: 'zhao.liu', groups: ['/qa/inspectors'] },
  },
});
const sso = (publicOrigin: string, autoCreate: boolean) => ({
  oidcIssuer: idp.issuer,
  oidcClientId: IDP_CLIENT.clientId,
  oidcClientSecret: IDP_CLIENT.clientSecret,
  oidcRedirectUrl: `${publicOrigin}${CALLBACK}`,
  oidcRoleClaim: 'groups',
  oidcRoleMap: { '/qa/managers': 'qa_manager', '/qa/inspectors': 'inspector' },
  oidcAutoCreate: autoCreate,
  // Many sign-ins from one address in a few seconds.
  loginRateLimitPerMinute: 0,
});
const a = await startHttpServer(sso(PUBLIC_A, false));
const b = await startHttpServer(sso(PUBLIC_B, true));
after(async () => {
  await a.close();
  await b.close();
  await idp.close();
});

const zhang = await a.app.accounts.createAccount({ username: 'zhang.san', role: 'inspector', businessLines: ['电商'], password: 'zhang-san-password-1' });
const zhao = await a.app.accounts.createAccount({ username: 'zhao.liu', role: 'agent' });
await a.app.accounts.updateAccount(zhao.id, { disabled: true });

/** Every authorization code the IdP handed out: none may reach the audit log. */
const codesSeen = new Set<string>();
const browserFor = (publicOrigin: string, base: string) => new TestBrowser({ [publicOrigin]: base });

/** GET …/oidc/login in `browser`, then the IdP's pages as `sub`: the callback URL the IdP sends the browser to. */
async function throughIdp(browser: TestBrowser, publicOrigin: string, sub: string, returnTo?: string): Promise<string> {
  const start = await browser.go(`${publicOrigin}/api/v1/auth/oidc/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`);
  assert.equal(start.status, 302, await start.text());
  const location = start.headers.get('location')!;
  assert.ok(location.startsWith(`${idp.issuer}/`), location);
  const callback = await browser.signInAtIdp(location, sub, `${publicOrigin}${CALLBACK}`);
  codesSeen.add(new URL(callback).searchParams.get('code')!);
  return callback;
}

async function me(browser: TestBrowser, publicOrigin: string) {
  const res = await browser.go(`${publicOrigin}/api/v1/auth/me`);
  return { status: res.status, body: await json<{ user: { id: string; username: string; role: string; oidcSubject: string | null }; via: string }>(res) };
}

const oidcAudit = async (app: typeof a.app): Promise<AuditEntry[]> => (await app.audit.search({ action: 'auth.oidc_login' }, { limit: 50 })).items;
const detailsOf = (e: AuditEntry) => JSON.parse(e.details) as Record<string, unknown>;

describe('single sign-on, the whole code flow', () => {
  test('GET /api/v1/auth/oidc tells the console SSO is on', async () => {
    const res = await fetch(`${a.base}/api/v1/auth/oidc`);
    assert.deepEqual(await res.json(), { enabled: true, buttonLabel: '企业账号登录 (SSO)', loginUrl: '/api/v1/auth/oidc/login' });
  });

  test('the login redirect asks for a code with PKCE S256, state and nonce, and keeps them in a sealed Lax cookie', async () => {
    const browser = browserFor(PUBLIC_A, a.base);
    const res = await browser.go(`${PUBLIC_A}/api/v1/auth/oidc/login`);
    const to = new URL(res.headers.get('location')!);
    const p = Object.fromEntries(to.searchParams);
    assert.equal(p.response_type, 'code');
    assert.equal(p.client_id, IDP_CLIENT.clientId);
    assert.equal(p.redirect_uri, `${PUBLIC_A}${CALLBACK}`);
    assert.equal(p.code_challenge_method, 'S256');
    assert.match(p.code_challenge!, /^[\w-]{43}$/);
    assert.ok(p.state && p.nonce && p.scope === 'openid profile email');
    const setCookie = res.headers.get('set-cookie')!;
    assert.match(setCookie, /^tj_oidc=[\w-]+; Path=\/api\/v1\/auth\/oidc; HttpOnly; SameSite=Lax; Max-Age=600$/);
    assert.ok(!setCookie.includes(p.state) && !setCookie.includes(p.nonce), 'the state cookie does not show what it holds');
  });

  test('an existing account signs in by user name: the subject is linked, the session cookie reads /auth/me, the browser lands on returnTo', async () => {
    const browser = browserFor(PUBLIC_A, a.base);
    const callback = await throughIdp(browser, PUBLIC_A, 'sub-zhang', '/calls?agent=A1');
    const res = await browser.go(callback);
    assert.equal(res.status, 302, await res.text());
    assert.equal(res.headers.get('location'), '/calls?agent=A1');
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('tj_session='))!;
    assert.match(session, /HttpOnly/);
    assert.match(session, /SameSite=Strict/);
    assert.ok(cookies.some((c) => /^tj_oidc=; .*Max-Age=0/.test(c)), 'the login state is cleared');
    assert.equal(browser.cookie(a.base, 'tj_oidc'), undefined);
    const who = await me(browser, PUBLIC_A);
    assert.equal(who.status, 200);
    assert.deepEqual([who.body.user.id, who.body.user.username, who.body.user.role, who.body.via, who.body.user.oidcSubject], [zhang.id, 'zhang.san', 'inspector', 'session', 'sub-zhang']);

    // The next sign-in finds the account by its subject.
    const again = browserFor(PUBLIC_A, a.base);
    const second = await again.go(await throughIdp(again, PUBLIC_A, 'sub-zhang'));
    assert.equal(second.headers.get('location'), '/');
    assert.equal((await me(again, PUBLIC_A)).body.user.id, zhang.id);
    const entries = (await oidcAudit(a.app)).filter((e) => e.actorUserId === zhang.id && e.outcome === 'allowed');
    assert.ok(entries.some((e) => detailsOf(e).linked === true && e.targetId === zhang.id && e.actorUsername === 'zhang.san'));
  });

  test('returnTo that leaves the site lands on / instead (no open redirect)', async () => {
    const browser = browserFor(PUBLIC_A, a.base);
    const res = await browser.go(await throughIdp(browser, PUBLIC_A, 'sub-zhang', '//evil.example/phish'));
    assert.equal(res.headers.get('location'), '/');
  });
});

describe('single sign-on refusals', () => {
  test('a callback whose state is not the one this browser started with is refused', async () => {
    const browser = browserFor(PUBLIC_A, a.base);
    const callback = await throughIdp(browser, PUBLIC_A, 'sub-zhang');
    // A second sign-in started in the same browser replaces the login state: the first callback no longer matches.
    await browser.go(`${PUBLIC_A}/api/v1/auth/oidc/login`);
    const res = await browser.go(callback);
    assert.equal(res.status, 401);
    const body = await json<ErrorBody & { error: { details: { reason: string } } }>(res);
    assert.equal(body.error.details.reason, 'invalid-response');
    assert.match(body.error.message, /security check/);
    assert.equal(browser.cookie(a.base, 'tj_session'), undefined);

    // A forged state parameter, and a callback without any login state cookie.
    const other = browserFor(PUBLIC_A, a.base);
    const cb = new URL(await throughIdp(other, PUBLIC_A, 'sub-zhang'));
    cb.searchParams.set('state', 'forged-state');
    assert.equal((await other.go(cb.href)).status, 401);
    const cold = browserFor(PUBLIC_A, a.base);
    const noState = await cold.go(callback);
    assert.equal(noState.status, 401);
    assert.equal((await json<{ error: { details: { reason: string } } }>(noState)).error.details.reason, 'no-login-state');
  });

  test('a replayed callback (same code, same login state cookie) is refused by the IdP', async () => {
    const browser = browserFor(PUBLIC_A, a.base);
    const callback = await throughIdp(browser, PUBLIC_A, 'sub-zhang');
    const sealed = browser.cookie(a.base, 'tj_oidc')!;
    assert.equal((await browser.go(callback)).status, 302);
    const attacker = browserFor(PUBLIC_A, a.base);
    attacker.setCookie(a.base, 'tj_oidc', sealed);
    const replay = await attacker.go(callback);
    assert.equal(replay.status, 401);
    const body = await json<{ error: { details: { reason: string } } }>(replay);
    assert.equal(body.error.details.reason, 'token-refused');
    assert.equal(attacker.cookie(a.base, 'tj_session'), undefined);
  });

  test('an unknown user is refused while auto-create is off', async () => {
    const browser = browserFor(PUBLIC_A, a.base);
    const res = await browser.go(await throughIdp(browser, PUBLIC_A, 'sub-li'));
    assert.equal(res.status, 401);
    assert.match((await json<ErrorBody>(res)).error.message, /no Tingjian account li\.si/);
    assert.equal(await a.app.db.repos.accounts.findByUsername('li.si'), null);
  });

  test('with auto-create on, an unknown user gets an account with the mapped role; one whose groups map to no role is refused', async () => {
    const browser = browserFor(PUBLIC_B, b.base);
    const res = await browser.go(await throughIdp(browser, PUBLIC_B, 'sub-li'));
    assert.equal(res.status, 302, await res.text());
    const who = await me(browser, PUBLIC_B);
    assert.deepEqual([who.body.user.username, who.body.user.role, who.body.user.oidcSubject], ['li.si', 'qa_manager', 'sub-li']);
    const created = (await b.app.accounts.get(who.body.user.id))!;
    assert.equal(created.displayName, '李四');
    assert.equal(created.passwordHash, null, 'an SSO account has no password');

    const sales = browserFor(PUBLIC_B, b.base);
    const refused = await sales.go(await throughIdp(sales, PUBLIC_B, 'sub-wang'));
    assert.equal(refused.status, 401);
    assert.equal((await json<{ error: { details: { reason: string } } }>(refused)).error.details.reason, 'no-role');
    assert.equal(await b.app.db.repos.accounts.findByUsername('wang.wu'), null);
    const entries = await oidcAudit(b.app);
    assert.ok(entries.some((e) => e.outcome === 'allowed' && e.actorUsername === 'li.si' && detailsOf(e).created === true && detailsOf(e).role === 'qa_manager'));
    assert.ok(entries.some((e) => e.outcome === 'denied' && e.actorUsername === 'wang.wu' && detailsOf(e).reason === 'no-role'));
  });

  test('a disabled account is refused, and disabling ends an SSO session', async () => {
    const browser = browserFor(PUBLIC_A, a.base);
    const res = await browser.go(await throughIdp(browser, PUBLIC_A, 'sub-zhao'));
    assert.equal(res.status, 401);
    assert.match((await json<ErrorBody>(res)).error.message, /disabled/);

    const signedIn = browserFor(PUBLIC_A, a.base);
    await signedIn.go(await throughIdp(signedIn, PUBLIC_A, 'sub-zhang'));
    assert.equal((await me(signedIn, PUBLIC_A)).status, 200);
    await a.app.accounts.updateAccount(zhang.id, { disabled: true });
    assert.equal((await me(signedIn, PUBLIC_A)).status, 401);
    await a.app.accounts.updateAccount(zhang.id, { disabled: false });
  });

  test('every sign-in, allowed or refused, is in the audit log with its reason — never the code or a token', async () => {
    const entries = await oidcAudit(a.app);
    const reasons = new Set(entries.filter((e) => e.outcome === 'denied').map((e) => detailsOf(e).reason));
    for (const r of ['invalid-response', 'no-login-state', 'token-refused', 'unknown-user', 'disabled']) assert.ok(reasons.has(r), `${r} in ${[...reasons].join(', ')}`);
    assert.ok(entries.some((e) => e.outcome === 'allowed'));
    const disabled = entries.find((e) => detailsOf(e).reason === 'disabled')!;
    assert.deepEqual([disabled.actorUserId, disabled.actorUsername, disabled.targetType], [zhao.id, 'zhao.liu', 'user']);
    assert.ok(codesSeen.size >= 8);
    for (const e of [...entries, ...(await oidcAudit(b.app))]) {
      for (const code of codesSeen) assert.ok(!e.details.includes(code), e.details);
      assert.ok(!/access_token|id_token|refresh_token|secret/i.test(e.details), e.details);
      assert.equal(detailsOf(e).status, e.outcome === 'allowed' ? 302 : 401);
    }
  });
});

describe('single sign-on off or unreachable', () => {
  test('without an issuer the routes exist and answer 404 NOT_FOUND', async () => {
    const app = await testApp();
    const server = await buildServer(app);
    try {
      const info = await server.inject({ url: '/api/v1/auth/oidc' });
      assert.deepEqual(info.json(), { enabled: false, buttonLabel: null, loginUrl: null });
      for (const url of ['/api/v1/auth/oidc/login', `${CALLBACK}?code=x&state=y`]) {
        const res = await server.inject({ url });
        assert.equal(res.statusCode, 404);
        assert.match((res.json() as ErrorBody).error.message, /single sign-on is not configured/);
      }
    } finally {
      await server.close();
      await app.close();
    }
  });

  test('an IdP that cannot be reached is 503 DEPENDENCY_MISSING naming it', async () => {
    const down = await startIdp({ users: {}, redirectUris: [`${PUBLIC_A}${CALLBACK}`] });
    await down.close();
    const app = await testApp({ config: { ...sso(PUBLIC_A, false), oidcIssuer: down.issuer } });
    const server = await buildServer(app);
    try {
      const res = await server.inject({ url: '/api/v1/auth/oidc/login' });
      assert.equal(res.statusCode, 503);
      const body = res.json() as ErrorBody;
      assert.equal(body.error.code, 'DEPENDENCY_MISSING');
      assert.ok(body.error.message.includes(down.issuer), body.error.message);
    } finally {
      await server.close();
      await app.close();
    }
  });
});
