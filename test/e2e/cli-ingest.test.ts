import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { callInput, segments, tempDir, transcriptInput, wavBuffer } from '../support/factories.js';
import { allCalls, blobFiles, corruptWav, lineAbout, runCli, said, sha256Of, withDatabase } from '../support/cli.js';

/**
 * `tingjian ingest` as a user runs it: a real child process over a temp data dir, then the same
 * data dir's database opened to check what was stored.
 */
const tmp = tempDir('tingjian-e2e-ingest-');
after(() => tmp.cleanup());
let n = 0;
/** A fresh folder under the test's temp dir. */
const freshDir = (name: string) => {
  const d = path.join(tmp.dir, `${++n}-${name}`);
  mkdirSync(d, { recursive: true });
  return d;
};
const writeJson = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value, null, 2));

/**
 * Two recordings with sidecars and one transcript-only chat — with the names users have: an
 * upper-case extension, Chinese and a space, a JSON file saved with a UTF-8 BOM (Windows tools).
 */
function recordingsFolder(): string {
  const dir = freshDir('calls');
  writeFileSync(path.join(dir, 'rec-a.WAV'), wavBuffer({ seconds: 1.5, seed: 101 }));
  writeJson(
    path.join(dir, 'rec-a.json'),
    callInput({ externalId: 'ing-a', agentId: 'A2001', teamId: 'T-logi', businessLine: '物流', customerTags: ['VIP', '投诉'], extra: { source: 'pbx' } }),
  );
  writeFileSync(path.join(dir, '通话 b.wav'), wavBuffer({ seconds: 1, seed: 102 }));
  writeJson(path.join(dir, '通话 b.json'), callInput({ externalId: 'ing-b', agentId: 'A2002', direction: 'outbound', channelRoles: ['customer', 'agent'] }));
  writeFileSync(path.join(dir, 'chat-c.json'), '\uFEFF' + JSON.stringify(transcriptInput({ externalId: 'ing-c', agentId: 'A2003' })));
  return dir;
}

describe('tingjian ingest <folder>', () => {
  test('recordings with sidecars and a transcript-only JSON are stored once, metadata applied; --wait runs them to done', async () => {
    const dir = recordingsFolder();
    const dataDir = freshDir('data');
    const r = await runCli(['ingest', dir, '--wait'], { dataDir });
    assert.equal(r.code, 0, said(r));
    assert.match(r.stderr, /3 new, 0 already stored, 0 rejected/, said(r));
    // The summary table on stdout: header, then one row per call with its status.
    assert.match(r.stdout, /call 通话\s+agent 坐席/, said(r));
    for (const id of ['ing-a', 'ing-b', 'ing-c']) {
      const row = r.stdout.split('\n').find((l) => l.startsWith(id));
      assert.ok(row, `summary row for ${id}\n${said(r)}`);
      assert.match(row, /\bdone\b/);
    }

    await withDatabase(dataDir, async (db) => {
      const calls = await allCalls(db);
      assert.equal(calls.length, 3);
      assert.ok(calls.every((c) => c.status === 'done'), JSON.stringify(calls.map((c) => [c.externalId, c.status, c.stages])));

      const a = (await db.repos.calls.findByExternalId('ing-a'))!;
      assert.equal(a.agentId, 'A2001');
      assert.equal(a.teamId, 'T-logi');
      assert.equal(a.businessLine, '物流');
      assert.deepEqual(a.customerTags, ['VIP', '投诉']);
      assert.deepEqual(a.extra, { source: 'pbx' });
      assert.equal(a.startedAt, Date.parse('2025-09-18T10:30:00+08:00'));
      assert.equal(a.durationMs, 1500);
      const recA = (await db.repos.recordings.getByCallId(a.id))!;
      assert.equal(recA.sha256, sha256Of(path.join(dir, 'rec-a.WAV')));
      assert.equal(recA.originalName, 'rec-a.WAV');
      assert.equal(recA.format, 'wav');
      assert.deepEqual(recA.channelRoles, ['agent', 'customer'], 'stereo without channelRoles takes the default roles');

      const b = (await db.repos.calls.findByExternalId('ing-b'))!;
      assert.equal(b.direction, 'outbound');
      const recB = (await db.repos.recordings.getByCallId(b.id))!;
      assert.deepEqual(recB.channelRoles, ['customer', 'agent']);
      assert.equal(recB.originalName, '通话 b.wav');

      const c = (await db.repos.calls.findByExternalId('ing-c'))!;
      assert.equal(c.channel, 'chat');
      assert.equal(await db.repos.recordings.getByCallId(c.id), null);
      const transcript = (await db.repos.transcripts.get(c.id))!;
      assert.equal(transcript.engine, 'provided');
      assert.deepEqual(
        transcript.segments.map((s) => s.text),
        segments().map((s) => s.text),
      );
      assert.ok(await db.repos.artifacts.getSignals(c.id), 'signals computed for the transcript');
    });
    const { blobs, staging } = blobFiles(dataDir);
    assert.equal(blobs.length, 2, 'one stored original per recording');
    assert.deepEqual(staging, []);
  });

  test('ingesting the same folder twice keeps one call each; a renamed copy matches by sha256', async () => {
    const dir = recordingsFolder();
    const dataDir = freshDir('data');
    const first = await runCli(['ingest', dir], { dataDir });
    assert.equal(first.code, 0, said(first));
    assert.match(first.stderr, /3 new, 0 already stored, 0 rejected/, said(first));

    // Same files again, plus the same recording under another name and without metadata.
    copyFileSync(path.join(dir, 'rec-a.WAV'), path.join(dir, 'copy-of-a.wav'));
    const second = await runCli(['ingest', dir, '--wait'], { dataDir });
    assert.equal(second.code, 0, said(second));
    assert.match(second.stderr, /0 new, 4 already stored, 0 rejected/, said(second));

    await withDatabase(dataDir, async (db) => {
      const calls = await allCalls(db);
      assert.equal(calls.length, 3);
      assert.deepEqual(calls.map((c) => c.externalId).sort(), ['ing-a', 'ing-b', 'ing-c']);
      assert.ok(calls.every((c) => c.status === 'done'));
    });
    assert.equal(blobFiles(dataDir).blobs.length, 2);
  });
});

