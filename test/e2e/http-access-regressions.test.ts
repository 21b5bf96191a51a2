import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { callInput, transcriptInput } from '../support/factories.js';
import { json, startHttpServer } from '../support/http-harness.js';

/**
 * Regressions found by a review of issue 6 (accounts, roles, data scopes, audit): each test states
 * what docs/security.md promises and failed before its fix — publishing through ?publish=true,
 * personal data in dry runs, ingest answers, topic discovery, search and the audit log, job
 * filters across scopes, the lockout counter under concurrency and at password change, probing
 * user names by message or timing.
 */
const api = await startHttpServer({ loginRateLimitPerMinute: 0 });
after(() => api.close());
const { base, app } = api;

const PASSWORD = 'correct-horse-battery';
type Role = Parameters<typeof app.accounts.createAccount>[0]['role'];

async function tokenFor(username: string, role: Role, scope: { agentId?: string; teamIds?: string[]; businessLines?: string[] } = {}, scopes?: Parameters<typeof app.accounts.createToken>[1]['scopes']) {
  const a = await app.accounts.createAccount({ username, role, password: PASSWORD, ...scope });
  const { token } = await app.accounts.createToken(a.id, { name: 'test', ...(scopes ? { scopes } : {}) }, null);
  return { account: a, headers: { authorization: `Bearer ${token}` } };
}
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const login = (username: string, password: string) => post('/api/v1/auth/login', { username, password });

const PHONE = '13812345678';
const seg = (speaker: string, startMs: number, text: string) => ({ speaker, startMs, endMs: startMs + 2000, text });
const EXTERNAL_ID = 'CDR-REVIEW-0001';
const mine = await api.postJson(
  transcriptInput({
    ...callInput({ externalId: EXTERNAL_ID, agentId: 'A1', teamId: 'T1', businessLine: '电商', customerPhone: PHONE }),
    channel: 'chat',
    segments: [seg('agent', 0, '您好，请问有什么可以帮您'), seg('customer', 2500, `我的手机号是${PHONE}帮我查一下订单`)],
  }),
);
const theirs = await api.postJson(transcriptInput({ ...callInput({ agentId: 'A2', teamId: 'T2', businessLine: '金融', customerPhone: '13900001111' }), channel: 'chat' }));
// Calls whose every customer sentence holds a phone number (for topic discovery's examples): six
// themes, four calls each, so each theme's words stay under discovery's 20% document share.
const THEMES = ['想申请退款退款什么时候到账', '发票开错了要重新开发票', '物流一直不更新包裹丢了', '登录密码忘了重置密码收不到验证码', '优惠券过期了优惠券能补吗', '会员积分没到账会员等级不对'];
const phoneCalls = [];
for (let i = 0; i < 24; i++) {
  const p = `1390000${String(2000 + i)}`;
  phoneCalls.push(
    await api.postJson(
      transcriptInput({
        ...callInput({ agentId: 'A3', teamId: 'T3', businessLine: '零售', customerPhone: p }),
        channel: 'chat',
        segments: [seg('agent', 0, '您好请问有什么可以帮您'), seg('customer', 2500, `我的手机号是${p}${THEMES[i % THEMES.length]}`)],
      }),
    ),
  );
}
for (const c of [mine, theirs, ...phoneCalls]) await api.waitForCall(c.body.call.id, 30_000);
const mineId = mine.body.call.id;
const theirsId = theirs.body.call.id;

const inspector = await tokenFor('rv-inspector', 'inspector', { businessLines: ['电商'] });
const lead = await tokenFor('rv-lead-t1', 'team_lead', { teamIds: ['T1'] });
const manager = await tokenFor('rv-manager', 'qa_manager');
const integration = await tokenFor('rv-pbx', 'integration');
const auditor = await tokenFor('rv-auditor', 'auditor');
const auditEntries = async (filter: { actor?: string; action?: string; targetId?: string }) => (await app.audit.search(filter, { limit: 200 })).items;

const leakModule = { module: 'leak', name: '泄露', rules: [{ id: 'phone', name: '手机号', when: { keywords: ['手机号'] } }] };
const qaModule = { module: 'qa', name: '质检', rules: [{ id: 'greeting', name: '开场问候', type: 'required', when: { keywords: ['您好'], speaker: 'agent' } }] };

