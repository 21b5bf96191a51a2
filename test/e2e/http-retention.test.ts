import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { buildServer } from '../../src/http/build-server.js';
import { callInput, testApp, transcriptInput, wavBuffer } from '../support/factories.js';
import { adminAuth } from '../support/http-harness.js';

/**
 * The retention routes through the real server and its authorisation: a call's expiry and legal
 * hold, deleting a call (refused while held; in WORM mode refused before expiry even to an
 * administrator), the purge run on request, and what the audit log records of it.
 */
const plain = await testApp({ config: { retentionPurgeIntervalMinutes: 0 } });
const worm = await testApp({ config: { worm: true } });
const plainServer = await buildServer(plain);
const wormServer = await buildServer(worm);
const plainAuth = await adminAuth(plain);
const wormAuth = await adminAuth(worm);
after(async () => {
  await plainServer.close();
  await wormServer.close();
  await plain.close();
  await worm.close();
});

const call = (method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, body?: unknown, server = plainServer, auth = plainAuth) =>
  server.inject({ method, url, headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });

describe('retention over HTTP', () => {
  test('GET the policy: the built-in 180 days', async () => {
    const res = await call('GET', '/api/v1/retention/policy');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { policy: { version: 1, defaultKeepDays: 180, rules: [] }, source: 'built-in (templates/retention/default.yaml)', worm: false, purgeIntervalMinutes: 0 });
  });

  test('legal hold: set, shown, refuses DELETE with 409 LEGAL_HOLD; released, DELETE removes the call', async () => {
    const { call: c } = await plain.ingest.accept({ input: transcriptInput({ startedAt: '2026-01-01T10:00:00+08:00' }) });
    const held = await call('PUT', `/api/v1/calls/${c.id}/legal-hold`, { reason: '投诉调查 #88' });
    assert.equal(held.statusCode, 200, held.body);
    assert.equal(held.json().legalHold.reason, '投诉调查 #88');
    assert.equal(held.json().expiresAt, new Date(Date.parse('2026-01-01T10:00:00+08:00') + 180 * 86_400_000).toISOString());
    assert.equal(held.json().policy, 'default');

    const refused = await call('DELETE', `/api/v1/calls/${c.id}`);
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'LEGAL_HOLD');
    assert.match(refused.json().error.message, /投诉调查 #88/);

    assert.equal((await call('DELETE', `/api/v1/calls/${c.id}/legal-hold`)).json().legalHold, null);
    const deleted = await call('DELETE', `/api/v1/calls/${c.id}`);
    assert.equal(deleted.statusCode, 200, deleted.body);
    assert.equal(deleted.json().deleted.externalId, c.externalId);
    assert.equal((await call('GET', `/api/v1/calls/${c.id}`)).statusCode, 404);

    const audit = (await plain.audit.search({ targetId: c.id }, { limit: 20 })).items.map((e) => `${e.action} ${e.outcome}`).sort();
    assert.deepEqual(audit, ['call.delete allowed', 'call.delete failed', 'call.view failed', 'legal_hold.release allowed', 'legal_hold.set allowed']);
  });

  test('holds by customer phone, and a purge run now (dry run first)', async () => {
    const old = (await plain.ingest.accept({ input: transcriptInput({ startedAt: '2020-01-01T10:00:00+08:00', customerPhone: '13900002222' }) })).call;
    const other = (await plain.ingest.accept({ input: transcriptInput({ startedAt: '2020-01-02T10:00:00+08:00' }) })).call;
    const held = await call('POST', '/api/v1/retention/legal-holds', { customerPhone: '13900002222', reason: '仲裁' });
    assert.deepEqual(held.json(), { held: [old.id], missing: [] });

    const dry = await call('POST', '/api/v1/retention/purge', { dryRun: true });
    assert.equal(dry.statusCode, 200, dry.body);
    assert.deepEqual(dry.json().calls.map((c: { callId: string }) => c.callId), [other.id]);
    const run = await call('POST', '/api/v1/retention/purge', {});
    assert.equal(run.json().purged, 1);
    assert.equal(run.json().heldExpired, 1);
    assert.equal((await call('GET', `/api/v1/calls/${other.id}/retention`)).statusCode, 404);
    assert.equal((await call('GET', `/api/v1/calls/${old.id}/retention`)).json().expired, true);
    const purged = (await plain.audit.search({ action: 'retention.purge', targetId: other.id }, { limit: 5 })).items;
    assert.equal(purged[0]?.actorUsername, 'test-admin');
  });

  test('WORM: DELETE before expiry is 409 WORM_LOCKED for an administrator, and the recording stays', async () => {
    const { call: c } = await worm.ingest.accept({ input: callInput({ startedAt: new Date().toISOString() }), audio: await worm.blobs.stage(Readable.from([wavBuffer({ seconds: 1, seed: 9901 })])) });
    const refused = await call('DELETE', `/api/v1/calls/${c.id}`, undefined, wormServer, wormAuth);
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'WORM_LOCKED');
    assert.match(refused.json().error.message, /admins included/);
    const r = (await call('GET', `/api/v1/calls/${c.id}/retention`, undefined, wormServer, wormAuth)).json();
    assert.equal(r.worm, true);
    assert.equal(r.recordingRetainedUntil, r.expiresAt);
    const rec = (await worm.db.repos.recordings.getByCallId(c.id))!;
    assert.ok(existsSync(path.join(worm.dataDir, 'recordings', rec.blobKey)));
  });
});
