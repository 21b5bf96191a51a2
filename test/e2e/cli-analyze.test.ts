import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { analysisDocumentSchema, type AnalysisDocument } from '../../src/analyze/analysis-document.schema.js';
import { callInput, segments, tempDir, wavBuffer } from '../support/factories.js';
import { allCalls, corruptWav, REPO_ROOT, runCli, said, sha256Of, withDatabase, type CliResult } from '../support/cli.js';

/**
 * `tingjian analyze` as a user runs it: one file in, one document out, nothing stored. Each run
 * has a fresh temp folder as cwd and no TINGJIAN_DATA_DIR, so a stray ./data would show.
 */
const tmp = tempDir('tingjian-e2e-analyze-');
after(() => tmp.cleanup());
let n = 0;
const freshDir = () => {
  const d = path.join(tmp.dir, String(++n));
  mkdirSync(d);
  return d;
};

/** Analyze in `cwd`, and prove the run stored nothing: no ./data, no file added to the folder. */
async function analyze(cwd: string, args: string[]): Promise<CliResult> {
  const before = readdirSync(cwd).sort();
  const r = await runCli(['analyze', ...args], { cwd });
  assert.equal(existsSync(path.join(cwd, 'data')), false, 'analyze must not create a data dir');
  assert.deepEqual(readdirSync(cwd).sort(), before, 'analyze must not write anything');
  return r;
}

function parseDoc(r: CliResult): AnalysisDocument {
  assert.equal(r.code, 0, said(r));
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch (e) {
    assert.fail(`stdout is not JSON (${(e as Error).message})\n${said(r)}`);
  }
  return analysisDocumentSchema.parse(json);
}

/**
 * A call with a deliberate 12 s dead-air gap (12000–24000), the agent cutting in on the customer
 * at 7000 and the customer cutting in on the agent at 32500. Given out of order on purpose.
 */
const gapTranscript = {
  externalId: 'an-gap-1',
  agentId: 'A5001',
  businessLine: '电商客服',
  startedAt: '2025-09-18T10:30:00+08:00',
  durationMs: 39_000,
  segments: [
    { speaker: 'customer', startMs: 24_000, endMs: 30_000, text: '好的，谢谢你。' },
    { speaker: 'agent', startMs: 500, endMs: 3500, text: '您好，很高兴为您服务。' },
    { speaker: 'customer', startMs: 4000, endMs: 9000, text: '我买的面膜过敏了，想退货。' },
    { speaker: 'agent', startMs: 7000, endMs: 12_000, text: '非常抱歉，我马上为您处理。' },
    { speaker: 'customer', startMs: 32_500, endMs: 34_000, text: '没有了。' },
    { speaker: 'agent', startMs: 31_000, endMs: 38_000, text: '请问还有什么可以帮您的吗？' },
  ],
};

