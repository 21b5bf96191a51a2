/**
 * The customer's emotion over a call, from the sentiment of each of their segments: a smoothed
 * curve, where it starts and ends, its lowest point, where it turns markedly, and the trend.
 * Pure: the caller scores the segments (scoreSentiment) and passes the scores beside them.
 */
import type { CurvePoint, EmotionCurve, Sentiment } from '../../domain/text-analysis.js';

export interface CurveSegment {
  index: number;
  speaker: string;
  startMs: number;
  text: string;
}

/** A smoothed move of at least this much (score units, -1..1) away from an extreme is a turn. */
export const TURN_THRESHOLD = 0.3;
/** end − start beyond ± this is improved / worsened; inside it, stable. */
export const TREND_THRESHOLD = 0.2;

/**
 * How much a segment counts in the smoothing: a backchannel (嗯, 好的) between two angry
 * sentences does not calm the curve. Full weight from 4 characters of speech up.
 */
function weightOf(text: string): number {
  const chars = text.replace(/[\s\p{P}\p{S}]/gu, '').length;
  return Math.min(1, Math.max(0.25, chars / 4));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Weighted moving average over a window of 3 customer segments centred on each (2 at the ends),
 * the segment itself counting twice its neighbours: one strong sentence still shows, one stray
 * misreading is damped, a turn stays where it happened (an exponential average would shift it
 * later) — and two segments stay two different points (an equal-weight window made them one).
 */
function smooth(scores: number[], weights: number[]): number[] {
  return scores.map((_, i) => {
    let sum = 0;
    let total = 0;
    for (let j = Math.max(0, i - 1); j <= Math.min(scores.length - 1, i + 1); j++) {
      const w = (j === i ? 2 : 1) * weights[j]!;
      sum += w * scores[j]!;
      total += w;
    }
    return round(sum / total);
  });
}

/**
 * Zig-zag turning points: once the curve has moved TURN_THRESHOLD one way, the extreme it then
 * reaches is a turning point when it moves TURN_THRESHOLD back. A minimum turns `up` (calmed down
 * after an apology), a maximum turns `down`. Small wobbles are not turns; the start is not one.
 */
function turningPoints(points: CurvePoint[]): Array<CurvePoint & { direction: 'up' | 'down' }> {
  const turns: Array<CurvePoint & { direction: 'up' | 'down' }> = [];
  if (points.length < 3) return turns;
  let direction: 'rising' | 'falling' | null = null;
  // Before the first move of TURN_THRESHOLD: the highest and lowest so far, and which came last.
  let high = points[0]!;
  let low = points[0]!;
  let lowIsLater = false;
  let extreme = points[0]!;
  for (const p of points.slice(1)) {
    if (direction === null) {
      if (p.score >= high.score) [high, lowIsLater] = [p, false];
      if (p.score <= low.score) [low, lowIsLater] = [p, true];
      if (high.score - low.score >= TURN_THRESHOLD) {
        direction = lowIsLater ? 'falling' : 'rising';
        extreme = lowIsLater ? low : high;
      }
    } else if (direction === 'falling') {
      if (p.score < extreme.score) extreme = p;
      else if (p.score - extreme.score >= TURN_THRESHOLD) {
        turns.push({ ...extreme, direction: 'up' });
        direction = 'rising';
        extreme = p;
      }
    } else {
      if (p.score > extreme.score) extreme = p;
      else if (extreme.score - p.score >= TURN_THRESHOLD) {
        turns.push({ ...extreme, direction: 'down' });
        direction = 'falling';
        extreme = p;
      }
    }
  }
  return turns;
}

/** `scores[i]` is the sentiment of `segments[i]`; only the customer's segments make the curve. */
export function emotionCurve(segments: readonly CurveSegment[], scores: readonly Sentiment[]): EmotionCurve {
  if (scores.length !== segments.length) throw new Error(`emotionCurve: ${segments.length} segments but ${scores.length} scores`);
  const customer = segments.map((s, i) => ({ s, score: scores[i]!.score })).filter((x) => x.s.speaker === 'customer');
  if (customer.length === 0) return { points: [], start: null, end: null, lowest: null, turningPoints: [], trend: null };
  const smoothed = smooth(
    customer.map((x) => x.score),
    customer.map((x) => weightOf(x.s.text)),
  );
  const points: CurvePoint[] = customer.map((x, i) => ({ segmentIndex: x.s.index, atMs: x.s.startMs, score: smoothed[i]! }));
  const start = points[0]!.score;
  const end = points[points.length - 1]!.score;
  const lowest = points.reduce((lo, p) => (p.score < lo.score ? p : lo));
  const change = end - start;
  return {
    points,
    start,
    end,
    lowest,
    turningPoints: turningPoints(points),
    trend: change >= TREND_THRESHOLD ? 'improved' : change <= -TREND_THRESHOLD ? 'worsened' : 'stable',
  };
}
