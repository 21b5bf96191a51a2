import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { analysisDocumentSchema } from '../../src/analyze/analysis-document.schema.js';
import type { Signals } from '../../src/domain/signals.js';
import type { TranscriptSegment } from '../../src/domain/transcript.js';
import { allCalls, runCli, said, withDatabase } from '../support/cli.js';
import { ENGLISH_CALL, TELEPHONE_LINE, ASR_TOOLS_INSTALL, asrToolsAvailable, synthesizeCall, wordEdits, words, type PlacedLine } from '../support/english-call.js';
import { tempDir } from '../support/factories.js';
import { needs } from '../support/tiers.js';

/**
 * The 听清 acceptance test: a stereo English call spoken by flite (agent left, customer right,
 * 16 kHz) with 12 s of dead air and one interruption goes through the real pipeline — ffmpeg
 * decode, Silero VAD, pocketsphinx per VAD span — and comes out with the words, the silence and
 * who cut in on whom.
 */
const haveTools = asrToolsAvailable();
const tmp = tempDir('tingjian-e2e-asr-');
after(() => tmp.cleanup());
const env = { TINGJIAN_ASR_ENGINE: 'pocketsphinx' };

function wer(placed: PlacedLine[], segments: TranscriptSegment[]): number {
  let edits = 0;
  let total = 0;
  for (const side of ['agent', 'customer'] as const) {
    const ref = placed.filter((l) => l.speaker === side).flatMap((l) => words(l.text));
    const hyp = segments.filter((s) => s.speaker === side).flatMap((s) => words(s.text));
    edits += wordEdits(ref, hyp);
    total += ref.length;
  }
  return edits / total;
}

function checkSignals(s: Signals, placed: PlacedLine[]) {
  assert.equal(s.source, 'audio');
  // The deliberate dead air: between line 5 (agent) and line 6 (agent) — 12 s.
  const truth = { startMs: placed[4]!.endMs, endMs: placed[5]!.startMs };
  const found = s.silence.spans.find((sp) => sp.endMs - sp.startMs > 10_000);
  assert.ok(found, `a ~12 s silence is found: ${JSON.stringify(s.silence.spans)}`);
  assert.ok(Math.abs(found.startMs - truth.startMs) <= 500, `silence starts ${found.startMs} vs ${truth.startMs}`);
  assert.ok(Math.abs(found.endMs - truth.endMs) <= 500, `silence ends ${found.endMs} vs ${truth.endMs}`);
  assert.equal(s.silence.longestMs, found.endMs - found.startMs);
  // The one interruption: the customer cuts in 2.5 s into the agent's line.
  assert.equal(s.interruptionEvents.length, 1, JSON.stringify(s.interruptionEvents));
  const cut = s.interruptionEvents[0]!;
  assert.equal(cut.by, 'customer');
  assert.equal(cut.cutOff, 'agent');
  assert.ok(Math.abs(cut.atMs - placed[6]!.startMs) <= 500, `cut in at ${cut.atMs} vs ${placed[6]!.startMs}`);
  assert.deepEqual(s.interruptions, { agent: 0, customer: 1 });
  assert.ok(s.talkMs.agent > s.talkMs.customer, 'the agent talks more in this script');
  assert.ok(s.speechRate.agent! > 100 && s.speechRate.agent! < 300, `words per minute ${s.speechRate.agent}`);
  assert.ok(s.loudness?.agent?.rmsDbfs !== null && s.loudness!.agent!.rmsDbfs! < 0);
}

describe('ASR end to end: a synthesized English stereo call through the pipeline', () => {
  test('ingest --wait with pocketsphinx: words (WER ≤ 25%), the 12 s silence (±0.5 s), who interrupted whom', async (t) => {
    if (!needs(t, 'flite, sox and pocketsphinx', haveTools, ASR_TOOLS_INSTALL)) return;
    const { wavPath, placed } = synthesizeCall(ENGLISH_CALL, tmp.dir, "english-call", TELEPHONE_LINE);
    const dataDir = path.join(tmp.dir, 'data');
    const r = await runCli(['ingest', wavPath, '--wait'], { dataDir, env, timeoutMs: 120_000 });
    assert.equal(r.code, 0, said(r));
    await withDatabase(dataDir, async (db) => {
      const [call] = await allCalls(db);
      assert.ok(call);
      assert.equal(call.status, 'done', JSON.stringify(call.stages));
      assert.match(call.stages.decode.note ?? '', /16 kHz/);
      assert.match(call.stages.vad.note ?? '', /^silero: speech spans agent \d+, customer \d+$/);
      const transcript = (await db.repos.transcripts.get(call.id))!;
      assert.equal(transcript.engine, 'pocketsphinx/en-us');
      const rate = wer(placed, transcript.segments);
      t.diagnostic(`WER ${(rate * 100).toFixed(1)}% over ${transcript.segments.length} segments`);
      assert.ok(rate <= 0.25, `WER ${(rate * 100).toFixed(1)}%: ${transcript.segments.map((s) => `${s.speaker}: ${s.text}`).join(' | ')}`);
      for (const s of transcript.segments) {
        assert.ok(s.confidence! > 0 && s.confidence! <= 1);
        const line = placed.find((l) => l.speaker === s.speaker && s.startMs < l.endMs && s.endMs > l.startMs);
        assert.ok(line, `segment ${s.startMs}-${s.endMs} (${s.speaker}) lies on a line that speaker said`);
      }
      checkSignals((await db.repos.artifacts.getSignals(call.id))!, placed);
    });
  });

  test('tingjian analyze call.wav --json fills the transcript and the signals the same way', async (t) => {
    if (!needs(t, 'flite, sox and pocketsphinx', haveTools, ASR_TOOLS_INSTALL)) return;
    const dir = path.join(tmp.dir, 'analyze');
    mkdirSync(dir);
    const { wavPath, placed } = synthesizeCall(ENGLISH_CALL, dir, "english-call", TELEPHONE_LINE);
    const r = await runCli(['analyze', wavPath, '--json'], { cwd: dir, env, timeoutMs: 120_000 });
    assert.equal(r.code, 0, said(r));
    const doc = analysisDocumentSchema.parse(JSON.parse(r.stdout));
    assert.equal(doc.transcript?.engine, 'pocketsphinx/en-us');
    assert.ok(wer(placed, doc.transcript.segments as TranscriptSegment[]) <= 0.25);
    checkSignals(doc.signals as Signals, placed);
  });
});
