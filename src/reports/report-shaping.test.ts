import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallAggregate, DayKey } from '../ports/report-repository.js';
import {
  aggregateTrend,
  bucketStart,
  bucketsOf,
  DAY_MS,
  dayOfInstant,
  isoDay,
  keyedTrend,
  MAX_FILLED_BUCKETS,
  nextBucket,
  offsetMs,
  orderBands,
  quoteOf,
  rankAgents,
  scoreDistribution,
  summary,
  total,
} from './report-shaping.js';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const EIGHT = offsetMs('+08:00');

test('offsets and days: a call at 23:30 UTC is the next day in +08:00', () => {
  assert.equal(EIGHT, 8 * 3_600_000);
  assert.equal(offsetMs('-05:30'), -(5 * 60 + 30) * 60_000);
  assert.equal(offsetMs('Z'), 0);
  assert.throws(() => offsetMs('8'), /not a UTC offset/);
  const at = Date.parse('2025-09-17T23:30:00Z');
  assert.equal(isoDay(dayOfInstant(at, 0)), '2025-09-17');
  assert.equal(isoDay(dayOfInstant(at, EIGHT)), '2025-09-18');
});

test('buckets start on the day, the Monday of the ISO week, the first of the month', () => {
  // 2025-09-18 is a Thursday.
  assert.equal(isoDay(bucketStart(day('2025-09-18'), 'day')), '2025-09-18');
  assert.equal(isoDay(bucketStart(day('2025-09-18'), 'week')), '2025-09-15');
  assert.equal(isoDay(bucketStart(day('2025-09-15'), 'week')), '2025-09-15', 'a Monday is its own week');
  assert.equal(isoDay(bucketStart(day('2025-09-21'), 'week')), '2025-09-15', 'a Sunday ends the week');
  assert.equal(isoDay(bucketStart(day('2025-09-18'), 'month')), '2025-09-01');
  assert.equal(isoDay(bucketStart(day('1970-01-01'), 'week')), '1969-12-29');
  assert.equal(isoDay(nextBucket(day('2025-12-01'), 'month')), '2026-01-01');
  assert.equal(isoDay(nextBucket(day('2025-09-15'), 'week')), '2025-09-22');
});

test('a trend lists every bucket of the range, each with the instants it covers clamped to the range', () => {
  const span = { granularity: 'day' as const, offsetMs: EIGHT, from: Date.parse('2025-09-15T12:00:00+08:00'), to: Date.parse('2025-09-18T00:00:00+08:00') };
  const b = bucketsOf(span, [day('2025-09-16')]);
  assert.deepEqual(
    b.map(({ bucket, from, to }) => ({ bucket, from, to })),
    [
      { bucket: '2025-09-15', from: '2025-09-15T04:00:00.000Z', to: '2025-09-15T16:00:00.000Z' },
      { bucket: '2025-09-16', from: '2025-09-15T16:00:00.000Z', to: '2025-09-16T16:00:00.000Z' },
      { bucket: '2025-09-17', from: '2025-09-16T16:00:00.000Z', to: '2025-09-17T16:00:00.000Z' },
    ],
  );
  // Open range: from the first to the last bucket with data, gaps filled.
  const open = bucketsOf({ granularity: 'week', offsetMs: 0 }, [day('2025-09-30'), day('2025-09-10')]);
  assert.deepEqual(
    open.map((x) => x.bucket),
    ['2025-09-08', '2025-09-15', '2025-09-22', '2025-09-29'],
  );
  assert.deepEqual(bucketsOf({ granularity: 'day', offsetMs: 0 }, []), []);
  // Too long to fill: the buckets with data only.
  const sparse = bucketsOf({ granularity: 'day', offsetMs: 0 }, [day('2000-01-01'), day('2025-01-01')]);
  assert.deepEqual(
    sparse.map((x) => x.bucket),
    ['2000-01-01', '2025-01-01'],
  );
  assert.ok(MAX_FILLED_BUCKETS < day('2025-01-01') - day('2000-01-01'));
});

const agg = (d: string, a: Partial<CallAggregate>): DayKey & CallAggregate => ({ day: day(d), calls: 0, scoredCalls: 0, scoreSum: 0, inspectedCalls: 0, hitCalls: 0, fatalCalls: 0, ...a });