describe('tingjian ingest --manifest', () => {
  test('calls.csv: file relative to the manifest, lists as VIP|投诉, extra.* columns, empty cells not given', async () => {
    const work = freshDir('csv');
    const batch = path.join(work, 'batch');
    mkdirSync(path.join(batch, 'rec'), { recursive: true });
    writeFileSync(path.join(batch, 'rec', 'm1.wav'), wavBuffer({ seconds: 1, seed: 201 }));
    writeFileSync(path.join(batch, 'rec', 'm2.wav'), wavBuffer({ seconds: 2, seed: 202, channels: 1 }));
    writeFileSync(
      path.join(batch, 'calls.csv'),
      [
        'file,externalId,agentId,teamId,businessLine,channel,direction,startedAt,customerTags,durationMs,extra.source,extra.campaign',
        'rec/m1.wav,man-1,A3001,T9,金融,phone,outbound,2025-09-18 10:30:00,VIP|投诉,,crm,spring',
        '',
        'rec/m2.wav,man-2,A3002,,金融,phone,inbound,2025-09-18T11:00:00Z,,1999,crm,',
      ].join('\n') + '\n',
    );
    const dataDir = freshDir('data');
    // cwd is the work folder, not the manifest's: `file` must resolve against the manifest.
    const r = await runCli(['ingest', '--manifest', 'batch/calls.csv', '--wait'], { dataDir, cwd: work });
    assert.equal(r.code, 0, said(r));
    assert.match(r.stderr, /2 new, 0 already stored, 0 rejected/, said(r));

    await withDatabase(dataDir, async (db) => {
      assert.equal((await allCalls(db)).length, 2);
      const m1 = (await db.repos.calls.findByExternalId('man-1'))!;
      assert.equal(m1.status, 'done');
      assert.equal(m1.agentId, 'A3001');
      assert.equal(m1.teamId, 'T9');
      assert.equal(m1.businessLine, '金融');
      assert.equal(m1.direction, 'outbound');
      assert.deepEqual(m1.customerTags, ['VIP', '投诉']);
      assert.deepEqual(m1.extra, { source: 'crm', campaign: 'spring' });
      assert.equal(m1.startedAt, Date.parse('2025-09-18T10:30:00+08:00'), 'a time without offset is taken at the default +08:00');
      assert.equal(m1.durationMs, 1000, 'no durationMs cell: the recording decides');
      assert.equal((await db.repos.recordings.getByCallId(m1.id))!.sha256, sha256Of(path.join(batch, 'rec', 'm1.wav')));

      const m2 = (await db.repos.calls.findByExternalId('man-2'))!;
      assert.equal(m2.teamId, null);
      assert.deepEqual(m2.customerTags, []);
      assert.deepEqual(m2.extra, { source: 'crm' });
      assert.equal(m2.startedAt, Date.parse('2025-09-18T11:00:00Z'));
      assert.equal(m2.durationMs, 1999, 'durationMs cell is a number');
      assert.deepEqual((await db.repos.recordings.getByCallId(m2.id))!.channelRoles, ['unknown'], 'mono');
    });
  });

  test('calls.jsonl: one object per line; a row with segments and no file is transcript-only', async () => {
    const work = freshDir('jsonl');
    mkdirSync(path.join(work, 'rec'));
    writeFileSync(path.join(work, 'rec', 'j1.wav'), wavBuffer({ seconds: 1, seed: 301 }));
    const rows = [
      { file: 'rec/j1.wav', externalId: 'jl-1', agentId: 'A4001', customerTags: ['VIP', '投诉'], extra: { source: 'jsonl' }, channelRoles: ['customer', 'agent'] },
      { externalId: 'jl-2', channel: 'chat', agentId: 'A4002', startedAt: 1_758_162_600_000, segments: segments() },
    ];
    // Saved by a Windows tool: UTF-8 BOM and CRLF line ends.
    writeFileSync(path.join(work, 'calls.jsonl'), '\uFEFF' + rows.map((x) => JSON.stringify(x)).join('\r\n') + '\r\n\r\n');
    const dataDir = freshDir('data');
    const r = await runCli(['ingest', '--manifest', path.join(work, 'calls.jsonl'), '--wait'], { dataDir });
    assert.equal(r.code, 0, said(r));
    assert.match(r.stderr, /2 new, 0 already stored, 0 rejected/, said(r));
    assert.match(r.stdout, /jl-1/);
    assert.match(r.stdout, /jl-2/);

    await withDatabase(dataDir, async (db) => {
      assert.equal((await allCalls(db)).length, 2);
      const j1 = (await db.repos.calls.findByExternalId('jl-1'))!;
      assert.equal(j1.agentId, 'A4001');
      assert.deepEqual(j1.customerTags, ['VIP', '投诉']);
      assert.deepEqual(j1.extra, { source: 'jsonl' });
      assert.deepEqual((await db.repos.recordings.getByCallId(j1.id))!.channelRoles, ['customer', 'agent']);
      const j2 = (await db.repos.calls.findByExternalId('jl-2'))!;
      assert.equal(j2.channel, 'chat');
      assert.equal(j2.startedAt, 1_758_162_600_000);
      assert.equal(j2.status, 'done');
      assert.equal(await db.repos.recordings.getByCallId(j2.id), null);
      assert.equal((await db.repos.transcripts.get(j2.id))!.segments.length, 3);
    });
    assert.equal(blobFiles(dataDir).blobs.length, 1);
  });
});

