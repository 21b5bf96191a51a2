import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { consoleFolder } from '../../src/http/console/console-files.js';
import { browserTier, newConsolePage, openBrowser, screenshot, signIn, startDemoServer, type DemoServer } from '../support/console-browser.js';

const AGENT = { username: 'shell.agent', password: 'Shell-Agent-2025!' };

describe('console: the shell (sign-in, navigation, language, CSP)', browserTier(), () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([startDemoServer(), openBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a wrong password is refused in place; the right one signs in, in Chinese, with no CSP violation', async () => {
    const { page, problems } = await newConsolePage(browser);
    await page.goto(`${server.url}/calls`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    assert.equal((await page.getByTestId('login-error').innerText()).trim(), '用户名或密码错误', "the server's reason in the user's language");
    await page.getByTestId('login-password').fill(server.admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav').waitFor();
    assert.match(await page.getByTestId('nav').innerText(), /通话/);
    assert.equal(new URL(page.url()).pathname, '/calls', 'lands on the page asked for before signing in');
    await screenshot(page, 'shell-signed-in');
    await page.getByTestId('switch-language').click();
    await page.getByText('Calls', { exact: true }).first().waitFor();
    assert.match(await page.getByTestId('current-user').innerText(), /· Administrator$/, 'the role in English, not its code');
    // English counts take their plural form: "1 call", not "1 calls".
    const latest = await server.adminApi<{ items: Array<{ startedAt: string }>; total: number }>('GET', '/api/v1/calls?limit=1');
    await page.getByTestId('calls-total').filter({ hasText: new RegExp(`^${latest.total} calls$`) }).waitFor();
    const at = Date.parse(latest.items[0]!.startedAt);
    const single = await server.adminApi<{ total: number }>('GET', `/api/v1/calls?from=${at}&to=${at + 1}`);
    assert.equal(single.total, 1);
    await page.goto(`${server.url}/calls?from=${at}&to=${at + 1}`);
    await page.getByTestId('calls-total').filter({ hasText: /^1 call$/ }).waitFor();
    assert.deepEqual(problems, []);
  });

  test('a session that ends mid-work signs in again onto the same page; signing out starts afresh for the next user', async () => {
    await server.adminApi('POST', '/api/v1/users', { ...AGENT, role: 'agent', agentId: 'A1001' });
    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, server.admin.username, server.admin.password, '/calls?businessLine=金融');
    await page.getByTestId('calls-total').waitFor();
    await page.context().clearCookies(); // the session is gone (expired, signed out elsewhere)
    await page.getByTestId('filter-fatal').click(); // the next request answers 401
    await page.getByTestId('login-username').waitFor();
    await page.getByTestId('login-username').fill(server.admin.username);
    await page.getByTestId('login-password').fill(server.admin.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => u.pathname === '/calls' && u.searchParams.get('businessLine') === '金融' && u.searchParams.get('fatal') === 'true');

    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').fill(AGENT.username);
    await page.getByTestId('login-password').fill(AGENT.password);
    await page.getByTestId('login-submit').click();
    // Not the admin's filtered calls list: the agent's own start page.
    await page.waitForURL((u) => u.pathname === '/agents/A1001');
    assert.deepEqual(problems, []);
  });

  test('a server that does not answer shows an error with a retry in the chosen language, not the login form', async () => {
    const { page, problems } = await newConsolePage(browser);
    await signIn(page, server.url, server.admin.username, server.admin.password, '/calls');
    await page.route('**/api/v1/**', (r) => r.abort('connectionrefused'));
    await page.reload();
    await page.getByTestId('error').waitFor();
    assert.match(await page.getByTestId('error').innerText(), /无法连接服务器/);
    assert.doesNotMatch(await page.getByTestId('error').innerText(), /Failed to fetch/);
    assert.equal(await page.getByTestId('login-username').count(), 0, 'still signed in: no login form');
    await page.unroute('**/api/v1/**');
    await page.getByTestId('error').getByRole('button').click();
    await page.getByTestId('calls-total').waitFor();
    assert.deepEqual(problems, []);
  });

  test('deep links and reloads serve the console; unknown API paths stay JSON 404s', async () => {
    const page = await fetch(`${server.url}/calls/does-not-exist`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce, csp);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(await page.text(), new RegExp(`<meta name="csp-nonce" content="${nonce!.replace(/[+/=]/g, '\\$&')}" />`));
    const again = await fetch(`${server.url}/`, { headers: { accept: 'text/html' } });
    assert.notEqual(/'nonce-([^']+)'/.exec(again.headers.get('content-security-policy') ?? '')?.[1], nonce, 'a fresh nonce per page');
    const api = await fetch(`${server.url}/api/v1/nope`, { headers: { accept: 'text/html' } });
    assert.equal(api.status, 404);
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
    const asset = await fetch(`${server.url}/assets/../../package.json`);
    assert.equal(asset.status, 404, 'no path out of dist/console');
  });

  test('the browser gets the assets brotli-compressed (the build wrote the copies), byte for byte the built files', async () => {
    const { page, problems } = await newConsolePage(browser);
    const assets: Array<{ url: string; encoding: string | undefined; length: number }> = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/assets/')) void r.body().then((b) => assets.push({ url: r.url(), encoding: r.headers()['content-encoding'], length: b.length }), () => undefined);
    });
    await signIn(page, server.url, server.admin.username, server.admin.password, '/calls');
    await page.getByTestId('calls-total').waitFor();
    const css = assets.find((a) => a.url.endsWith('.css') && a.length > 100_000);
    assert.ok(css, JSON.stringify(assets));
    assert.equal(css.encoding, 'br');
    const consoleDist = consoleFolder()!;
    const built = readFileSync(path.join(consoleDist, new URL(css.url).pathname));
    assert.equal(css.length, built.length, 'decoded by the browser into the built file');
    assert.ok(statSync(path.join(consoleDist, `${new URL(css.url).pathname}.br`)).size < built.length / 5, 'and sent in a fifth of its size or less');
    assert.deepEqual(problems, []);
  });
});