describe('privilege escalation', () => {
  test('an inspector (rules:write, no rules:publish) cannot publish a rule set through POST /rule-sets/versions?publish=true', async () => {
    const res = await post('/api/v1/rule-sets/versions?publish=true&replaceAll=true', { modules: [qaModule], note: 'inspector publishes' }, inspector.headers);
    const body = await json<{ status?: string }>(res);
    assert.equal(res.status, 403, `expected 403 (rules:publish is QA managers' and admins'), got ${res.status}: ${JSON.stringify(body)}`);
  });
});

describe('personal data reaching roles without pii:view', () => {
  test('a dry run (POST /rule-sets/test) by an inspector masks the examples’ evidence and external ids', async () => {
    const res = await post('/api/v1/rule-sets/test', { modules: [leakModule], replaceAll: true, filter: { callIds: [mineId] } }, inspector.headers);
    assert.equal(res.status, 200);
    const text = JSON.stringify(await json(res));
    assert.ok(text.includes(mineId), 'the call is in the inspector’s scope and is an example');
    assert.ok(!text.includes(PHONE), `the customer's phone number reaches an inspector (no pii:view) in dry-run evidence: ${text.slice(0, 600)}`);
  });

  test('an integration token (no pii:view) re-posting a known externalId does not get the stored call’s customer phone unmasked', async () => {
    const res = await post('/api/v1/calls', transcriptInput({ ...callInput({ externalId: EXTERNAL_ID }), channel: 'chat' }), integration.headers);
    assert.equal(res.status, 200);
    const body = await json<{ call: { id: string; customerPhone: string | null }; matchedBy?: string }>(res);
    assert.equal(body.call.id, mineId);
    assert.equal(body.matchedBy, 'externalId');
    const masked = await json<{ call: { customerPhone: string } }>(await fetch(`${base}/api/v1/calls/${mineId}`, { headers: integration.headers }));
    assert.notEqual(masked.call.customerPhone, PHONE, 'GET masks it for integration');
    assert.notEqual(body.call.customerPhone, PHONE, 'POST /api/v1/calls hands integration the stored phone unmasked');
  });

  test('topic discovery with a QA manager’s token narrowed to insights:read (no pii:view) masks the example sentences', async () => {
    const narrow = await tokenFor('rv-manager-bi', 'qa_manager', {}, ['insights:read']);
    const res = await fetch(`${base}/api/v1/topics/discover?k=6&businessLine=${encodeURIComponent('零售')}`, { headers: narrow.headers });
    assert.equal(res.status, 200);
    const body = await json<{ topics: Array<{ examples: string[] }> }>(res);
    const examples = body.topics.flatMap((t) => t.examples);
    assert.ok(examples.length > 0, JSON.stringify(body));
    const leaked = examples.filter((e) => /1[39]\d{9}/.test(e));
    assert.deepEqual(leaked, [], 'customer phone numbers in topic examples for a principal without pii:view (nor calls:read)');
  });

  test('search is not an oracle for masked personal data: an inspector searching a phone number they cannot see is refused (403), a manager finds it', async () => {
    const res = await fetch(`${base}/api/v1/search?q=${PHONE}`, { headers: inspector.headers });
    assert.equal(res.status, 403);
    assert.match((await json<{ error: { message: string } }>(res)).error.message, /pii:view/);
    const managers = await json<{ total: number }>(await fetch(`${base}/api/v1/search?q=${PHONE}`, { headers: manager.headers }));
    assert.ok(managers.total >= 1);
  });

  test('the audit log an auditor (no pii:view) reads does not hold a customer phone number searched for by a manager', async () => {
    await fetch(`${base}/api/v1/search?q=${PHONE}`, { headers: manager.headers });
    const res = await fetch(`${base}/api/v1/audit?action=call.search&actor=rv-manager`, { headers: auditor.headers });
    assert.equal(res.status, 200);
    assert.ok(!JSON.stringify(await json(res)).includes(PHONE), 'call.search details carry the raw query (q and filters.q)');
  });
});

describe('data scope', () => {
  test('a team lead reading re-inspection jobs does not learn the ids and number of calls outside their teams', async () => {
    const pub = await post('/api/v1/rule-sets/versions?publish=true&replaceAll=true', { modules: [qaModule] }, manager.headers);
    const { version } = (await pub.json()) as { version: number };
    assert.equal(pub.status, 201);
    const q = await post('/api/v1/reinspections', { version, filter: { callIds: [theirsId] } }, manager.headers);
    assert.equal(q.status, 202, JSON.stringify(await q.json()));
    // Jobs name calls across every scope: only those who run re-inspections (scope all) read them.
    const res = await fetch(`${base}/api/v1/reinspections`, { headers: lead.headers });
    assert.equal(res.status, 403);
    assert.ok(!JSON.stringify(await json(res)).includes(theirsId));
  });
});

