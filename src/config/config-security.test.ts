import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ENV_VARIABLES, loadConfig } from './config.js';
import { isSecretSetting, jsonSyntaxProblem, redactSecrets } from './config-secrets.js';

const configError = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected CONFIG_INVALID');
};

test('transport settings: defaults, environment, validation naming the variable', () => {
  const d = loadConfig({ env: {} });
  assert.equal(d.trustProxy, false);
  assert.equal(d.maxJsonMb, 16);
  assert.equal(d.loginRateLimitPerMinute, 10);
  assert.equal(d.uploadRateLimitPerMinute, 120);
  assert.equal(d.tlsCertFile, undefined);
  const c = loadConfig({
    env: { TINGJIAN_TRUST_PROXY: '10.0.0.0/8,127.0.0.1', TINGJIAN_MAX_JSON_MB: '4', TINGJIAN_TLS_CERT: '/etc/t/cert.pem', TINGJIAN_TLS_KEY: '/etc/t/key.pem', TINGJIAN_LOGIN_RATE_LIMIT_PER_MINUTE: '0', TINGJIAN_UPLOAD_RATE_LIMIT_PER_MINUTE: '30' },
  });
  assert.deepEqual(c.trustProxy, ['10.0.0.0/8', '127.0.0.1']);
  assert.deepEqual([c.maxJsonMb, c.tlsCertFile, c.tlsKeyFile, c.loginRateLimitPerMinute, c.uploadRateLimitPerMinute], [4, '/etc/t/cert.pem', '/etc/t/key.pem', 0, 30]);
  assert.equal(loadConfig({ env: { TINGJIAN_TRUST_PROXY: '1' } }).trustProxy, 1);
  const message = configError(() => loadConfig({ env: { TINGJIAN_TRUST_PROXY: 'true', TINGJIAN_MAX_JSON_MB: '0', TINGJIAN_LOGIN_RATE_LIMIT_PER_MINUTE: 'many' } }));
  for (const v of ['TINGJIAN_TRUST_PROXY', 'TINGJIAN_MAX_JSON_MB', 'TINGJIAN_LOGIN_RATE_LIMIT_PER_MINUTE']) assert.match(message, new RegExp(v));
});

test('config errors never quote a secret: a broken config file, secret-named settings, URL passwords', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tj-config-secrets-'));
  const SECRET = 'S3cr3t-4f9b2c';
  // V8 quotes a slice of the text for an unexpected token; the file may be the one holding the master key.
  const broken = path.join(dir, 'broken.json');
  writeFileSync(broken, `{\n  "masterKey": ${SECRET}\n}`);
  const fileMessage = configError(() => loadConfig({ configFile: broken, env: {} }));
  assert.match(fileMessage, /not valid JSON/);
  assert.ok(!fileMessage.includes(SECRET) && !fileMessage.includes(SECRET.slice(0, 5)), fileMessage);
  const unterminated = path.join(dir, 'unterminated.json');
  writeFileSync(unterminated, `{\n  "oidcClientSecret": "${SECRET}\n}`);
  const where = configError(() => loadConfig({ configFile: unterminated, env: {} }));
  assert.match(where, /at line \d+ column \d+/);
  assert.ok(!where.includes(SECRET), where);

  // Every setting read from the environment given a value it cannot take, the secret inside it.
  const env = Object.fromEntries(Object.keys(ENV_VARIABLES).map((name) => [name, `x${SECRET}\u0000`]));
  const all = configError(() => loadConfig({ env }));
  const secretKeys = Object.values(ENV_VARIABLES).filter(isSecretSetting);
  if (secretKeys.length) assert.ok(!all.includes(SECRET), `a secret setting (${secretKeys.join(', ')}) was quoted:\n${all}`);
  const url = configError(() => loadConfig({ env: { TINGJIAN_DATABASE_URL: `mysql://tingjian:${SECRET}@db/tj` } }));
  assert.match(url, /TINGJIAN_DATABASE_URL/);
  assert.ok(!url.includes(SECRET), url);
});

test('redactSecrets masks secret-named values and URL passwords, leaves the rest; durations and files are not secrets', () => {
  const input = { masterKey: 'k3y-value-1', oidcClientSecret: 'cl13nt', port: 'eighty', downloadTokenTtlMinutes: '5', tlsKeyFile: '/etc/key.pem' };
  const [m] = redactSecrets(['masterKey k3y-value-1 and cl13nt; port eighty; ttl 5 at /etc/key.pem; postgres://u:pw@h/db'], input);
  assert.equal(m, 'masterKey [redacted] and [redacted]; port eighty; ttl 5 at /etc/key.pem; postgres://u:[redacted]@h/db');
  for (const k of ['masterKey', 'oidcClientSecret', 'smtpPassword', 'apiKey', 'sessionSecret']) assert.ok(isSecretSetting(k), k);
  for (const k of ['tlsKeyFile', 'downloadTokenTtlMinutes', 'port', 'maxUploadMb']) assert.ok(!isSecretSetting(k), k);
});

test('jsonSyntaxProblem keeps the kind and position of the error, not the text', () => {
  const text = '{\n  "a": 1,\n  "b": oops\n}';
  let err: Error | undefined;
  try {
    JSON.parse(text);
  } catch (e) {
    err = e as Error;
  }
  const p = jsonSyntaxProblem(err!, text);
  assert.ok(!p.includes('oops'), p);
  assert.match(p, /^Unexpected token/);
});
