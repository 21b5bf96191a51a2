import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { TINGJIAN_VERSION } from '../../src/version.js';
import { tempDir } from '../support/factories.js';
import { allCalls, childEnv, longRunning, REPO_ROOT, runCli, said, withDatabase } from '../support/cli.js';

/** `tingjian demo` and `tingjian serve` as a user runs them. */
const tmp = tempDir('tingjian-e2e-demo-');
after(() => tmp.cleanup());

const samplesDir = path.join(REPO_ROOT, 'samples', 'calls');
/** The externalIds the bundled samples declare, read from their sidecars. */
const sampleIds = readdirSync(samplesDir)
  .filter((f) => f.endsWith('.json') && existsSync(path.join(samplesDir, f.replace(/\.json$/, '.wav'))))
  .map((f) => (JSON.parse(readFileSync(path.join(samplesDir, f), 'utf8')) as { externalId: string }).externalId)
  .sort();


describe('tingjian demo', () => {
  const dataDir = path.join(tmp.dir, 'demo-data');
  let adminPassword = '';

  test('--no-serve: ingests every sample, runs the pipeline, prints progress and the summary', async () => {
    assert.ok(sampleIds.length > 0, 'samples/calls has calls');
    const r = await runCli(['demo', '--no-serve', '--data-dir', dataDir], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, said(r));
    assert.ok(r.stderr.includes(`Tingjian demo: ${sampleIds.length} sample calls → ${dataDir}`), said(r));
    // The first administrator is created with a generated password, printed this once.
    const admin = /user: admin {2}password: (\S+)/.exec(r.stdout);
    assert.ok(admin, said(r));
    adminPassword = admin[1]!;
    // Not a TTY: the bars print lines (no carriage-return redraws), starting at 0 and ending at 100 %.
    const n = sampleIds.length;
    assert.match(r.stderr, new RegExp(`^ingest +\\[░+\\] 0/${n} +0% `, 'm'), said(r));
    assert.match(r.stderr, new RegExp(`^ingest +\\[█+\\] ${n}/${n} 100% .*${n} new, 0 already stored, 0 rejected$`, 'm'), said(r));
    assert.match(r.stderr, new RegExp(`^pipeline +\\[█+\\] ${n}/${n} 100% `, 'm'), said(r));
    assert.ok(!r.stderr.includes('\r') && !r.stderr.includes('\u001b['), 'no terminal control codes when not a TTY');

    assert.match(r.stdout, /call 通话\s+agent 坐席\s+line 业务线\s+dur 时长\s+status 状态/);
    const rows = r.stdout.split('\n');
    for (const id of sampleIds) {
      const row = rows.find((l) => l.startsWith(`${id} `));
      assert.ok(row, `summary row for ${id}\n${said(r)}`);
      assert.match(row, /\bdone\b/, row);
    }

    await withDatabase(dataDir, async (db) => {
      const calls = await allCalls(db);
      assert.deepEqual(calls.map((c) => c.externalId).sort(), sampleIds);
      assert.ok(
        calls.every((c) => c.status === 'done'),
        JSON.stringify(calls.filter((c) => c.status !== 'done')),
      );
      for (const c of calls) assert.ok(await db.repos.artifacts.getSignals(c.id), `signals for ${c.externalId}`);
    });
  });

  test('--no-serve again on the same data dir: nothing new, same calls', async () => {
    const r = await runCli(['demo', '--no-serve', '--data-dir', dataDir], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, said(r));
    assert.match(r.stderr, new RegExp(`0 new, ${sampleIds.length} already stored, 0 rejected`), said(r));
    assert.doesNotMatch(r.stdout, /password/, 'the password is printed only when the account is created');
    await withDatabase(dataDir, async (db) => {
      assert.equal(await db.repos.calls.count({}), sampleIds.length);
      assert.equal(await db.repos.calls.count({ status: 'done' }), sampleIds.length);
    });
  });

  test('demo then serve (--port 0): the API lists the sample calls; SIGTERM exits 0', async () => {
    const demo = longRunning(['demo', '--port', '0', '--data-dir', dataDir]);
    try {
      const [, base] = await demo.waitFor(/Tingjian API: (http:\/\/\S+)\/api\/v1\/calls/, 60_000);
      assert.equal((await fetch(`${base!}/api/v1/calls?limit=500`)).status, 401, 'no data without signing in');
      const login = await fetch(`${base!}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: adminPassword }) });
      assert.equal(login.status, 200, await login.clone().text());
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const res = await fetch(`${base!}/api/v1/calls?limit=500`, { headers: { cookie } });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { items: Array<{ externalId: string; status: string }> };
      assert.deepEqual(body.items.map((c) => c.externalId).sort(), sampleIds);
      assert.ok(body.items.every((c) => c.status === 'done'));
      const exit = await demo.stop('SIGTERM', 5000);
      assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, demo.output());
      assert.ok(exit.ms < 5000, `stopped in ${exit.ms} ms`);
    } finally {
      demo.kill();
    }
  });
});

describe('tingjian serve', () => {
  test('--port 0 prints the real address; /api/v1/health answers; SIGTERM exits 0 within 5 s', async (t) => {
    const dataDir = path.join(tmp.dir, 'serve-data');
    const server = longRunning(['serve', '--port', '0'], { dataDir });
    try {
      const [, base] = await server.waitFor(/API on (http:\/\/127\.0\.0\.1:(\d+))/, 30_000);
      assert.doesNotMatch(base!, /:0$/, 'the real port, not 0');
      assert.match(server.output(), new RegExp(`data in ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      const res = await fetch(`${base!}/api/v1/health`);
      assert.equal(res.status, 200);
      const health = (await res.json()) as { status: string; version: string; database: string; workers: boolean };
      assert.deepEqual({ ...health, uptimeS: undefined }, { status: 'ok', version: TINGJIAN_VERSION, database: 'sqlite', workers: true, uptimeS: undefined, asr: { engine: 'none', state: 'none' } });
      assert.ok(existsSync(path.join(dataDir, 'tingjian.db')), 'the database is in the data dir');

      const exit = await server.stop('SIGTERM', 5000);
      t.diagnostic(`serve stopped ${exit.ms} ms after SIGTERM`);
      assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, server.output());
      assert.ok(exit.ms < 5000, `stopped in ${exit.ms} ms`);
    } finally {
      server.kill();
    }
  });
});

describe('bin/tingjian.js', () => {
  test('runs the source through tsx when there is no build', async () => {
    // A package layout without dist/ (the checkout may have a build): bin/ copied, the rest linked.
    const pkg = path.join(tmp.dir, 'pkg-without-build');
    mkdirSync(path.join(pkg, 'bin'), { recursive: true });
    copyFileSync(path.join(REPO_ROOT, 'bin', 'tingjian.js'), path.join(pkg, 'bin', 'tingjian.js'));
    for (const entry of ['src', 'node_modules', 'package.json', 'samples']) symlinkSync(path.join(REPO_ROOT, entry), path.join(pkg, entry));
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(pkg, 'bin', 'tingjian.js'), '--version'], { cwd: tmp.dir, env: childEnv() });
    assert.equal(stdout.trim(), TINGJIAN_VERSION);
  });
});
