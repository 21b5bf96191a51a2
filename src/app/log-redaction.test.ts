import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from './logger.js';
import { maskUrl, requestSerializer } from './log-redaction.js';

test('maskUrl: values of token-like query parameters masked, the rest of the URL kept', () => {
  assert.equal(maskUrl('/api/v1/calls/c1/audio?token=abc.def&download=1#t=3'), '/api/v1/calls/c1/audio?token=[redacted]&download=1#t=3');
  assert.equal(maskUrl('/cb?code=xyz&state=s1'), '/cb?code=[redacted]&state=s1');
  assert.equal(maskUrl('/x?access_token=a&id%5Ftoken=b&X-Amz-Signature=c&api_key=d&key=e&q=token'), '/x?access_token=[redacted]&id%5Ftoken=[redacted]&X-Amz-Signature=[redacted]&api_key=[redacted]&key=[redacted]&q=token');
  assert.equal(maskUrl('/api/v1/search?q=password&limit=5'), '/api/v1/search?q=password&limit=5', 'a word in a value is not a parameter name');
  assert.equal(maskUrl('/api/v1/health'), '/api/v1/health');
  assert.equal(maskUrl('/x?%E0%A4%A=1&token'), '/x?%E0%A4%A=1&token', 'malformed escapes and names without a value pass');
});

test('the logger redacts credentials in headers, secret fields at any depth and tokens in request URLs', () => {
  const lines: string[] = [];
  const log = createLogger('trace', { write: (s: string) => void lines.push(s) });
  log.info({ req: { method: 'GET', url: '/a?token=T0KEN', headers: { authorization: 'Bearer B34RER', cookie: 'sid=C00KIE' } } }, 'raw request');
  log.info({ headers: { 'x-api-key': 'AP1KEY' }, res: { headers: { 'set-cookie': 'sid=SETC00KIE' } } }, 'headers');
  log.info({ body: { username: 'u', password: 'PASSW0RD', nested: { deeper: { clientSecret: 'CL1ENT', masterKey: 'MASTERK' } } }, token: 'T0P' }, 'body');
  log.child({ reqId: 1 }).warn({ err: Object.assign(new Error('boom'), { details: { secret: 'ERRSECRET' } }) }, 'error');
  const text = lines.join('');
  for (const s of ['T0KEN', 'B34RER', 'C00KIE', 'AP1KEY', 'SETC00KIE', 'PASSW0RD', 'CL1ENT', 'MASTERK', 'T0P', 'ERRSECRET']) assert.ok(!text.includes(s), `${s} leaked:\n${text}`);
  assert.match(text, /"url":"\/a\?token=\[redacted\]"/);
  assert.match(text, /"username":"u"/, 'other fields stay');
  assert.equal(lines.length, 4);
});

test('requestSerializer: method, masked url, client address; never headers', () => {
  const s = requestSerializer({ method: 'POST', url: '/l?password=p', ip: '203.0.113.9', host: 'tj.example', socket: { remoteAddress: '10.0.0.2', remotePort: 5000 } });
  assert.deepEqual(s, { method: 'POST', url: '/l?password=[redacted]', host: 'tj.example', remoteAddress: '203.0.113.9', remotePort: 5000 });
});