describe('tingjian ingest: bad inputs', () => {
  test('a folder with damaged files: each is named with its problem, the good ones are stored, nothing of the bad ones is', async () => {
    const dir = freshDir('mixed');
    const put = (name: string, data: Buffer | string) => writeFileSync(path.join(dir, name), data);
    put('good.wav', wavBuffer({ seconds: 1, seed: 401 }));
    writeJson(path.join(dir, 'good.json'), callInput({ externalId: 'good-1' }));
    writeJson(path.join(dir, 'chat.json'), transcriptInput({ externalId: 'good-chat' }));
    put('corrupt.wav', corruptWav(wavBuffer({ seconds: 1, seed: 402 })));
    writeJson(path.join(dir, 'corrupt.json'), callInput({ externalId: 'bad-corrupt' }));
    put('trunc.wav', wavBuffer({ seconds: 1, seed: 403 }).subarray(0, 3000));
    put('empty.wav', Buffer.alloc(0));
    put('text.mp3', 'this is a text file, not an MP3\n');
    put('typo.wav', wavBuffer({ seconds: 1, seed: 404 }));
    writeJson(path.join(dir, 'typo.json'), { ...callInput({ externalId: 'bad-typo' }), agnetId: 'A1' });
    put('notjson.wav', wavBuffer({ seconds: 1, seed: 405 }));
    put('notjson.json', '{ "externalId": "bad-notjson", ');
    writeJson(path.join(dir, 'badseg.json'), transcriptInput({ externalId: 'bad-seg', segments: [{ speaker: 'agent', startMs: 900, endMs: 100, text: '您好' }] }));
    put('notes.txt', 'not a call');

    const dataDir = freshDir('data');
    const r = await runCli(['ingest', dir, '--wait'], { dataDir });
    assert.equal(r.code, 1, said(r));
    assert.match(r.stderr, /2 new, 0 already stored, 7 rejected/, said(r));

    const expect = (name: string, ...parts: RegExp[]) => {
      const line = lineAbout(r.stderr, name);
      assert.ok(line, `no error line names ${name}\n${said(r)}`);
      for (const p of parts) assert.match(line, p, `line about ${name}`);
    };
    // The recording is named (not only its sidecar), with the error code and what is wrong.
    expect('corrupt.wav', /INVALID_AUDIO/, /not a valid WAV/);
    expect('trunc.wav', /INVALID_AUDIO/, /truncated/);
    expect('empty.wav', /EMPTY_UPLOAD/, /0 bytes/);
    expect('text.mp3', /UNSUPPORTED_FORMAT/, /plain text/);
    expect('typo.wav', /typo\.json/, /INVALID_METADATA/, /agnetId: unknown field/);
    expect('notjson.wav', /notjson\.json/, /INVALID_METADATA/, /not valid JSON/);
    expect('badseg.json', /INVALID_TRANSCRIPT/, /endMs/);
    assert.match(r.stderr, /skipped .*notes\.txt/);
    // The summary still lists the good calls.
    assert.match(r.stdout, /good-1/);
    assert.match(r.stdout, /good-chat/);

    await withDatabase(dataDir, async (db) => {
      const calls = await allCalls(db);
      assert.deepEqual(calls.map((c) => c.externalId).sort(), ['good-1', 'good-chat']);
      assert.ok(calls.every((c) => c.status === 'done'));
    });
    const { blobs, staging } = blobFiles(dataDir);
    assert.deepEqual(
      blobs.map((b) => path.basename(b)),
      [sha256Of(path.join(dir, 'good.wav'))],
      'only the good recording is stored',
    );
    assert.deepEqual(staging, [], 'no staging leftovers');
  });

  test('a manifest with a missing file and a bad value: those rows are rejected by line, the rest stored', async () => {
    const work = freshDir('bad-manifest');
    writeFileSync(path.join(work, 'ok.wav'), wavBuffer({ seconds: 1, seed: 501 }));
    writeFileSync(path.join(work, 'fax.wav'), wavBuffer({ seconds: 1, seed: 502 }));
    writeFileSync(
      path.join(work, 'calls.csv'),
      ['file,externalId,channel,agentId', 'ok.wav,mf-ok,phone,A1', 'rec/missing.wav,mf-missing,phone,A2', 'fax.wav,mf-fax,fax,A3', ',mf-nofile,phone,A4'].join('\n'),
    );
    const dataDir = freshDir('data');
    const r = await runCli(['ingest', '--manifest', path.join(work, 'calls.csv')], { dataDir });
    assert.equal(r.code, 1, said(r));
    assert.match(r.stderr, /1 new, 0 already stored, 3 rejected/, said(r));
    const missing = lineAbout(r.stderr, 'calls.csv:3');
    assert.match(missing, /missing\.wav/, said(r));
    assert.match(missing, /NOT_FOUND/);
    assert.match(missing, /does not exist/);
    const fax = lineAbout(r.stderr, 'calls.csv:4');
    assert.match(fax, /fax\.wav/, said(r));
    assert.match(fax, /INVALID_METADATA/);
    assert.match(fax, /channel/);
    const noFile = lineAbout(r.stderr, 'calls.csv:5');
    assert.match(noFile, /INVALID_METADATA/, said(r));
    assert.match(noFile, /"file"/);

    await withDatabase(dataDir, async (db) => {
      assert.deepEqual((await allCalls(db)).map((c) => c.externalId), ['mf-ok']);
    });
    const { blobs, staging } = blobFiles(dataDir);
    assert.deepEqual(blobs.map((b) => path.basename(b)), [sha256Of(path.join(work, 'ok.wav'))]);
    assert.deepEqual(staging, []);
  });

  test('a JSONL manifest with a broken line and a bad value: rejected by line, the rest stored', async () => {
    const work = freshDir('bad-jsonl');
    writeFileSync(path.join(work, 'ok.wav'), wavBuffer({ seconds: 1, seed: 601 }));
    writeFileSync(
      path.join(work, 'calls.jsonl'),
      [
        JSON.stringify({ file: 'ok.wav', externalId: 'jb-ok' }),
        '{"file": "ok2.wav", ',
        JSON.stringify({ externalId: 'jb-fax', channel: 'fax', segments: segments() }),
        JSON.stringify({ externalId: 'jb-chat', channel: 'chat', segments: segments() }),
      ].join('\n'),
    );
    const dataDir = freshDir('data');
    const r = await runCli(['ingest', '--manifest', path.join(work, 'calls.jsonl')], { dataDir });
    assert.equal(r.code, 1, said(r));
    assert.match(r.stderr, /2 new, 0 already stored, 2 rejected/, said(r));
    assert.match(lineAbout(r.stderr, 'calls.jsonl:2'), /INVALID_METADATA: not valid JSON/, said(r));
    assert.match(lineAbout(r.stderr, 'calls.jsonl:3'), /INVALID_METADATA: .*channel/, said(r));
    await withDatabase(dataDir, async (db) => {
      assert.deepEqual((await allCalls(db)).map((c) => c.externalId).sort(), ['jb-chat', 'jb-ok']);
    });
  });

  test('a path that does not exist: exit 2, the path named, no data dir created', async () => {
    const dataDir = path.join(tmp.dir, 'never-created');
    const missing = path.join(tmp.dir, 'no-such-folder');
    const r = await runCli(['ingest', missing], { dataDir });
    assert.equal(r.code, 2, said(r));
    assert.match(r.stderr, /^error NOT_FOUND: .*no-such-folder does not exist/m, said(r));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(dataDir), false);

    const m = await runCli(['ingest', '--manifest', path.join(tmp.dir, 'no-such.csv')], { dataDir });
    assert.equal(m.code, 2, said(m));
    assert.match(m.stderr, /^error ENOENT: no such file or directory.*no-such\.csv/m, said(m));
    assert.doesNotMatch(m.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(dataDir), false);
  });

  test('bad --timeout / --concurrency: exit 2 before anything is read or stored', async () => {
    const dataDir = path.join(tmp.dir, 'never-created-3');
    const dir = recordingsFolder();
    const t = await runCli(['ingest', dir, '--wait', '--timeout', 'soon'], { dataDir });
    assert.equal(t.code, 2, said(t));
    assert.match(t.stderr, /^error INVALID_REQUEST: --timeout must be a positive number of seconds, not "soon"/m);
    const c = await runCli(['ingest', dir, '--concurrency', '0'], { dataDir });
    assert.equal(c.code, 2, said(c));
    assert.match(c.stderr, /^error INVALID_REQUEST: --concurrency must be a whole number/m);
    const roles = await runCli(['ingest', dir, '--channel-roles', 'customer,caller'], { dataDir });
    assert.equal(roles.code, 2, said(roles));
    assert.match(roles.stderr, /^error INVALID_REQUEST: --channel-roles lists one of agent, customer, unknown per channel, e.g. customer,agent; "caller" is not/m);
    assert.equal(existsSync(dataDir), false);
  });

  test('--channel-roles: a source wired the other way round; metadata channelRoles still wins', async () => {
    const dir = freshDir('roles');
    writeFileSync(path.join(dir, 'flag.wav'), wavBuffer({ seconds: 1, seed: 131 }));
    writeJson(path.join(dir, 'flag.json'), callInput({ externalId: 'roles-flag' }));
    writeFileSync(path.join(dir, 'own.wav'), wavBuffer({ seconds: 1, seed: 132 }));
    writeJson(path.join(dir, 'own.json'), callInput({ externalId: 'roles-own', channelRoles: ['agent', 'customer'] }));
    const dataDir = path.join(dir, 'data');
    const r = await runCli(['ingest', dir, '--channel-roles', 'customer,agent'], { dataDir });
    assert.equal(r.code, 0, said(r));
    await withDatabase(dataDir, async (db) => {
      const rolesOf = async (externalId: string) => (await db.repos.recordings.getByCallId((await db.repos.calls.findByExternalId(externalId))!.id))!.channelRoles;
      assert.deepEqual(await rolesOf('roles-flag'), ['customer', 'agent'], 'from the flag');
      assert.deepEqual(await rolesOf('roles-own'), ['agent', 'customer'], 'from its sidecar');
    });
  });

  test('nothing to ingest: exit 2', async () => {
    const dataDir = path.join(tmp.dir, 'never-created-2');
    const none = await runCli(['ingest'], { dataDir });
    assert.equal(none.code, 2, said(none));
    assert.match(none.stderr, /nothing to ingest/);

    const empty = freshDir('empty');
    writeFileSync(path.join(empty, 'readme.txt'), 'no calls here');
    const r = await runCli(['ingest', empty], { dataDir });
    assert.equal(r.code, 2, said(r));
    assert.match(r.stderr, /skipped .*readme\.txt/);
    assert.match(r.stderr, /nothing to ingest/);
    assert.equal(existsSync(dataDir), false);

    // Only unusable inputs: each is reported, and the run fails like a batch with rejections.
    const onlyBad = freshDir('only-bad');
    writeFileSync(path.join(onlyBad, 'x.wav'), wavBuffer({ seconds: 1, seed: 701 }));
    writeFileSync(path.join(onlyBad, 'x.json'), 'not json');
    const b = await runCli(['ingest', onlyBad], { dataDir });
    assert.equal(b.code, 1, said(b));
    assert.match(lineAbout(b.stderr, 'x.wav'), /INVALID_METADATA: .*not valid JSON/, said(b));
  });
});