describe('tingjian analyze <transcript.json>', () => {
  test('--json prints a valid analysis document: sorted segments, exact signals, no inspection with --no-rules, nothing stored', async () => {
    const cwd = freshDir();
    writeFileSync(path.join(cwd, 'call.json'), JSON.stringify(gapTranscript));
    const doc = parseDoc(await analyze(cwd, ['call.json', '--json', '--no-rules']));

    assert.equal(doc.call.externalId, 'an-gap-1');
    assert.equal(doc.call.agentId, 'A5001');
    assert.equal(doc.call.startedAt, '2025-09-18T02:30:00.000Z');
    assert.equal(doc.call.durationMs, 39_000);
    assert.equal(doc.recording ?? null, null);
    assert.equal(doc.inspection, null);

    const segs = doc.transcript!.segments;
    assert.equal(doc.transcript!.engine, 'provided');
    assert.deepEqual(
      segs.map((s) => [s.index, s.speaker, s.startMs]),
      [
        [0, 'agent', 500],
        [1, 'customer', 4000],
        [2, 'agent', 7000],
        [3, 'customer', 24_000],
        [4, 'agent', 31_000],
        [5, 'customer', 32_500],
      ],
    );

    const s = doc.signals!;
    assert.equal(s.source, 'transcript');
    assert.equal(s.durationMs, 39_000);
    assert.deepEqual(s.talkMs, { agent: 3000 + 5000 + 7000, customer: 5000 + 6000 + 1500 });
    assert.deepEqual(s.silence, { totalMs: 12_000, longestMs: 12_000, spans: [{ startMs: 12_000, endMs: 24_000 }] });
    assert.deepEqual(s.overlaps, [
      { startMs: 7000, endMs: 9000, by: 'agent' },
      { startMs: 32_500, endMs: 34_000, by: 'customer' },
    ]);
    assert.deepEqual(s.interruptions, { agent: 1, customer: 1 });
    assert.ok(s.speechRate.agent! > 0 && s.speechRate.customer! > 0);

    // What the words mean: per-segment sentiment, the customer's curve, topics, summary, PII spans.
    const t = doc.text!;
    assert.deepEqual(t.segments.map((x) => x.index), [0, 1, 2, 3, 4, 5]);
    assert.equal(t.segments[1]!.sentiment.label, 'negative', '面膜过敏了，想退货');
    assert.equal(t.curve.points.length, 3, 'customer segments only');
    assert.ok(t.topics.some((x) => x.id === 'refund-return'), JSON.stringify(t.topics));
    assert.equal(t.summary.problem?.segmentIndex, 1);
    assert.deepEqual(t.pii, []);
  });

  test('without --json: a human summary with duration and talk lines (a JSON saved with a BOM reads too)', async () => {
    const cwd = freshDir();
    writeFileSync(path.join(cwd, 'call.json'), '\uFEFF' + JSON.stringify(gapTranscript));
    const r = await analyze(cwd, ['call.json']);
    assert.equal(r.code, 0, said(r));
    assert.match(r.stdout, /^call\s+an-gap-1\s+agent A5001/m, said(r));
    assert.match(r.stdout, /^duration\s+0:39$/m, said(r));
    assert.match(r.stdout, /^segments\s+6$/m, said(r));
    assert.match(r.stdout, /^talk\s+agent 0:15\s+customer 0:13; silence 0:12 \(longest 0:12\); interruptions agent 1 customer 1$/m, said(r));
  });
});

describe('tingjian analyze <recording>', () => {
  test('a WAV without sidecar: recording facts and sha256, no transcript, no signals', async () => {
    const cwd = freshDir();
    const wav = path.join(cwd, 'call.wav');
    writeFileSync(wav, wavBuffer({ seconds: 2, sampleRate: 16_000, channels: 2, seed: 801 }));
    const doc = parseDoc(await analyze(cwd, [wav, '--json']));
    assert.deepEqual(doc.recording, {
      format: 'wav',
      codec: 'pcm_s16le',
      sampleRate: 16_000,
      channels: 2,
      channelRoles: ['agent', 'customer'],
      durationMs: 2000,
      sha256: sha256Of(wav),
      sizeBytes: statSync(wav).size,
      originalName: 'call.wav',
    });
    assert.equal(doc.call.externalId, null);
    assert.equal(doc.call.durationMs, 2000);
    assert.equal(doc.transcript, null, 'no transcript came with it and no ASR engine is configured');
    assert.equal(doc.signals?.source, 'audio', 'the audio is measured all the same');
    assert.equal(doc.signals?.durationMs, 2000);
    assert.equal(doc.inspection?.ruleSetVersion, null, 'judged with the built-in templates, no stored version');
    const textRule = doc.inspection!.results.find((r) => r.ruleId === 'general.greeting')!;
    assert.equal(textRule.outcome, 'na', 'no transcript: a text rule cannot be judged, it is not passed');

    const human = await analyze(cwd, ['call.wav']);
    assert.equal(human.code, 0, said(human));
    assert.match(human.stdout, /^duration\s+0:02\s+wav\/pcm_s16le 16000 Hz × 2$/m, said(human));
    assert.match(human.stdout, /^speech\s+\d+ spans measured from the audio; holds 0$/m, said(human));
  });

  test('a WAV whose sidecar carries segments: metadata, transcript and signals filled', async () => {
    const cwd = freshDir();
    writeFileSync(path.join(cwd, 'c1.wav'), wavBuffer({ seconds: 12.5, channels: 1, seed: 802 }));
    writeFileSync(path.join(cwd, 'c1.json'), JSON.stringify({ ...callInput({ externalId: 'an-side-1', agentId: 'A5002' }), segments: segments() }));
    const doc = parseDoc(await analyze(cwd, ['c1.wav', '--json']));
    assert.equal(doc.call.externalId, 'an-side-1');
    assert.equal(doc.call.agentId, 'A5002');
    assert.equal(doc.call.durationMs, 12_500);
    assert.equal(doc.recording!.channels, 1);
    assert.deepEqual(doc.recording!.channelRoles, ['unknown']);
    assert.equal(doc.transcript!.segments.length, 3);
    assert.equal(doc.signals!.durationMs, 12_500);
    assert.deepEqual(doc.signals!.talkMs, { agent: 3000 + 3500, customer: 4000 });
  });

  test('a bundled sample: externalId from its sidecar, signals computed', async () => {
    const samples = path.join(REPO_ROOT, 'samples', 'calls');
    const wavName = readdirSync(samples).filter((f) => f.endsWith('.wav')).sort()[0]!;
    const wav = path.join(samples, wavName);
    const sidecar = JSON.parse(readFileSync(wav.replace(/\.wav$/, '.json'), 'utf8')) as { externalId: string; segments: unknown[] };
    const doc = parseDoc(await analyze(freshDir(), [wav, '--json']));
    assert.equal(doc.call.externalId, sidecar.externalId);
    assert.equal(doc.recording!.sha256, sha256Of(wav));
    assert.equal(doc.recording!.originalName, wavName);
    assert.equal(doc.transcript!.segments.length, sidecar.segments.length);
    assert.notEqual(doc.signals, null);
    assert.ok(doc.signals!.talkMs.agent > 0 && doc.signals!.talkMs.customer > 0);
  });
});

