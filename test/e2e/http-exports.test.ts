import assert from 'node:assert/strict';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { buildServer } from '../../src/http/build-server.js';
import { callInput, testApp, transcriptInput } from '../support/factories.js';
import { freshWav, json, sha256, startHttpServer } from '../support/http-harness.js';

/**
 * Exports over real HTTP, with several roles: an inspector asks, a QA manager approves, the
 * link works for the inspector only until it expires (then 410); four eyes (nobody approves their
 * own); a rejected or cancelled export cannot be downloaded; the report's CSV, the transcripts'
 * masked JSON Lines and the tar of original recordings byte for byte; every step in the audit log.
 * And a server configured without approval.
 */
const api = await startHttpServer();
after(() => api.close());
const { base, app } = api;

type Headers = Record<string, string>;
async function tokenFor(username: string, role: Parameters<typeof app.accounts.createAccount>[0]['role'], scope: { businessLines?: string[] } = {}): Promise<Headers> {
  const a = await app.accounts.createAccount({ username, role, ...scope });
  const { token } = await app.accounts.createToken(a.id, { name: 'test' }, null);
  return { authorization: `Bearer ${token}` };
}

interface ExportView {
  id: string;
  kind: string;
  status: string;
  calls: number;
  callIds?: string[];
  requestedBy: { username: string };
  decidedBy: { username: string } | null;
  decisionNote: string | null;
  downloads: number;
}
interface Created {
  export: ExportView;
  download: { url: string; expiresAt: string } | null;
}
interface ErrorBody {
  error: { code: string; message: string };
}

