import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChannelActivity } from '../domain/voice-activity.js';
import { PCM_SAMPLE_RATE } from '../ports/voice-activity-detector.js';
import { dropCrosstalk } from './crosstalk.js';

/** A channel with a tone of `amp` over each [startMs, endMs). */
function channel(durationMs: number, parts: Array<[number, number, number]>): Float32Array {
  const s = new Float32Array((durationMs * PCM_SAMPLE_RATE) / 1000);
  for (const [from, to, amp] of parts) {
    for (let i = (from * PCM_SAMPLE_RATE) / 1000; i < (to * PCM_SAMPLE_RATE) / 1000; i++) s[i] = amp * Math.sin(i / 3);
  }
  return s;
}
const span = (startMs: number, endMs: number) => ({ startMs, endMs, rmsDbfs: -30, peakDbfs: -20 });
const activity = (spans0: Array<[number, number]>, spans1: Array<[number, number]>): ChannelActivity[] => [
  { channel: 0, speaker: 'agent', spans: spans0.map(([a, b]) => span(a, b)), loudness: { rmsDbfs: -20, peakDbfs: -3 } },
  { channel: 1, speaker: 'customer', spans: spans1.map(([a, b]) => span(a, b)), loudness: { rmsDbfs: -30, peakDbfs: -10 } },
];

test('echo 30 dB under the other side is removed; a real interruption merged with it is kept, from where it starts', () => {
  // Agent talks 0–6 s at 0.3; the customer channel carries its echo at 0.01 (−30 dB) throughout
  // and really talks 3–4.5 s at 0.15 (−6 dB): one VAD span 0–6 s on the customer channel.
  const agent = channel(8000, [[0, 6000, 0.3]]);
  const customer = channel(8000, [[0, 3000, 0.0095], [3000, 4500, 0.15], [4500, 6000, 0.0095]]);
  const { channels, crosstalkTrimmed } = dropCrosstalk(activity([[0, 6000]], [[0, 6000]]), [agent, customer]);
  assert.equal(crosstalkTrimmed, 1);
  assert.deepEqual(channels[0]!.spans, [span(0, 6000)], 'the louder side is untouched');
  assert.equal(channels[1]!.spans.length, 1);
  assert.deepEqual([channels[1]!.spans[0]!.startMs, channels[1]!.spans[0]!.endMs], [3000, 4500]);
  assert.ok(channels[1]!.spans[0]!.rmsDbfs! > -20, 'loudness re-measured over what is left');
});

test('pure echo disappears; speech a few dB apart (both talking) stays; mono is left alone', () => {
  const agent = channel(4000, [[0, 4000, 0.3]]);
  const echo = channel(4000, [[0, 4000, 0.005]]);
  assert.deepEqual(dropCrosstalk(activity([[0, 4000]], [[0, 4000]]), [agent, echo]).channels[1]!.spans, []);
  const talking = channel(4000, [[0, 4000, 0.2]]);
  const both = dropCrosstalk(activity([[0, 4000]], [[0, 4000]]), [agent, talking]);
  assert.equal(both.crosstalkTrimmed, 0);
  assert.equal(both.channels[1]!.spans.length, 1);
  const mono = [{ channel: 0, speaker: 'unknown' as const, spans: [span(0, 1000)], loudness: { rmsDbfs: -20, peakDbfs: -3 } }];
  assert.deepEqual(dropCrosstalk(mono, [agent]).channels, mono);
});

test('a quiet line really talking over a loud one is kept: its level is judged against its own speech alone', () => {
  // Agent at 0.3 throughout 0–6 s; customer's line is 20 dB quieter: speaks 3–5 s over the agent
  // and 7–9 s alone, at 0.03 both times, with the agent's echo 30 dB under it (only 10 dB under the customer's own speech).
  const agent = channel(10_000, [[0, 6000, 0.3]]);
  const customer = channel(10_000, [[0, 3000, 0.0095], [3000, 5000, 0.03], [5000, 6000, 0.0095], [7000, 9000, 0.03]]);
  const { channels } = dropCrosstalk(activity([[0, 6000]], [[0, 6000], [7000, 9000]]), [agent, customer]);
  assert.deepEqual(
    channels[1]!.spans.map((s) => [s.startMs, s.endMs]),
    [
      [3000, 5000],
      [7000, 9000],
    ],
  );
});