test('days roll up into weeks: sums, averages to 0.1, hit rates over inspected calls', () => {
  const days = [
    agg('2025-09-15', { calls: 3, scoredCalls: 2, scoreSum: 170, inspectedCalls: 3, hitCalls: 1, fatalCalls: 1 }),
    agg('2025-09-17', { calls: 1, scoredCalls: 1, scoreSum: 61, inspectedCalls: 1, hitCalls: 1 }),
    agg('2025-09-23', { calls: 2, inspectedCalls: 0 }),
  ];
  const { buckets, trend } = aggregateTrend(days, { granularity: 'week', offsetMs: 0 });
  assert.deepEqual(
    buckets.map((b) => b.bucket),
    ['2025-09-15', '2025-09-22'],
  );
  assert.deepEqual(trend, [
    { bucket: '2025-09-15', calls: 4, avgScore: 77, hitRate: 0.5, fatalCalls: 1 },
    { bucket: '2025-09-22', calls: 2, avgScore: null, hitRate: null, fatalCalls: 0 },
  ]);
  assert.deepEqual(summary(total(days)), { calls: 6, scoredCalls: 3, inspectedCalls: 4, avgScore: 77, hitCalls: 2, hitRate: 0.5, fatalCalls: 1 });
  assert.equal(summary(agg('2025-09-15', { scoredCalls: 3, scoreSum: 200, inspectedCalls: 3, hitCalls: 2 })).avgScore, 66.7);
  assert.equal(summary(agg('2025-09-15', { inspectedCalls: 3, hitCalls: 2 })).hitRate, 0.6667);
});

test('scores fall in 10-point buckets, 100 in the last; every bucket listed', () => {
  const d = scoreDistribution([
    { scorePercent: 0, calls: 1 },
    { scorePercent: 9.9, calls: 2 },
    { scorePercent: 10, calls: 3 },
    { scorePercent: 89.9, calls: 1 },
    { scorePercent: 90, calls: 1 },
    { scorePercent: 100, calls: 4 },
  ]);
  assert.equal(d.length, 10);
  assert.deepEqual(d[0], { from: 0, to: 10, calls: 3 });
  assert.deepEqual(d[1], { from: 10, to: 20, calls: 3 });
  assert.deepEqual(d[8], { from: 80, to: 90, calls: 1 });
  assert.deepEqual(d[9], { from: 90, to: 100, calls: 5 });
  assert.equal(
    d.reduce((t, b) => t + b.calls, 0),
    12,
  );
});

test('bands best first, unknown ones after by name', () => {
  assert.deepEqual(
    orderBands([
      { band: '不合格', calls: 1 },
      { band: 'Z', calls: 1 },
      { band: '优秀', calls: 2 },
      { band: 'A', calls: 1 },
      { band: '合格', calls: 3 },
    ]).map((b) => b.band),
    ['优秀', '合格', '不合格', 'A', 'Z'],
  );
});

test('agents ranked by a measure, missing values last either way, ties by id', () => {
  const rows = [
    { agentId: 'A3', avgScore: 80, calls: 5, hitRate: 0.2, fatalCalls: 0 },
    { agentId: 'A1', avgScore: null, calls: 9, hitRate: null, fatalCalls: 0 },
    { agentId: 'A2', avgScore: 80, calls: 1, hitRate: 0.5, fatalCalls: 2 },
    { agentId: 'A4', avgScore: 95.5, calls: 2, hitRate: 0, fatalCalls: 0 },
  ];
  const ids = (order: 'avgScore' | 'calls' | 'hitRate' | 'fatalCalls', dir: 'asc' | 'desc', limit = 10) => rankAgents(rows, order, dir, limit).map((r) => r.agentId);
  assert.deepEqual(ids('avgScore', 'desc'), ['A4', 'A2', 'A3', 'A1']);
  assert.deepEqual(ids('avgScore', 'asc'), ['A2', 'A3', 'A4', 'A1']);
  assert.deepEqual(ids('calls', 'desc', 2), ['A1', 'A3']);
  assert.deepEqual(ids('hitRate', 'desc'), ['A2', 'A3', 'A4', 'A1']);
  assert.deepEqual(ids('fatalCalls', 'desc'), ['A2', 'A1', 'A3', 'A4']);
});

test('keyed series: one point per bucket and key, zero where none', () => {
  const buckets = bucketsOf({ granularity: 'month', offsetMs: 0 }, [day('2025-08-03'), day('2025-09-20')]);
  const rows = [
    { day: day('2025-08-03'), ruleId: 'r1', calls: 2 },
    { day: day('2025-08-30'), ruleId: 'r1', calls: 1 },
    { day: day('2025-09-20'), ruleId: 'r2', calls: 4 },
  ];
  assert.deepEqual(
    keyedTrend(rows, 'ruleId', ['r1', 'r2'], buckets, 'month').map(({ bucket, key, calls }) => [bucket, key, calls]),
    [
      ['2025-08-01', 'r1', 3],
      ['2025-08-01', 'r2', 0],
      ['2025-09-01', 'r1', 0],
      ['2025-09-01', 'r2', 4],
    ],
  );
});

test('a quote is the whole sentence when short, else the part around the first match', () => {
  assert.equal(quoteOf('您好，请问有什么可以帮您？', [{ start: 0, end: 2 }]), '您好，请问有什么可以帮您？');
  const long = `${'前'.repeat(100)}我不知道${'后'.repeat(100)}`;
  const q = quoteOf(long, [{ start: 100, end: 104 }], 20);
  assert.equal(q.length, 20);
  assert.match(q, /^…前+我不知道后+…$/);
  assert.equal(quoteOf(long, [], 10), `${'前'.repeat(9)}…`);
});
