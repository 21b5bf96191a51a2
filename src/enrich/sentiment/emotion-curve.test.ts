import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Sentiment } from '../../domain/text-analysis.js';
import { emotionCurve, type CurveSegment } from './emotion-curve.js';

const s = (score: number): Sentiment => ({ score, label: score >= 0.35 ? 'positive' : score <= -0.35 ? 'negative' : 'neutral' });

/** A call: customer sentences (4+ characters, full weight) between agent lines. */
function call(customerScores: number[]): { segments: CurveSegment[]; scores: Sentiment[] } {
  const segments: CurveSegment[] = [];
  const scores: Sentiment[] = [];
  customerScores.forEach((score, i) => {
    segments.push({ index: 2 * i, speaker: 'agent', startMs: 10_000 * i, text: '您好请问有什么可以帮您' });
    scores.push(s(0.9)); // the agent's score must not enter the customer's curve
    segments.push({ index: 2 * i + 1, speaker: 'customer', startMs: 10_000 * i + 5000, text: '这是一句顾客的话' });
    scores.push(s(score));
  });
  return { segments, scores };
}

test('customer segments only, smoothed over a window of 3 (the segment itself counting double)', () => {
  const { segments, scores } = call([-0.9, -0.6, 0, 0.6]);
  const c = emotionCurve(segments, scores);
  assert.deepEqual(
    c.points.map((p) => p.segmentIndex),
    [1, 3, 5, 7],
  );
  assert.deepEqual(
    c.points.map((p) => p.atMs),
    [5000, 15_000, 25_000, 35_000],
  );
  assert.deepEqual(
    c.points.map((p) => p.score),
    [-0.8, -0.525, 0, 0.4],
  );
  assert.equal(c.start, -0.8);
  assert.equal(c.end, 0.4);
  assert.equal(c.trend, 'improved');
  assert.deepEqual(c.turningPoints, []);
});

test('angry, calmed after an apology, angry again: lowest point and turning points', () => {
  // raw:      0    -0.9  -0.9  -0.9   0.6   0.6   0.6  -0.9  -0.9
  // smoothed: -0.3 -0.675 -0.9 -0.525 0.225 0.6 0.225 -0.525 -0.9
  const { segments, scores } = call([0, -0.9, -0.9, -0.9, 0.6, 0.6, 0.6, -0.9, -0.9]);
  const c = emotionCurve(segments, scores);
  assert.deepEqual(
    c.points.map((p) => p.score),
    [-0.3, -0.675, -0.9, -0.525, 0.225, 0.6, 0.225, -0.525, -0.9],
  );
  assert.deepEqual(c.lowest, { segmentIndex: 5, atMs: 25_000, score: -0.9 }, 'the first of equal lows');
  assert.deepEqual(c.turningPoints, [
    { segmentIndex: 5, atMs: 25_000, score: -0.9, direction: 'up' },
    { segmentIndex: 11, atMs: 55_000, score: 0.6, direction: 'down' },
  ]);
  assert.equal(c.start, -0.3);
  assert.equal(c.end, -0.9);
  assert.equal(c.trend, 'worsened');
});

test('small wobbles are neither turns nor a trend', () => {
  const { segments, scores } = call([0, 0.1, -0.1, 0.1, 0, 0.1]);
  const c = emotionCurve(segments, scores);
  assert.deepEqual(c.turningPoints, []);
  assert.equal(c.trend, 'stable');
});

test('a backchannel counts less than a sentence in the smoothing', () => {
  const segments: CurveSegment[] = [
    { index: 0, speaker: 'customer', startMs: 0, text: '你们到底有没有人管' },
    { index: 1, speaker: 'customer', startMs: 3000, text: '嗯' },
    { index: 2, speaker: 'customer', startMs: 6000, text: '一直没人处理我的问题' },
  ];
  const c = emotionCurve(segments, [s(-0.8), s(0), s(-0.8)]);
  // (-0.8 + 2 × 0.25 × 0 - 0.8) / (1 + 2 × 0.25 + 1)
  assert.equal(c.points[1]!.score, -0.64);
});

test('two customer segments stay two points: angry, then satisfied, is improved', () => {
  const segments: CurveSegment[] = [
    { index: 0, speaker: 'customer', startMs: 0, text: '气死我了，你们服务太差了' },
    { index: 1, speaker: 'customer', startMs: 3000, text: '好的，非常满意，太感谢了' },
  ];
  const c = emotionCurve(segments, [s(-0.99), s(0.98)]);
  assert.deepEqual(
    c.points.map((p) => p.score),
    [-0.333, 0.323],
  );
  assert.equal(c.trend, 'improved');
});

test('no customer speech: empty curve with nulls', () => {
  const segments: CurveSegment[] = [{ index: 0, speaker: 'agent', startMs: 0, text: '您好' }];
  assert.deepEqual(emotionCurve(segments, [s(0.5)]), { points: [], start: null, end: null, lowest: null, turningPoints: [], trend: null });
  assert.deepEqual(emotionCurve([], []), { points: [], start: null, end: null, lowest: null, turningPoints: [], trend: null });
});

test('one customer segment: start = end, stable', () => {
  const c = emotionCurve([{ index: 4, speaker: 'customer', startMs: 1200, text: '好的谢谢' }], [s(0.5)]);
  assert.deepEqual(c.points, [{ segmentIndex: 4, atMs: 1200, score: 0.5 }]);
  assert.equal(c.start, 0.5);
  assert.equal(c.end, 0.5);
  assert.equal(c.trend, 'stable');
});

test('scores must line up with segments', () => {
  assert.throws(() => emotionCurve([{ index: 0, speaker: 'customer', startMs: 0, text: '好' }], []), /1 segments but 0 scores/);
});
