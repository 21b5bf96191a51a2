import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { longRunning, runCli, said } from '../support/cli.js';
import { tempDir } from '../support/factories.js';
import { needs } from '../support/tiers.js';

// `tingjian serve` with TINGJIAN_TLS_CERT/KEY serves HTTPS itself. The certificate is made here,
// self-signed for 127.0.0.1, and the client trusts exactly it (no rejectUnauthorized: false).
const tmp = tempDir();
const procs: Array<ReturnType<typeof longRunning>> = [];
after(() => {
  for (const p of procs) p.kill();
  tmp.cleanup();
});
const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
const OPENSSL_INSTALL = 'apt-get install openssl';

function selfSigned(name: string): { cert: string; key: string } {
  const cert = path.join(tmp.dir, `${name}-cert.pem`);
  const key = path.join(tmp.dir, `${name}-key.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { cert, key };
}

function get(url: string, ca: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

test('with a certificate and key, serve answers over HTTPS with HSTS', async (t) => {
  if (!needs(t, 'openssl', haveOpenssl, OPENSSL_INSTALL)) return;
  const { cert, key } = selfSigned('good');
  const api = longRunning(['serve', '--port', '0'], { dataDir: path.join(tmp.dir, 'data'), env: { TINGJIAN_SERVICES: 'api', TINGJIAN_TLS_CERT: cert, TINGJIAN_TLS_KEY: key } });
  procs.push(api);
  const [, base] = await api.waitFor(/API on (https:\/\/\S+)/, 30_000);
  const res = await get(`${base}/api/v1/health`, readFileSync(cert));
  assert.equal(res.status, 200, res.body);
  assert.equal((JSON.parse(res.body) as { status: string }).status, 'ok');
  assert.equal(res.headers['strict-transport-security'], 'max-age=31536000');
  assert.equal(res.headers['cache-control'], 'no-store');
  await assert.rejects(get(`${base}/api/v1/health`, readFileSync(selfSigned('other').cert)), /self[- ]signed|unable to verify/i, 'a client trusting another certificate refuses the connection');
  const stopped = await api.stop('SIGTERM', 5000);
  assert.equal(stopped.code, 0, api.output());
});

test('a certificate without its key, an unreadable file or a key of another certificate: CONFIG_INVALID at start, and the process exits', async (t) => {
  if (!needs(t, 'openssl', haveOpenssl, OPENSSL_INSTALL)) return;
  const a = selfSigned('a');
  const b = selfSigned('b');
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['only the certificate', { TINGJIAN_TLS_CERT: a.cert }, /TINGJIAN_TLS_CERT\) is set but tlsKeyFile \(env TINGJIAN_TLS_KEY\) is not/],
    ['only the key', { TINGJIAN_TLS_KEY: a.key }, /TINGJIAN_TLS_KEY\) is set but tlsCertFile \(env TINGJIAN_TLS_CERT\) is not/],
    ['a missing key file', { TINGJIAN_TLS_CERT: a.cert, TINGJIAN_TLS_KEY: path.join(tmp.dir, 'nope.pem') }, /cannot read tlsKeyFile \(env TINGJIAN_TLS_KEY\) .*nope\.pem: ENOENT/],
    ['a key of another certificate', { TINGJIAN_TLS_CERT: a.cert, TINGJIAN_TLS_KEY: b.key }, /not a usable PEM certificate and private key: .*key values mismatch/],
  ];
  for (const [what, env, message] of cases) {
    const r = await runCli(['serve', '--port', '0'], { dataDir: path.join(tmp.dir, 'data'), env: { TINGJIAN_SERVICES: 'api,worker', ...env }, timeoutMs: 30_000 });
    assert.equal(r.code, 2, `${what}: ${said(r)}`);
    assert.match(r.stderr, /error CONFIG_INVALID: /, what);
    assert.match(r.stderr, message, what);
  }
});