describe('tingjian ingest: 200 calls', () => {
  test('200 recordings with sidecars → exactly 200 calls, all done; again → still 200', async (t) => {
    const dir = freshDir('bulk');
    const started = Date.now();
    for (let i = 0; i < 200; i++) {
      const name = `bulk-${String(i).padStart(3, '0')}`;
      writeFileSync(path.join(dir, `${name}.wav`), wavBuffer({ seconds: 0.5, seed: 10_000 + i }));
      writeJson(path.join(dir, `${name}.json`), callInput({ externalId: name, agentId: `A${1000 + (i % 7)}` }));
    }
    const generatedMs = Date.now() - started;
    const dataDir = freshDir('data');

    const first = await runCli(['ingest', dir, '--wait', '--concurrency', '4'], { dataDir, timeoutMs: 60_000 });
    assert.equal(first.code, 0, said(first));
    assert.match(first.stderr, /200 new, 0 already stored, 0 rejected/, said(first));
    assert.equal(first.stdout.split('\n').filter((l) => /^bulk-\d{3}\s.*\bdone\b/.test(l)).length, 200, 'one done row per call');

    const second = await runCli(['ingest', dir, '--wait', '--concurrency', '4'], { dataDir, timeoutMs: 60_000 });
    assert.equal(second.code, 0, said(second));
    assert.match(second.stderr, /0 new, 200 already stored, 0 rejected/, said(second));

    await withDatabase(dataDir, async (db) => {
      const calls = await allCalls(db);
      assert.equal(calls.length, 200);
      assert.equal(new Set(calls.map((c) => c.externalId)).size, 200);
      assert.ok(calls.every((c) => c.status === 'done'));
      assert.equal(await db.repos.calls.count({ status: 'done' }), 200);
    });
    const { blobs, staging } = blobFiles(dataDir);
    assert.equal(blobs.length, 200);
    assert.deepEqual(staging, []);

    const line = `200 calls: generate ${generatedMs} ms, ingest --wait ${first.ms} ms, re-ingest ${second.ms} ms`;
    t.diagnostic(line);
    assert.ok(first.ms + second.ms < 60_000, line);
  });
});
