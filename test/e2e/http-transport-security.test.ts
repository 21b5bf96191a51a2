import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { access } from '../../src/http/auth/route-access.js';
import { buildServer } from '../../src/http/build-server.js';
import { rateLimit } from '../../src/http/rate-limit.js';
import { CONTENT_SECURITY_POLICY } from '../../src/http/security-headers.js';
import { testApp } from '../support/factories.js';

// Security headers, the JSON body limit, per-client rate limits and trusting a reverse proxy, on
// the real server (buildServer). Only public routes and unauthenticated requests are used, so the
// checks hold whatever authentication a route needs: the limiter runs before it.
const PROXY = '127.0.0.1';
let app: Awaited<ReturnType<typeof testApp>>;
let server: FastifyInstance;
let base: string;

before(async () => {
  app = await testApp({ config: { trustProxy: PROXY, maxJsonMb: 0.01, loginRateLimitPerMinute: 3, uploadRateLimitPerMinute: 2 } });
  server = await buildServer(app);
  // A login-like route: public, JSON, limited as the login group.
  server.post('/test/login', { config: { ...access('public'), ...rateLimit('login') } }, () => ({ ok: true }));
  await server.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});
after(async () => {
  await server.close();
  await app.close();
});

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'microphone=(), camera=(), geolocation=(), payment=(), usb=()',
};
const post = (url: string, body: string, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('security headers', () => {
  test('on success, 404, bad input and the OpenAPI document; no-store on /api; no HSTS over plain HTTP', async () => {
    const responses = {
      health: await fetch(`${base}/api/v1/health`),
      missing: await fetch(`${base}/api/v1/no-such-thing?token=x`),
      badJson: await post(`${base}/test/login`, '{"username": '),
      openapi: await fetch(`${base}/api/openapi.json`),
      outsideApi: await fetch(`${base}/favicon.ico`),
    };
    assert.deepEqual(Object.fromEntries(Object.entries(responses).map(([k, r]) => [k, r.status])), { health: 200, missing: 404, badJson: 400, openapi: 200, outsideApi: 404 });
    for (const [what, res] of Object.entries(responses)) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) assert.equal(res.headers.get(name), value, `${what}: ${name}`);
      assert.equal(res.headers.get('strict-transport-security'), null, `${what}: plain HTTP from a client, not from the proxy`);
      assert.equal(res.headers.get('cache-control'), what === 'outsideApi' || what === 'badJson' ? null : 'no-store', `${what}: cache-control`);
    }
    assert.match(CONTENT_SECURITY_POLICY, /default-src 'self'.*object-src 'none'.*base-uri 'self'.*frame-ancestors 'none'/);
  });

  test('HSTS when the trusted proxy says the client used HTTPS, not when anyone else says so', async () => {
    const viaProxy = await server.inject({ url: '/api/v1/health', remoteAddress: PROXY, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.50' } });
    assert.equal(viaProxy.headers['strict-transport-security'], 'max-age=31536000');
    const direct = await server.inject({ url: '/api/v1/health', remoteAddress: '198.51.100.7', headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(direct.headers['strict-transport-security'], undefined);
  });
});

describe('limits', () => {
  test('a JSON body over maxJsonMb is 413 UPLOAD_TOO_LARGE naming TINGJIAN_MAX_JSON_MB', async () => {
    const res = await post(`${base}/test/login`, JSON.stringify({ username: 'x'.repeat(20_000) }), { 'x-forwarded-for': '203.0.113.60' });
    assert.equal(res.status, 413);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'UPLOAD_TOO_LARGE');
    assert.match(body.error.message, /TINGJIAN_MAX_JSON_MB/);
  });

  test('login: the 4th attempt in a minute from one client is 429 RATE_LIMITED with Retry-After; other clients are not affected', async () => {
    const attempt = (client: string) => post(`${base}/test/login`, '{}', { 'x-forwarded-for': client });
    for (let i = 0; i < 3; i++) assert.equal((await attempt('203.0.113.1')).status, 200, `attempt ${i + 1}`);
    const limited = await attempt('203.0.113.1');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '20', '3 per minute: the next token in 20 s');
    assert.equal(limited.headers.get('x-frame-options'), 'DENY');
    const body = (await limited.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'RATE_LIMITED');
    assert.match(body.error.message, /at most 3 per minute \(TINGJIAN_LOGIN_RATE_LIMIT_PER_MINUTE\); try again in 20 s/);
    assert.equal((await attempt('203.0.113.2')).status, 200, 'another client behind the same proxy');
    assert.equal((await fetch(`${base}/api/v1/health`, { headers: { 'x-forwarded-for': '203.0.113.1' } })).status, 200, 'routes without a limit stay open');
  });

  test('call upload (POST /api/v1/calls) is limited per client, whatever the request then gets', async () => {
    const upload = (remoteAddress: string, client: string) =>
      server.inject({ method: 'POST', url: '/api/v1/calls', remoteAddress, headers: { 'content-type': 'application/json', 'x-forwarded-for': client }, payload: '{}' });
    for (let i = 0; i < 2; i++) assert.notEqual((await upload(PROXY, '203.0.113.10')).statusCode, 429, `upload ${i + 1}`);
    const limited = await upload(PROXY, '203.0.113.10');
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.headers['retry-after'], '30');
    assert.match(limited.json<{ error: { message: string } }>().error.message, /call uploads .*TINGJIAN_UPLOAD_RATE_LIMIT_PER_MINUTE/);
    assert.notEqual((await upload(PROXY, '203.0.113.11')).statusCode, 429, 'another client behind the proxy');
    // A peer that is not the trusted proxy cannot pick a fresh address with X-Forwarded-For.
    for (let i = 0; i < 2; i++) assert.notEqual((await upload('198.51.100.9', `192.0.2.${i}`)).statusCode, 429);
    assert.equal((await upload('198.51.100.9', '192.0.2.99')).statusCode, 429);
  });
});
