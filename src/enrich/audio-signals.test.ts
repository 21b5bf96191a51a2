import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VoiceActivity } from '../domain/voice-activity.js';
import { signalsFromAudio, sideLoudness } from './audio-signals.js';

const span = (startMs: number, endMs: number, rmsDbfs = -20) => ({ startMs, endMs, rmsDbfs, peakDbfs: rmsDbfs + 10 });

const stereo: VoiceActivity = {
  detector: 'silero',
  durationMs: 120_000,
  channels: [
    { channel: 0, speaker: 'agent', spans: [span(0, 5000), span(8000, 20_000), span(60_000, 70_000)], loudness: { rmsDbfs: -30, peakDbfs: -8 } },
    // cuts in 4 s into the agent's second turn; after 40 s of nobody: a hold
    { channel: 1, speaker: 'customer', spans: [span(5200, 7800, -26), span(12_000, 14_000, -26)], loudness: { rmsDbfs: -35, peakDbfs: -14 } },
  ],
};

test('stereo voice activity: talk, ratio, dead air, holds, who cut in on whom, loudness per side', () => {
  const s = signalsFromAudio(stereo, null, { minHoldMs: 30_000 });
  assert.equal(s.source, 'audio');
  assert.deepEqual(s.talkMs, { agent: 27_000, customer: 4600 });
  assert.deepEqual(s.talkRatio, { agent: 0.225, customer: 0.038 });
  assert.deepEqual(s.silence.spans, [
    { startMs: 20_000, endMs: 60_000 },
    { startMs: 70_000, endMs: 120_000 },
  ]);
  assert.deepEqual(s.holds, s.silence.spans, 'both gaps are ≥ 30 s');
  assert.deepEqual(s.overlaps, [{ startMs: 12_000, endMs: 14_000, by: 'customer' }]);
  assert.deepEqual(s.interruptionEvents, [{ atMs: 12_000, by: 'customer', cutOff: 'agent', overlapMs: 2000 }]);
  assert.deepEqual(s.interruptions, { agent: 0, customer: 1 });
  assert.deepEqual(s.loudness, { agent: { rmsDbfs: -20, peakDbfs: -10 }, customer: { rmsDbfs: -26, peakDbfs: -16 } });
  assert.equal(s.speech.agent[1]!.rmsDbfs, -20, 'the timeline carries the level of each span');
  assert.deepEqual(s.speechRate, { agent: null, customer: null }, 'no text, no speech rate');
});

test('speech rate comes from the transcript text; the timeline stays the audio', () => {
  const s = signalsFromAudio(stereo, {
    language: 'zh-CN',
    segments: [{ index: 0, speaker: 'agent', startMs: 0, endMs: 6000, text: '您好很高兴为您服务' }],
  });
  assert.equal(s.speechRate.agent, 90); // 9 characters in 6 s
  assert.equal(s.speech.agent.length, 3);
});

test('mono: speech is unattributed unless the transcript gave its segments roles; silence comes from the audio', () => {
  const mono: VoiceActivity = { detector: 'silero', durationMs: 20_000, channels: [{ channel: 0, speaker: 'unknown', spans: [span(0, 4000), span(5000, 9000)], loudness: { rmsDbfs: -20, peakDbfs: -5 } }] };
  const bare = signalsFromAudio(mono, null);
  assert.deepEqual(bare.talkMs, { agent: 0, customer: 0 });
  assert.equal(bare.unattributedTalkMs, 8000);
  assert.deepEqual(bare.silence.spans, [{ startMs: 9000, endMs: 20_000 }]);
  const roles = signalsFromAudio(mono, {
    language: 'zh-CN',
    segments: [
      { index: 0, speaker: 'agent', startMs: 100, endMs: 3900, text: '您好' },
      { index: 1, speaker: 'customer', startMs: 5100, endMs: 8900, text: '我想退货' },
    ],
  });
  assert.deepEqual(roles.talkMs, { agent: 3800, customer: 3800 });
  assert.equal(roles.unattributedTalkMs, 400, 'the edges no segment covers');
  assert.deepEqual(roles.silence.spans, [{ startMs: 9000, endMs: 20_000 }]);
});

test('side loudness is energy-averaged, so a long quiet span outweighs a short loud one', () => {
  const l = sideLoudness([span(0, 9000, -30), span(9000, 10_000, -10)])!;
  assert.ok(l.rmsDbfs! > -30 && l.rmsDbfs! < -10);
  assert.equal(sideLoudness([]), null);
});
