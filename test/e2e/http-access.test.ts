import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { callInput, transcriptInput, wavBuffer } from '../support/factories.js';
import type { NewAccountInput } from '../../src/access/account-service.js';
import { accountWithToken, json, startHttpServer } from '../support/http-harness.js';

/**
 * Who gets in and what they see, over real HTTP: sign-in, lockout, the CSRF token, API tokens,
 * data scopes (agent, team lead, inspector), masking of personal data, and the audit trail of
 * all of it — including an agent guessing another agent's call ids.
 */
// Many sign-ins from one address: the per-address login limit is tested in http-transport-security.
const api = await startHttpServer({ loginRateLimitPerMinute: 0 });
after(() => api.close());
const { base, app } = api;

const PASSWORD = 'correct-horse-battery';
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function login(username: string, password = PASSWORD): Promise<{ res: Response; cookie: string; csrf: string }> {
  const res = await post('/api/v1/auth/login', { username, password });
  const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
  const csrf = res.status === 200 ? ((await res.clone().json()) as { csrfToken: string }).csrfToken : '';
  return { res, cookie, csrf };
}

const tokenFor = (username: string, role: NewAccountInput['role'], scope: Partial<NewAccountInput> = {}) => accountWithToken(app, { username, role, password: PASSWORD, ...scope });

// Calls of two agents in two teams and two business lines, with a customer phone number said aloud.
const PHONE = '13812345678';
const seg = (speaker: string, startMs: number, text: string) => ({ speaker, startMs, endMs: startMs + 2000, text });
const mine = await api.postJson(transcriptInput({ ...callInput({ agentId: 'A1', teamId: 'T1', businessLine: '电商', customerPhone: PHONE }), channel: 'chat', segments: [seg('agent', 0, '您好，请问有什么可以帮您'), seg('customer', 2500, `我的手机号是${PHONE}，帮我查一下订单`)] }));
const theirs = await api.postJson(transcriptInput({ ...callInput({ agentId: 'A2', teamId: 'T2', businessLine: '金融', customerPhone: '13900001111' }), channel: 'chat' }));
const audioOfTheirs = await api.upload(wavBuffer({ seconds: 0.5, seed: 777 }), 'theirs.wav', callInput({ agentId: 'A2', teamId: 'T2', businessLine: '金融' }));
const audioOfMine = await api.upload(wavBuffer({ seconds: 0.5, seed: 778 }), 'mine.wav', callInput({ agentId: 'A1', teamId: 'T1', businessLine: '电商' }));
for (const c of [mine, theirs, audioOfTheirs, audioOfMine]) await api.waitForCall(c.body.call.id, 30_000);
const mineId = mine.body.call.id;
const theirsId = theirs.body.call.id;
const theirAudioId = audioOfTheirs.body.call.id;

const agent = await tokenFor('agent-a1', 'agent', { agentId: 'A1' });
const lead = await tokenFor('lead-t2', 'team_lead', { teamIds: ['T2'] });
const inspector = await tokenFor('inspector-ec', 'inspector', { businessLines: ['电商'] });
const auditor = await tokenFor('auditor-1', 'auditor');
const manager = await tokenFor('manager-1', 'qa_manager');

const auditEntries = async (filter: { actor?: string; action?: string; targetId?: string }) => (await app.audit.search(filter, { limit: 200 })).items;