describe('tingjian analyze: errors exit 2 with `error CODE: message` on stderr', () => {
  const expectError = (r: CliResult, pattern: RegExp) => {
    assert.equal(r.code, 2, said(r));
    assert.match(r.stderr, pattern, said(r));
    assert.equal(r.stdout, '', 'nothing on stdout');
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  };

  test('a corrupt WAV → INVALID_AUDIO', async () => {
    const cwd = freshDir();
    writeFileSync(path.join(cwd, 'bad.wav'), corruptWav(wavBuffer({ seconds: 1, seed: 803 })));
    expectError(await analyze(cwd, ['bad.wav', '--json']), /^error INVALID_AUDIO: not a valid WAV/m);
  });

  test('a JSON without segments → INVALID_TRANSCRIPT', async () => {
    const cwd = freshDir();
    writeFileSync(path.join(cwd, 'meta.json'), JSON.stringify(callInput({ externalId: 'no-segments' })));
    expectError(await analyze(cwd, ['meta.json']), /^error INVALID_TRANSCRIPT: .*meta\.json has no "segments"/m);
  });

  test('a sidecar with a misspelt field → INVALID_METADATA naming it', async () => {
    const cwd = freshDir();
    writeFileSync(path.join(cwd, 'c.wav'), wavBuffer({ seconds: 1, seed: 804 }));
    writeFileSync(path.join(cwd, 'c.json'), JSON.stringify({ agnetId: 'A1' }));
    expectError(await analyze(cwd, ['c.wav']), /^error INVALID_METADATA: .*agnetId: unknown field/m);
  });

  test('a file that does not exist → its name, no stack trace', async () => {
    expectError(await analyze(freshDir(), ['missing.wav']), /^error ENOENT: no such file or directory.*missing\.wav/m);
    // Not "is not valid JSON": the file is not there at all.
    expectError(await analyze(freshDir(), ['missing.json']), /^error ENOENT: no such file or directory.*missing\.json/m);
  });

  test('--rules judges with the given rule file and shows the hits with evidence; a broken rule file names its line', async () => {
    const cwd = freshDir();
    writeFileSync(path.join(cwd, 'call.json'), JSON.stringify(gapTranscript));
    writeFileSync(
      path.join(cwd, 'rules.yaml'),
      ['module: mine', 'name: 我的规则', 'rules:', '  - id: refund', '    name: 退货诉求', '    when: {keywords: [退货], speaker: customer}', '  - id: sorry', '    name: 致歉', '    type: required', '    when: {keywords: [抱歉], speaker: agent}', ''].join('\n'),
    );
    const doc = parseDoc(await analyze(cwd, ['call.json', '--json', '--rules', 'rules.yaml']));
    assert.equal(doc.inspection!.ruleSetVersion, null);
    assert.deepEqual(
      doc.inspection!.results.map((r) => [r.ruleId, r.outcome]),
      [
        ['mine.refund', 'hit'],
        ['mine.sorry', 'pass'],
      ],
    );
    const ev = doc.inspection!.results[0]!.evidence[0]!;
    assert.equal(ev.text.slice(ev.spans[0]!.start, ev.spans[0]!.end), '退货');
    assert.equal(doc.inspection!.score, null, 'no scorecard in these rules');
    const human = await analyze(cwd, ['call.json', '--rules', 'rules.yaml']);
    assert.match(human.stdout, /✗ 退货诉求 \(mine\.refund\)/, said(human));
    assert.match(human.stdout, /想【退货】/, said(human));

    writeFileSync(path.join(cwd, 'bad.yaml'), 'module: mine\nname: x\nrules:\n  - id: a\n    name: A\n    when: {keyword: [退货]}\n');
    expectError(await analyze(cwd, ['call.json', '--rules', 'bad.yaml']), /^error INVALID_RULES: the rule files have 1 problem:\nbad\.yaml:6:\d+ rules\[0\]\.when: a condition needs one of: keywords/m);
  });

  test('without --rules the built-in templates judge the call, with a score', async () => {
    const cwd = freshDir();
    writeFileSync(path.join(cwd, 'call.json'), JSON.stringify(gapTranscript));
    const doc = parseDoc(await analyze(cwd, ['call.json', '--json']));
    assert.equal(doc.inspection!.ruleSetVersion, null);
    assert.ok(doc.inspection!.results.some((r) => r.ruleId === 'general.greeting'));
    assert.ok(doc.inspection!.score, 'the default scorecard scores it');
  });
});

