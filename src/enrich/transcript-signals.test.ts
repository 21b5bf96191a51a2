import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TranscriptSegment } from '../domain/transcript.js';
import { signalsFromTranscript, speechUnits } from './transcript-signals.js';
import { mergeSpans } from './turn-taking.js';

const seg = (index: number, speaker: TranscriptSegment['speaker'], startMs: number, endMs: number, text: string): TranscriptSegment => ({
  index,
  speaker,
  startMs,
  endMs,
  text,
});

test('talk time, silence, overlap and who interrupted whom come from segment timing', () => {
  const segments = [
    seg(0, 'agent', 500, 4000, '您好，很高兴为您服务'), // 9 Han characters
    seg(1, 'customer', 4500, 9000, '我买的面膜过敏了，我要退货'),
    seg(2, 'agent', 7500, 10_000, '非常抱歉'), // cuts in 3 s into the customer's turn
    seg(3, 'customer', 23_000, 25_000, '好的'), // 13 s of dead air before this
  ];
  const s = signalsFromTranscript(segments, { durationMs: 26_000, language: 'zh-CN' });
  assert.equal(s.durationMs, 26_000);
  assert.deepEqual(s.talkMs, { agent: 3500 + 2500, customer: 4500 + 2000 });
  assert.deepEqual(s.silence.spans, [{ startMs: 10_000, endMs: 23_000 }]);
  assert.equal(s.silence.longestMs, 13_000);
  assert.deepEqual(s.overlaps, [{ startMs: 7500, endMs: 9000, by: 'agent' }]);
  assert.deepEqual(s.interruptions, { agent: 1, customer: 0 });
  // agent: 9 + 4 characters over 6 s of speech = 130 per minute
  assert.equal(s.speechRate.agent, 130);
});

test('a short overlap at a turn boundary is not an interruption', () => {
  const s = signalsFromTranscript(
    [seg(0, 'customer', 0, 3000, 'hello there'), seg(1, 'agent', 2950, 5000, 'hi')],
    { durationMs: null, language: 'en-US' },
  );
  assert.deepEqual(s.overlaps, []);
  assert.deepEqual(s.interruptions, { agent: 0, customer: 0 });
  assert.equal(s.durationMs, 5000);
});

test('an empty transcript has no talk and is silent throughout', () => {
  const s = signalsFromTranscript([], { durationMs: 5000, language: 'zh-CN' });
  assert.deepEqual(s.talkMs, { agent: 0, customer: 0 });
  assert.deepEqual(s.silence.spans, [{ startMs: 0, endMs: 5000 }]);
  assert.deepEqual(s.speechRate, { agent: null, customer: null });
});

test('speech units: Han characters for Chinese, words otherwise', () => {
  assert.equal(speechUnits('订单号12345已经发货', 'zh-CN'), 8); // a number counts as one unit
  assert.equal(speechUnits("I don't know, sorry", 'en-US'), 4);
  assert.deepEqual(mergeSpans([{ startMs: 5, endMs: 9 }, { startMs: 0, endMs: 6 }]), [{ startMs: 0, endMs: 9 }]);
});

test('the overlap sweep finds exactly what comparing every pair of turns finds, own-side overlaps merged into one turn', () => {
  let state = 42;
  const rand = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  for (let round = 0; round < 50; round++) {
    const segs: TranscriptSegment[] = Array.from({ length: 60 }, (_, i) => {
      const startMs = rand(120_000);
      return seg(i, rand(2) ? 'agent' : 'customer', startMs, startMs + 200 + rand(15_000), 'x');
    });
    const naive: Array<{ startMs: number; endMs: number; by: string }> = [];
    for (const a of mergeSpans(segs.filter((s) => s.speaker === 'agent'))) {
      for (const c of mergeSpans(segs.filter((s) => s.speaker === 'customer'))) {
        const startMs = Math.max(a.startMs, c.startMs);
        const endMs = Math.min(a.endMs, c.endMs);
        if (endMs - startMs >= 200) naive.push({ startMs, endMs, by: c.startMs > a.startMs ? 'customer' : 'agent' });
      }
    }
    const key = (o: { startMs: number; endMs: number; by: string }) => `${o.startMs}-${o.endMs}-${o.by}`;
    const got = signalsFromTranscript(segs, { durationMs: null, language: 'en-US' }).overlaps.map(key).sort();
    assert.deepEqual(got, naive.map(key).sort());
  }
});

test('a turn cut in pieces (VAD maximum length, touching segments) is one turn: no phantom interruption at the cut, none missed after it', () => {
  const agent = [seg(0, 'agent', 0, 15_000, 'x'), seg(1, 'agent', 15_000, 30_000, 'x')];
  const across = signalsFromTranscript([...agent, seg(2, 'customer', 13_500, 16_500, 'y')], { durationMs: null, language: 'en-US' });
  assert.deepEqual(across.overlaps, [{ startMs: 13_500, endMs: 16_500, by: 'customer' }]);
  assert.deepEqual(across.interruptionEvents, [{ atMs: 13_500, by: 'customer', cutOff: 'agent', overlapMs: 3000 }]);
  const after = signalsFromTranscript([...agent, seg(2, 'customer', 15_500, 18_000, 'y')], { durationMs: null, language: 'en-US' });
  assert.deepEqual(after.interruptionEvents, [{ atMs: 15_500, by: 'customer', cutOff: 'agent', overlapMs: 2500 }]);
});