const send = (who: Headers, method: string, url: string, body?: unknown) =>
  fetch(`${base}${url}`, { method, headers: { ...who, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
const ask = async (who: Headers, body: Record<string, unknown>) => send(who, 'POST', '/api/v1/exports', { reason: '客户投诉复核，需要导出', ...body });
const decide = (who: Headers, id: string, verb: 'approve' | 'reject' | 'cancel', body: unknown = {}) => send(who, 'POST', `/api/v1/exports/${id}/${verb}`, body);

// Calls: two transcripts and a recording in 电商 (the inspector's business line), one in 金融.
const PHONE = '13812345678';
const seg = (speaker: string, startMs: number, text: string) => ({ speaker, startMs, endMs: startMs + 2000, text });
const withPhone = await api.postJson(
  transcriptInput({ ...callInput({ businessLine: '电商', customerPhone: PHONE }), channel: 'chat', segments: [seg('agent', 0, '您好，请问有什么可以帮您'), seg('customer', 2500, `我的手机号是${PHONE}，帮我查一下订单`)] }),
);
const plain = await api.postJson(transcriptInput({ ...callInput({ businessLine: '电商', externalId: '=HYPERLINK("x")' }), channel: 'chat' }));
const outside = await api.postJson(transcriptInput({ ...callInput({ businessLine: '金融' }), channel: 'chat' }));
const wavBytes = freshWav({ seconds: 0.7 });
const recorded = await api.upload(wavBytes, 'rec.wav', callInput({ businessLine: '电商', externalId: 'REC-订单-001' }));
for (const c of [withPhone, plain, outside, recorded]) await api.waitForCall(c.body.call.id, 30_000);
const [c1, c2, c3, cWav] = [withPhone, plain, outside, recorded].map((c) => c.body.call.id);

const inspector = await tokenFor('exp-inspector', 'inspector', { businessLines: ['电商'] });
const inspector2 = await tokenFor('exp-inspector-2', 'inspector', { businessLines: ['电商'] });
const manager = await tokenFor('exp-manager', 'qa_manager');
const manager2 = await tokenFor('exp-manager-2', 'qa_manager');

const audit = async (targetId: string) => (await app.audit.search({ action: 'export.', targetId }, { limit: 200 })).items;
const listOf = async (who: Headers) => (await json<{ items: ExportView[] }>(await send(who, 'GET', '/api/v1/exports'))).items;

/** Moves an approved export's link expiry into the past, in the database itself. */
function expireInDatabase(id: string): void {
  const conn = new SQLite(path.join(app.dataDir, 'tingjian.db'));
  try {
    conn.prepare('update export_requests set link_expires_at = ? where id = ?').run(Date.now() - 1000, id);
  } finally {
    conn.close();
  }
}

/** The entries of a ustar archive: name and bytes. */
function untar(buf: Buffer): Array<{ name: string; bytes: Buffer }> {
  const out = [];
  for (let at = 0; at + 512 <= buf.length; ) {
    const header = buf.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, ''), 8);
    assert.equal(header.subarray(257, 262).toString('ascii'), 'ustar');
    out.push({ name, bytes: buf.subarray(at + 512, at + 512 + size) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe('exports with approval', () => {
  test('an inspector asks, a QA manager approves, the link works for the inspector until it expires, then 410', async () => {
    const res = await ask(inspector, { kind: 'transcripts', callIds: [c1, c2] });
    assert.equal(res.status, 201);
    const created = await json<Created>(res);
    assert.equal(created.export.status, 'pending');
    assert.equal(created.download, null, 'no link before approval');
    assert.deepEqual(created.export.callIds, [c1, c2].sort());
    const id = created.export.id;

    // Nobody approves their own: the inspector lacks the permission; a manager who asked cannot either.
    const own = await decide(inspector, id, 'approve');
    assert.equal(own.status, 403);
    assert.match((await json<ErrorBody>(own)).error.message, /exports:approve/);
    const managersOwn = await json<Created>(await ask(manager, { kind: 'report', callIds: [c3] }));
    const selfApproval = await decide(manager, managersOwn.export.id, 'approve');
    assert.equal(selfApproval.status, 403);
    assert.match((await json<ErrorBody>(selfApproval)).error.message, /you asked for export .* yourself: another person holding exports:approve must approve/);

    // Before approval the download is refused whatever the token.
    assert.equal((await send(inspector, 'GET', `/api/v1/exports/${id}/download?token=guess`)).status, 409);

    const approved = await decide(manager, id, 'approve', { note: '同意，仅限复核使用' });
    assert.equal(approved.status, 200);
    const { export: view, download } = await json<Created>(approved);
    assert.equal(view.status, 'approved');
    assert.equal(view.decidedBy?.username, 'exp-manager');
    assert.match(download!.url, new RegExp(`^/api/v1/exports/${id}/download\\?token=[A-Za-z0-9_-]{43}$`));
    assert.ok(Date.parse(download!.expiresAt) - Date.now() > 55 * 60_000, 'an hour by default');
    assert.equal((await decide(manager2, id, 'approve')).status, 404, 'decided by someone else: no longer in another approver’s view');

    for (const time of [1, 2]) {
      const got = await send(inspector, 'GET', download!.url);
      assert.equal(got.status, 200, `download ${time}`);
      assert.match(got.headers.get('content-type')!, /application\/x-ndjson/);
      assert.match(got.headers.get('content-disposition')!, /attachment; filename="tingjian-transcripts-.*\.jsonl"/);
      const lines = (await got.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as { call: { id: string; customerPhone: string | null }; transcript: { segments: Array<{ text: string }> }; personalData: string });
      assert.deepEqual(lines.map((l) => l.call.id).sort(), [c1, c2].sort());
      const phoneCall = lines.find((l) => l.call.id === c1)!;
      assert.equal(phoneCall.personalData, 'masked', 'an inspector has no pii:view');
      assert.ok(!JSON.stringify(lines).includes(PHONE), 'the phone number is masked everywhere');
      assert.match(phoneCall.transcript.segments[1]!.text, /我的手机号是\*{11}，/);
    }
    assert.equal((await json<ExportView>(await send(inspector, 'GET', `/api/v1/exports/${id}`))).downloads, 2);

    // The link alone is not enough.
    assert.equal((await send(inspector2, 'GET', download!.url)).status, 404, 'another inspector');
    assert.equal((await send(manager, 'GET', download!.url)).status, 403, 'the approver is not the requester');
    assert.equal((await fetch(`${base}${download!.url}`)).status, 401, 'no one signed in');
    const wrongToken = await send(inspector, 'GET', `/api/v1/exports/${id}/download?token=${'A'.repeat(43)}`);
    assert.equal(wrongToken.status, 403);

    expireInDatabase(id);
    const gone = await send(inspector, 'GET', download!.url);
    assert.equal(gone.status, 410);
    assert.match((await json<ErrorBody>(gone)).error.message, /expired .*ask for the export again/);
    assert.equal((await json<ExportView>(await send(inspector, 'GET', `/api/v1/exports/${id}`))).status, 'expired');

    const steps = await audit(id);
    const seen = (action: string, outcome: string) => steps.some((e) => e.action === action && e.outcome === outcome);
    assert.ok(seen('export.request', 'allowed'));
    assert.ok(seen('export.approve', 'denied'), 'the inspector’s own approval attempt');
    assert.ok(seen('export.approve', 'allowed'));
    assert.equal(steps.filter((e) => e.action === 'export.download' && e.outcome === 'allowed').length, 2);
    assert.ok(seen('export.download', 'denied'), 'the other users and the wrong token');
    assert.ok(steps.some((e) => e.action === 'export.download' && (JSON.parse(e.details) as { status: number }).status === 410));
    assert.ok(!steps.some((e) => e.details.includes(download!.url.split('token=')[1]!)), 'the token is never audited');
    assert.ok((await audit(managersOwn.export.id)).some((e) => e.action === 'export.approve' && e.outcome === 'denied'));
  });

  test('a request naming a call outside the data scope is refused like a missing call, and nothing is created', async () => {
    const before = (await listOf(inspector)).length;
    const res = await ask(inspector, { kind: 'transcripts', callIds: [c1, c3] });
    assert.equal(res.status, 404);
    assert.match((await json<ErrorBody>(res)).error.message, new RegExp(`call ${c3} does not exist`));
    assert.equal((await listOf(inspector)).length, before);
    const denied = (await app.audit.search({ action: 'export.request', actor: 'exp-inspector', outcome: 'denied' }, { limit: 10 })).items;
    assert.ok(denied.length >= 1, 'recorded as a denial');
    const byFilter = await ask(inspector, { kind: 'report', filter: { businessLine: '金融' } });
    assert.equal(byFilter.status, 400, 'a filter only ever sees the scope: nothing matches');
  });

  test('a rejected export cannot be downloaded; lists show requesters their own and approvers the pending ones', async () => {
    const { export: e } = await json<Created>(await ask(inspector, { kind: 'report', callIds: [c2] }));
    assert.ok((await listOf(manager2)).some((x) => x.id === e.id), 'pending: every approver sees it');
    assert.ok(!(await listOf(inspector2)).some((x) => x.id === e.id), 'another inspector does not');
    assert.equal((await decide(manager2, e.id, 'reject', {})).status, 400, 'a rejection says why');
    const rejected = await decide(manager2, e.id, 'reject', { note: '理由不充分' });
    assert.equal(rejected.status, 200);
    assert.equal((await json<ExportView>(rejected)).status, 'rejected');
    const dl = await send(inspector, 'GET', `/api/v1/exports/${e.id}/download?token=${'x'.repeat(43)}`);
    assert.equal(dl.status, 403);
    assert.match((await json<ErrorBody>(dl)).error.message, /rejected by exp-manager-2: 理由不充分/);
    assert.equal((await decide(manager2, e.id, 'approve')).status, 409, 'decided once');
    assert.ok(!(await listOf(manager)).some((x) => x.id === e.id), 'decided by someone else');
    assert.ok((await audit(e.id)).some((x) => x.action === 'export.reject' && x.outcome === 'allowed'));
  });

  test('a cancelled export’s link stops working (410)', async () => {
    const { export: e } = await json<Created>(await ask(inspector, { kind: 'transcripts', callIds: [c2] }));
    const { download } = await json<Created>(await decide(manager, e.id, 'approve'));
    assert.equal((await decide(inspector2, e.id, 'cancel')).status, 404, 'only the requester');
    assert.equal((await decide(inspector, e.id, 'cancel')).status, 200);
    assert.equal((await send(inspector, 'GET', download!.url)).status, 410);
    assert.ok((await audit(e.id)).some((x) => x.action === 'export.cancel' && x.outcome === 'allowed'));
  });

  test('the report is CSV with a byte order mark, the header and one row per call', async () => {
    const { export: e } = await json<Created>(await ask(inspector, { kind: 'report', filter: { businessLine: '电商' } }));
    assert.equal(e.calls, 3, 'the three 电商 calls, the recording included');
    const { download } = await json<Created>(await decide(manager, e.id, 'approve'));
    const res = await send(inspector, 'GET', download!.url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /text\/csv; charset=utf-8/);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    assert.equal(lines[0], 'call_id,external_id,agent_id,team_id,business_line,started_at (UTC+08:00),duration_s,score,band,hits,hit_rules');
    assert.equal(lines.length, 1 + 3);
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]).sort(), [c1, c2, cWav].sort());
    assert.ok(lines.some((l) => l.includes(',电商,2025-09-18 10:30:00,')), 'local time at +08:00');
    assert.ok(lines.some((l) => l.includes(`"'=HYPERLINK(""x"")"`)), 'a formula is defused');
  });

  test('an audio export is a tar holding each original recording byte for byte', async () => {
    assert.equal((await ask(inspector, { kind: 'audio', callIds: [cWav] })).status, 403, 'originals need pii:view');
    assert.equal((await ask(manager, { kind: 'audio', callIds: [c1] })).status, 400, 'a transcript-only call has no recording');
    const { export: e } = await json<Created>(await ask(manager, { kind: 'audio', callIds: [cWav] }));
    const { download } = await json<Created>(await decide(manager2, e.id, 'approve'));
    const res = await send(manager, 'GET', download!.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-tar');
    const tar = Buffer.from(await res.arrayBuffer());
    assert.equal(Number(res.headers.get('content-length')), tar.length);
    const entries = untar(tar);
    assert.deepEqual(entries.map((x) => x.name), ['REC-订单-001.wav']);
    assert.equal(sha256(entries[0]!.bytes), sha256(wavBytes));
    const steps = await audit(e.id);
    assert.ok(steps.some((x) => x.action === 'export.download' && x.outcome === 'allowed' && x.actorUsername === 'exp-manager'));
  });
});

describe('exports without approval (exportsRequireApproval=false)', () => {
  test('a request is approved at once by its requester, audited as such, and downloads', async () => {
    const ctx = await testApp({ workers: true, config: { exportsRequireApproval: false, exportLinkMinutes: 5 } });
    const server = await buildServer(ctx);
    await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
      const a = await ctx.accounts.createAccount({ username: 'solo-lead', role: 'team_lead', teamIds: ['T1'] });
      const who = { authorization: `Bearer ${(await ctx.accounts.createToken(a.id, { name: 't' }, null)).token}` };
      const admin = await ctx.accounts.createAccount({ username: 'solo-admin', role: 'admin' });
      const adminAuth = { authorization: `Bearer ${(await ctx.accounts.createToken(admin.id, { name: 't' }, null)).token}`, 'content-type': 'application/json' };
      const call = await json<{ call: { id: string } }>(await fetch(`${url}/api/v1/calls`, { method: 'POST', headers: adminAuth, body: JSON.stringify(transcriptInput(callInput({ teamId: 'T1' }))) }));

      const res = await fetch(`${url}/api/v1/exports`, { method: 'POST', headers: { ...who, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'report', reason: '月度班组报表', callIds: [call.call.id] }) });
      assert.equal(res.status, 201);
      const created = await json<Created>(res);
      assert.equal(created.export.status, 'approved');
      assert.equal(created.export.decidedBy?.username, 'solo-lead');
      assert.match(created.export.decisionNote!, /exportsRequireApproval is false/);
      const expires = Date.parse(created.download!.expiresAt) - Date.now();
      assert.ok(expires > 4 * 60_000 && expires <= 5 * 60_000, 'exportLinkMinutes');
      const dl = await fetch(`${url}${created.download!.url}`, { headers: who });
      assert.equal(dl.status, 200);
      assert.equal((await dl.text()).trimEnd().split('\r\n').length, 2);

      const steps = (await ctx.audit.search({ action: 'export.', targetId: created.export.id }, { limit: 50 })).items;
      const approval = steps.find((e) => e.action === 'export.approve');
      assert.ok(approval, 'the automatic approval has its own entry');
      assert.equal(approval.actorUsername, 'solo-lead');
      assert.equal((JSON.parse(approval.details) as { automatic: boolean }).automatic, true);
      assert.ok(steps.some((e) => e.action === 'export.request' && e.outcome === 'allowed'));
      assert.ok(steps.some((e) => e.action === 'export.download' && e.outcome === 'allowed'));
    } finally {
      await server.close();
      await ctx.close();
    }
  });
});
