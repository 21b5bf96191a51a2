import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { runCli, spawnCli } from '../support/cli.js';
import { tempDir } from '../support/factories.js';

/**
 * A real `tingjian serve` at LOG_LEVEL=trace, its stdout and stderr in a log file as an operator
 * would keep them; requests carry secrets in every place a client puts one; then the whole log is
 * searched for each secret. Adding a secret is one line: an entry in SECRETS, and either a
 * request in REQUESTS or, for a secret the server is configured with, an entry in SECRET_ENV.
 */
const SECRETS = {
  bearer: 'tj-bearer-7f3a9c1e5b',
  cookie: 'tj-cookie-2d8e6a4f0c',
  apiKey: 'tj-apikey-91b7c3e5d2',
  password: 'tj-password-5e1f9a7b3c',
  queryToken: 'tj-querytoken-c4a8e2f6b0',
  oidcCode: 'tj-oidccode-0b6d2f8a4e',
  brokenJsonPassword: 'tj-brokenjson-3c7e1a5f9d',
} as const;

/** Environment variables holding secrets the server process is started with (master key, OIDC client secret …). */
const SECRET_ENV: Record<string, string> = { TINGJIAN_MASTER_KEY: randomBytes(32).toString('base64') };

/** Secrets made during the run: the first admin's password, API tokens, session cookie, CSRF token, a new user's password. */
const made: Record<string, string> = {};

type Request = (base: string) => Promise<Response>;
const json = (body: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });
const REQUESTS: Request[] = [
  (base) => fetch(`${base}/api/v1/health`, { headers: { authorization: `Bearer ${SECRETS.bearer}` } }),
  (base) => fetch(`${base}/api/v1/calls`, { headers: { cookie: `tingjian_session=${SECRETS.cookie}; other=1`, 'x-api-key': SECRETS.apiKey } }),
  (base) => fetch(`${base}/api/v1/auth/login`, json(JSON.stringify({ username: 'admin', password: SECRETS.password }))),
  (base) => fetch(`${base}/api/v1/calls`, json(JSON.stringify({ password: SECRETS.password, segments: [] }))),
  (base) => fetch(`${base}/api/v1/calls/no-such-call/audio?token=${SECRETS.queryToken}&download=1`),
  (base) => fetch(`${base}/api/v1/health?token=${SECRETS.queryToken}`),
  (base) => fetch(`${base}/api/v1/auth/oidc/callback?code=${SECRETS.oidcCode}&state=s`),
  (base) => fetch(`${base}/api/v1/calls`, json(`{"password": ${SECRETS.brokenJsonPassword}`)),
];

const tmp = tempDir();
const logFile = path.join(tmp.dir, 'tingjian.log');
const fd = openSync(logFile, 'w');
const dataDir = path.join(tmp.dir, 'data');
// A full run as an operator does it: init (prints the first admin's password on stdout, for the
// operator — not into the log), an API token made on the command line, then the server. The
// commands' own logs go to the same log file.
const cliOpts = { dataDir, env: { LOG_LEVEL: 'trace', ...SECRET_ENV } };
const init = await runCli(['init'], cliOpts);
appendFileSync(logFile, init.stderr);
made.adminPassword = /password: (\S+)/.exec(init.stdout)?.[1] ?? assert.fail(`init printed no password:\n${init.stdout}`);
const token = await runCli(['tokens', 'create', 'admin', '--name', 'log test'], cliOpts);
appendFileSync(logFile, token.stderr);
made.cliToken = token.stdout.trim();
const server = spawnCli(['serve', '--port', '0'], { dataDir, env: { LOG_LEVEL: 'trace', TINGJIAN_SERVICES: 'api', ...SECRET_ENV }, outputFd: fd });
after(() => {
  server.kill('SIGKILL');
  closeSync(fd);
  tmp.cleanup();
});