describe('tingjian analyze agrees with what ingest stores', () => {
  test('the same transcript (no durationMs) and recording+sidecar give the same call duration and signals', async () => {
    const cwd = freshDir();
    const { durationMs: _d, ...noDuration } = gapTranscript;
    writeFileSync(path.join(cwd, 'chat.json'), JSON.stringify({ ...noDuration, externalId: 'agree-chat' }));
    writeFileSync(path.join(cwd, 'rec.wav'), wavBuffer({ seconds: 13, channels: 1, seed: 805 }));
    writeFileSync(path.join(cwd, 'rec.json'), JSON.stringify({ ...callInput({ externalId: 'agree-rec' }), segments: segments() }));
    const chat = parseDoc(await analyze(cwd, ['chat.json', '--json']));
    const rec = parseDoc(await analyze(cwd, ['rec.wav', '--json']));

    const dataDir = path.join(freshDir(), 'data');
    const r = await runCli(['ingest', path.join(cwd, 'chat.json'), path.join(cwd, 'rec.wav'), '--wait'], { dataDir });
    assert.equal(r.code, 0, said(r));
    await withDatabase(dataDir, async (db) => {
      assert.equal((await allCalls(db)).length, 2);
      for (const doc of [chat, rec]) {
        const call = (await db.repos.calls.findByExternalId(doc.call.externalId!))!;
        assert.equal(doc.call.durationMs, call.durationMs, `${call.externalId}: call.durationMs`);
        assert.deepEqual(doc.signals, await db.repos.artifacts.getSignals(call.id), `${call.externalId}: signals`);
        assert.deepEqual(doc.transcript!.segments, (await db.repos.transcripts.get(call.id))!.segments);
      }
      const stored = (await db.repos.recordings.getByCallId((await db.repos.calls.findByExternalId('agree-rec'))!.id))!;
      const { callId: _c, blobKey: _b, ...storedView } = stored;
      assert.deepEqual(rec.recording, storedView);
    });
  });
});
