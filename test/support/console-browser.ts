import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT, spawnCli } from './cli.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ChildProcess } from 'node:child_process';

/**
 * The console's browser tests (test/e2e/console-*.test.ts): Debian's chromium driven by
 * playwright-core (never a downloaded browser) against the real server started by the README's
 * demo command, with the demo data. scripts/run-tests.mjs builds dist/console first when stale.
 */
export const CHROMIUM = process.env.TINGJIAN_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_INSTALL = 'sudo apt-get install -y chromium fonts-noto-cjk';

/**
 * describe() options for a browser suite: skipped with the install command when chromium is
 * missing on a user's machine; in CI (CI=true) every tier runs, so a missing browser fails.
 */
export function browserTier(): { skip: string | false } {
  if (existsSync(CHROMIUM)) return { skip: false };
  const message = `chromium is not installed (${CHROMIUM}): ${CHROMIUM_INSTALL}`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI must run every tier)`);
  return { skip: message };
}

export function openBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required'] });
}

export interface ConsolePage {
  page: Page;
  /** Content-Security-Policy violations and uncaught page errors seen so far: tests assert it stays empty. */
  problems: string[];
}

/** A fresh browser context (own cookies) and page at 1280×800 unless told, recording CSP violations and page errors. */
export async function newConsolePage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  return { page, problems };
}

/** Signs in through the login form and waits for the navigation bar. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav').waitFor();
}

/** A screenshot kept as a test artifact: test-artifacts/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(REPO_ROOT, 'test-artifacts/console');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

export interface DemoServer {
  url: string;
  dataDir: string;
  admin: { username: string; password: string };
  /** JSON API calls as the admin (session cookie + CSRF token), for setting up accounts. */
  adminApi: <T>(method: string, apiPath: string, body?: unknown) => Promise<T>;
  close: () => Promise<void>;
}

/**
 * `tingjian demo --port 0` as a child process: the bundled sample calls ingested and inspected,
 * the built console and the API served; the admin password parsed from what it prints.
 */
export async function startDemoServer(): Promise<DemoServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tingjian-console-'));
  const child: ChildProcess = spawnCli(['demo', '--port', '0'], { dataDir, env: { LOG_LEVEL: 'warn' } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const { url, password } = await new Promise<{ url: string; password: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start in 120 s:\n${out}\n${err.slice(-2000)}`)), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const u = /Tingjian API: (https?:\/\/\S+?)\/api\/v1\/calls/.exec(out);
      const p = /password: (\S+)/.exec(out);
      if (u && p) {
        clearTimeout(timer);
        resolve({ url: u[1]!, password: p[1]! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code}:\n${out}\n${err.slice(-2000)}`));
    });
  });
  let cookie = '';
  let csrf = '';
  const adminApi = async <T>(method: string, apiPath: string, body?: unknown): Promise<T> => {
    if (!cookie) {
      const r = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
      if (!r.ok) throw new Error(`admin login: ${r.status} ${await r.text()}`);
      cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
      csrf = ((await r.json()) as { csrfToken: string }).csrfToken;
    }
    const r = await fetch(`${url}${apiPath}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${apiPath}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    url,
    dataDir,
    admin: { username: 'admin', password },
    adminApi,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The browser globals a page function (page.waitForFunction / evaluate) may use. The tests'
 * tsconfig has no DOM types, but such a function runs in the page: cast inside it,
 * `const g = globalThis as unknown as InPage;` (a string predicate is no way out: it needs eval,
 * which the console's CSP refuses).
 */
export interface InPageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
export interface InPage {
  document: { querySelector(selector: string): (InPageElement & { currentTime?: number }) | null; querySelectorAll(selector: string): ArrayLike<InPageElement> };
  performance: { now(): number };
}