async function address(): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /API on (https?:\/\/\S+)/.exec(readFileSync(logFile, 'utf8'));
    if (m) return m[1]!;
    if (server.exitCode !== null) assert.fail(`tingjian serve exited (${server.exitCode}):\n${readFileSync(logFile, 'utf8')}`);
    if (Date.now() > deadline) assert.fail(`tingjian serve did not start:\n${readFileSync(logFile, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The real thing: sign in, use the session and its CSRF token, a bearer token, create a user and a token, store an encrypted call. */
async function fullRun(base: string): Promise<number> {
  const bearer = { authorization: `Bearer ${made.cliToken}` };
  const login = await fetch(`${base}/api/v1/auth/login`, json(JSON.stringify({ username: 'admin', password: made.adminPassword })));
  assert.equal(login.status, 200, await login.clone().text());
  made.sessionCookie = login.headers.get('set-cookie')!.split(';')[0]!.split('=')[1]!;
  made.csrfToken = ((await login.json()) as { csrfToken: string }).csrfToken;
  const session = { cookie: `tj_session=${made.sessionCookie}`, 'x-csrf-token': made.csrfToken, 'content-type': 'application/json' };
  made.newUserPassword = 'Qz8-new-user-password-' + randomBytes(4).toString('hex');
  const user = await fetch(`${base}/api/v1/users`, { method: 'POST', headers: session, body: JSON.stringify({ username: 'integrator', role: 'integration', password: made.newUserPassword }) });
  assert.equal(user.status, 201, await user.clone().text());
  const { id } = (await user.json()) as { id: string };
  const tok = await fetch(`${base}/api/v1/users/${id}/tokens`, { method: 'POST', headers: session, body: JSON.stringify({ name: 'pbx' }) });
  assert.equal(tok.status, 201);
  made.apiToken = ((await tok.json()) as { token: string }).token;
  const wrong = await fetch(`${base}/api/v1/auth/login`, json(JSON.stringify({ username: 'integrator', password: made.newUserPassword + 'x' })));
  assert.equal(wrong.status, 401);
  const call = await fetch(`${base}/api/v1/calls`, { method: 'POST', headers: { authorization: `Bearer ${made.apiToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'chat', segments: [{ speaker: 'customer', startMs: 0, endMs: 1000, text: '我的手机号是13812345678' }] }) });
  assert.equal(call.status, 201, await call.clone().text());
  assert.equal((await fetch(`${base}/api/v1/calls`, { headers: bearer })).status, 200);
  assert.equal((await fetch(`${base}/api/v1/auth/me`, { headers: { cookie: session.cookie } })).status, 200);
  return 7;
}

test('no secret a client or the configuration sends appears anywhere in a trace-level log', async () => {
  const base = await address();
  const fullRunRequests = await fullRun(base);
  for (const send of REQUESTS) await (await send(base)).arrayBuffer();
  await fetch(`${base}/api/v1/health?done=1`);
  // pino writes synchronously to the file; wait for the last request's completion line anyway.
  const deadline = Date.now() + 5000;
  while (!/done=1[^\n]*\n[\s\S]*request completed/.test(readFileSync(logFile, 'utf8')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const log = readFileSync(logFile, 'utf8');

  // The log did record the requests (so the test is not vacuous): every one, its URL masked.
  assert.equal(log.match(/"msg":"incoming request"/g)?.length, fullRunRequests + REQUESTS.length + 1, log);
  assert.match(log, /"url":"\/api\/v1\/calls\/no-such-call\/audio\?token=\[redacted\]&download=1"/);
  assert.match(log, /"url":"\/api\/v1\/auth\/oidc\/callback\?code=\[redacted\]&state=s"/);

  assert.equal(Object.keys(made).length, 6, 'every secret of the full run was made');
  const leaked = Object.entries({ ...SECRETS, ...SECRET_ENV, ...made }).filter(([, secret]) => log.includes(secret));
  assert.deepEqual(leaked.map(([name]) => name), [], `secrets in the log:\n${log}`);
});