describe('audit trail', () => {
  test('publishing with POST /rule-sets/versions?publish=true leaves a rules.publish entry naming the version', async () => {
    const pub = await post('/api/v1/rule-sets/versions?publish=true&replaceAll=true', { modules: [qaModule], note: 'audited?' }, manager.headers);
    assert.equal(pub.status, 201);
    const { version } = (await pub.json()) as { version: number };
    const entries = await auditEntries({ actor: 'rv-manager', action: 'rules.' });
    const publish = entries.find((e) => e.action === 'rules.publish' && e.targetId === String(version));
    assert.ok(publish, `no rules.publish entry for version ${version}; entries: ${entries.map((e) => `${e.action} ${e.targetId} ${e.details}`).join(' | ')}`);
  });
});

describe('sign-in', () => {
  test('concurrent wrong passwords cannot outrun the lockout counter (5 failures lock the account)', async () => {
    const victim = await app.accounts.createAccount({ username: 'rv-race-victim', role: 'agent', agentId: 'A9', password: PASSWORD });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login('rv-race-victim', `wrong-password-${i}`)));
    assert.ok(answers.every((r) => r.status === 401));
    const after = (await app.db.repos.accounts.get(victim.id))!;
    assert.ok(after.lockedUntil !== null && after.lockedUntil > Date.now(), `20 wrong passwords, yet not locked: failedLogins=${after.failedLogins}, lockedUntil=${after.lockedUntil}`);
    assert.equal((await login('rv-race-victim', PASSWORD)).status, 401, 'the right password must be refused while locked');
  });

  test('wrong current passwords at POST /auth/password count toward the lockout (else a stolen session guesses the password freely)', async () => {
    const a = await app.accounts.createAccount({ username: 'rv-pw-guess', role: 'agent', agentId: 'A8', password: PASSWORD });
    const r = await login('rv-pw-guess', PASSWORD);
    const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await r.json()) as { csrfToken: string };
    // Five wrong guesses lock the account and end the (stolen) session: the sixth is not even heard.
    for (let i = 0; i < 8; i++) {
      const res = await post('/api/v1/auth/password', { currentPassword: `guess-number-${i}`, newPassword: 'another-password-9' }, { cookie, 'x-csrf-token': csrfToken });
      assert.equal(res.status, i < 5 ? 403 : 401, `guess ${i + 1}`);
    }
    const after = (await app.db.repos.accounts.get(a.id))!;
    assert.ok((after.lockedUntil ?? 0) > Date.now(), 'locked');
    assert.equal((await login('rv-pw-guess', PASSWORD)).status, 401, 'locked: the right password is refused too');
  });

  test('user names cannot be probed: a disabled account answers like an unknown user', async () => {
    const d = await app.accounts.createAccount({ username: 'rv-disabled', role: 'agent', agentId: 'A7', password: PASSWORD });
    await app.accounts.updateAccount(d.id, { disabled: true });
    const unknown = await json(await login('rv-no-such-user', 'some-wrong-password'));
    const disabled = await json(await login('rv-disabled', 'some-wrong-password'));
    assert.deepEqual(disabled, unknown, 'a wrong password for a disabled account reveals that the account exists');
  });

  test('user names cannot be probed by timing: a password-less (SSO-only) account costs the same work as an unknown one', async () => {
    await app.accounts.createAccount({ username: 'rv-sso-only', role: 'agent', agentId: 'A6' });
    const time = async (u: string) => {
      const t = performance.now();
      await login(u, 'some-wrong-password');
      return performance.now() - t;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const unknown: number[] = [];
    const ssoOnly: number[] = [];
    for (let i = 0; i < 9; i++) {
      unknown.push(await time('rv-no-such-user-2'));
      ssoOnly.push(await time('rv-sso-only'));
    }
    const [u, s] = [median(unknown), median(ssoOnly)];
    assert.ok(s > u / 2, `unknown user ${u.toFixed(1)} ms (argon2 dummy hash) vs SSO-only account ${s.toFixed(1)} ms (no hash): the account's existence shows`);
  });
});