describe('signing in', () => {
  test('a right password gives an HttpOnly, SameSite=Strict session cookie and a CSRF token; the session reads /auth/me', async () => {
    const { res, cookie, csrf } = await login('manager-1');
    assert.equal(res.status, 200);
    const setCookie = res.headers.get('set-cookie')!;
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\//);
    assert.ok(csrf.length >= 32);
    const me = await fetch(`${base}/api/v1/auth/me`, { headers: { cookie } });
    const body = await json<{ user: { username: string; role: string }; csrfToken: string; permissions: string[] }>(me);
    assert.equal(body.user.username, 'manager-1');
    assert.equal(body.csrfToken, csrf);
    assert.ok(body.permissions.includes('pii:view'));
    assert.ok(!JSON.stringify(body).includes('$argon2'), 'no password hash leaves the server');
  });

  test('a change made with the session cookie needs the CSRF token', async () => {
    const { cookie, csrf } = await login('manager-1');
    const rules = { modules: [] };
    const without = await post('/api/v1/rule-sets/validate', rules, { cookie });
    assert.equal(without.status, 403);
    assert.match((await json<{ error: { message: string } }>(without)).error.message, /x-csrf-token/i);
    const wrong = await post('/api/v1/rule-sets/validate', rules, { cookie, 'x-csrf-token': 'x'.repeat(43) });
    assert.equal(wrong.status, 403);
    const right = await post('/api/v1/rule-sets/validate', rules, { cookie, 'x-csrf-token': csrf });
    assert.notEqual(right.status, 403);
  });

  test('logout ends the session', async () => {
    const { cookie, csrf } = await login('manager-1');
    assert.equal((await post('/api/v1/auth/logout', {}, { cookie, 'x-csrf-token': csrf })).status, 200);
    assert.equal((await fetch(`${base}/api/v1/calls`, { headers: { cookie } })).status, 401);
  });

  test('wrong passwords lock the account after 5 tries; then even the right one is refused; unlock clears it', async () => {
    await app.accounts.createAccount({ username: 'victim', role: 'agent', agentId: 'A9', password: PASSWORD });
    const first = await login('victim', 'wrong-password-0');
    assert.equal(first.res.status, 401);
    assert.deepEqual((await json<{ error: { details: unknown } }>(first.res)).error.details, { reason: 'wrong' }, 'the reason, for the console to say in its language');
    for (let i = 1; i < 4; i++) assert.equal((await login('victim', 'wrong-password-' + i)).res.status, 401);
    const fifth = await login('victim', 'wrong-password-5');
    assert.equal(fifth.res.status, 401);
    const locked = (await json<{ error: { message: string; details: { reason: string; minutes: number } } }>(fifth.res)).error;
    assert.match(locked.message, /locked/);
    assert.equal(locked.details.reason, 'locked');
    assert.ok(locked.details.minutes > 0);
    assert.equal((await login('victim')).res.status, 401, 'locked: the right password does not get in');
    const victim = (await app.db.repos.accounts.findByUsername('victim'))!;
    assert.ok(victim.lockedUntil! > Date.now());
    const res = await api.fetch(`${base}/api/v1/users/${victim.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ unlock: true }) });
    assert.equal(res.status, 200);
    assert.equal((await login('victim')).res.status, 200);
    const failures = await auditEntries({ actor: 'victim', action: 'auth.login' });
    assert.equal(failures.filter((e) => e.outcome === 'denied').length, 6);
    assert.ok(failures.some((e) => e.outcome === 'allowed'));
  });

  test('an unknown user and a wrong password get the same answer', async () => {
    const a = await login('nobody-here', 'whatever-password');
    const b = await login('manager-1', 'whatever-password');
    assert.equal(a.res.status, 401);
    assert.deepEqual(await json(a.res), await json(b.res));
  });

  test('a disabled account cannot sign in, and its open sessions end', async () => {
    const a = await app.accounts.createAccount({ username: 'leaver', role: 'inspector', password: PASSWORD });
    const { cookie } = await login('leaver');
    await app.accounts.updateAccount(a.id, { disabled: true });
    assert.equal((await fetch(`${base}/api/v1/auth/me`, { headers: { cookie } })).status, 401);
    assert.equal((await login('leaver')).res.status, 401);
  });
});

describe('API tokens', () => {
  test('a revoked token stops working at once; a token never grants more than its scopes', async () => {
    const a = await app.accounts.createAccount({ username: 'pbx', role: 'integration' });
    const narrow = await app.accounts.createToken(a.id, { name: 'read only', scopes: ['calls:read'] }, null);
    const h = { authorization: `Bearer ${narrow.token}` };
    assert.equal((await fetch(`${base}/api/v1/calls`, { headers: h })).status, 200);
    assert.equal((await post('/api/v1/calls', transcriptInput(), h)).status, 403, 'calls:ingest is not in its scopes');
    await assert.rejects(app.accounts.createToken(a.id, { name: 'too wide', scopes: ['users:manage'] }, null), /can only narrow/);
    await app.accounts.revokeToken(narrow.view.id);
    assert.equal((await fetch(`${base}/api/v1/calls`, { headers: h })).status, 401);
    const stored = await app.db.repos.accounts.getToken(narrow.view.id);
    assert.ok(stored && !JSON.stringify(stored).includes(narrow.token.split('_')[2]!), 'only the hash of the secret is stored');
  });

  test('a malformed Authorization header is 401 with how to fix it', async () => {
    const res = await fetch(`${base}/api/v1/calls`, { headers: { authorization: 'Basic abc' } });
    assert.equal(res.status, 401);
    assert.match((await json<{ error: { message: string } }>(res)).error.message, /Bearer/);
  });
});

describe('data scopes', () => {
  test('an agent lists and searches only their own calls', async () => {
    const list = await json<{ items: Array<{ id: string; agentId: string }> }>(await fetch(`${base}/api/v1/calls?limit=500`, { headers: agent.headers }));
    assert.deepEqual(list.items.map((c) => c.id).sort(), [mineId, audioOfMine.body.call.id].sort());
    const found = await json<{ items: Array<{ callId: string }>; total: number }>(await fetch(`${base}/api/v1/search?limit=100`, { headers: agent.headers }));
    assert.deepEqual(found.items.map((i) => i.callId).sort(), [mineId, audioOfMine.body.call.id].sort());
    assert.equal(found.total, 2, 'totals do not count other agents’ calls');
    const other = await json<{ items: unknown[] }>(await fetch(`${base}/api/v1/calls?agentId=A2`, { headers: agent.headers }));
    assert.deepEqual(other.items, [], 'asking for another agent’s calls gives nothing');
  });

  test('an agent guessing another agent’s call ids gets 404 for the transcript and the audio, and the attempts are audited as denied', async () => {
    for (const path of [`/api/v1/calls/${theirsId}`, `/api/v1/calls/${theirAudioId}/audio`, `/api/v1/calls/${theirAudioId}`]) {
      const res = await fetch(`${base}${path}`, { headers: agent.headers });
      assert.equal(res.status, 404, path);
      const unknown = await fetch(`${base}${path.replace(/calls\/[^/]+/, 'calls/no-such-call')}`, { headers: agent.headers });
      assert.deepEqual(await json(res), { error: { ...(await json<{ error: object }>(unknown)).error, message: `call ${path.split('/')[4]} does not exist`, details: { id: path.split('/')[4] } } }, 'the same answer as an id that does not exist');
    }
    const denied = (await auditEntries({ actor: 'agent-a1' })).filter((e) => e.outcome === 'denied');
    const targets = denied.map((e) => `${e.action} ${e.targetId}`);
    assert.ok(targets.includes(`call.view ${theirsId}`), targets.join('\n'));
    assert.ok(targets.includes(`call.audio ${theirAudioId}`), targets.join('\n'));
    assert.ok(denied.every((e) => JSON.parse(e.details).reason === 'outside the data scope' || e.targetId === 'no-such-call'));
  });

  test('an agent sees their own call with personal data masked; a QA manager sees it in full', async () => {
    const masked = await json<{ call: { customerPhone: string }; transcript: { segments: Array<{ text: string }> } }>(await fetch(`${base}/api/v1/calls/${mineId}`, { headers: agent.headers }));
    assert.ok(!JSON.stringify(masked).includes(PHONE), 'no phone number anywhere in the agent’s view');
    assert.match(masked.transcript.segments[1]!.text, /\*{11}/);
    const full = await json<{ call: { customerPhone: string }; transcript: { segments: Array<{ text: string }> } }>(await fetch(`${base}/api/v1/calls/${mineId}`, { headers: manager.headers }));
    assert.equal(full.call.customerPhone, PHONE);
    assert.ok(full.transcript.segments[1]!.text.includes(PHONE));
    const listed = await json<{ items: Array<{ customerPhone: string }> }>(await fetch(`${base}/api/v1/calls`, { headers: agent.headers }));
    assert.ok(!JSON.stringify(listed).includes(PHONE));
  });

  test('a role without pii:view never hears a recording whose personal data cannot be located (no transcript): 409 saying why; a QA manager gets the original', async () => {
    const id = audioOfMine.body.call.id;
    const res = await fetch(`${base}/api/v1/calls/${id}/audio`, { headers: agent.headers });
    assert.equal(res.status, 409);
    assert.match((await json<{ error: { message: string } }>(res)).error.message, /pii:view/);
    const full = await fetch(`${base}/api/v1/calls/${id}/audio`, { headers: manager.headers });
    assert.equal(full.status, 200);
    assert.equal(Buffer.from(await full.arrayBuffer()).length, wavBuffer({ seconds: 0.5, seed: 778 }).length);
  });

  test('a team lead sees their team’s calls; an inspector their business line plus calls assigned to them', async () => {
    const teamList = await json<{ items: Array<{ id: string }> }>(await fetch(`${base}/api/v1/calls?limit=500`, { headers: lead.headers }));
    assert.deepEqual(teamList.items.map((c) => c.id).sort(), [theirsId, theirAudioId].sort());
    assert.equal((await fetch(`${base}/api/v1/calls/${mineId}`, { headers: lead.headers })).status, 404);

    const before = await json<{ items: Array<{ id: string }> }>(await fetch(`${base}/api/v1/calls?limit=500`, { headers: inspector.headers }));
    assert.deepEqual(before.items.map((c) => c.id).sort(), [mineId, audioOfMine.body.call.id].sort());
    assert.equal((await fetch(`${base}/api/v1/calls/${theirsId}`, { headers: inspector.headers })).status, 404);
    const assign = await fetch(`${base}/api/v1/calls/${theirsId}/assignees/${inspector.account.id}`, { method: 'PUT', headers: manager.headers });
    assert.equal(assign.status, 200);
    assert.equal((await fetch(`${base}/api/v1/calls/${theirsId}`, { headers: inspector.headers })).status, 200);
    const after = await json<{ items: Array<{ id: string }> }>(await fetch(`${base}/api/v1/calls?limit=500`, { headers: inspector.headers }));
    assert.deepEqual(after.items.map((c) => c.id).sort(), [mineId, theirsId, audioOfMine.body.call.id].sort());
    const found = await json<{ items: Array<{ callId: string }> }>(await fetch(`${base}/api/v1/search?limit=100`, { headers: inspector.headers }));
    assert.deepEqual(found.items.map((i) => i.callId).sort(), [mineId, theirsId, audioOfMine.body.call.id].sort());
  });

  test('an auditor reads the audit log and no calls', async () => {
    assert.equal((await fetch(`${base}/api/v1/calls`, { headers: auditor.headers })).status, 403);
    assert.equal((await fetch(`${base}/api/v1/calls/${mineId}`, { headers: auditor.headers })).status, 403);
    const log = await fetch(`${base}/api/v1/audit?limit=50`, { headers: auditor.headers });
    assert.equal(log.status, 200);
  });
});

describe('the audit trail of reads', () => {
  test('transcript views, audio streams, searches and lists are recorded with who, what, when and from where', async () => {
    await fetch(`${base}/api/v1/calls/${theirAudioId}/audio`, { headers: manager.headers });
    await fetch(`${base}/api/v1/search?q=${encodeURIComponent('订单')}`, { headers: manager.headers });
    const entries = await auditEntries({ actor: 'manager-1' });
    const audio = entries.find((e) => e.action === 'call.audio' && e.targetId === theirAudioId);
    assert.ok(audio, entries.map((e) => e.action).join(','));
    assert.equal(audio.outcome, 'allowed');
    assert.equal(audio.actorRole, 'qa_manager');
    assert.match(audio.ip ?? '', /127\.0\.0\.1/);
    assert.ok(Math.abs(audio.at - Date.now()) < 60_000);
    const search = entries.find((e) => e.action === 'call.search');
    assert.ok(search && JSON.parse(search.details).q === '订单');
    assert.ok(entries.some((e) => e.action === 'call.view' && e.targetId === mineId));
    const verify = await app.audit.verify();
    assert.equal(verify.problems.length, 0, JSON.stringify(verify.problems));
  });
});
