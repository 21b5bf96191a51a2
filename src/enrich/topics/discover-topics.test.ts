import assert from 'node:assert/strict';
import { test } from 'node:test';
import { discoverTopics, type DiscoveryCall } from './discover-topics.js';
import { periodOf } from './periods.js';
import { parseTaxonomy } from './parse-taxonomy.js';

const DAY = 86_400_000;
/** 2024-03-04 10:00 Beijing time, a Monday. */
const T0 = Date.UTC(2024, 2, 4, 2);

/** Three obvious groups of customer utterances: invoices, late parcels, air-conditioner installation. */
const SAID: Record<string, string[]> = {
  invoice: ['发票抬头开错了，能重新开发票吗', '我要开增值税发票，税号怎么填', '电子发票在哪里下载', '发票抬头要改成公司的', '帮我补开一张发票，税号发你'],
  parcel: ['快递三天了还没到', '我的快递怎么还没到，物流一直不更新', '物流信息好几天没更新了', '快递到哪了，物流怎么不动', '快递还没到，帮我催一下物流'],
  install: ['空调什么时候上门安装', '安装师傅说明天来装空调', '空调安装要收费吗', '热水器安装师傅还没联系我', '预约安装师傅上门'],
};

const calls: DiscoveryCall[] = Object.entries(SAID).flatMap(([group, texts]) =>
  texts.map((text, i) => ({ callId: `${group}-${i}`, at: T0 + i * DAY, customerTexts: ['你好', text] })),
);

const taxonomy = parseTaxonomy(
  'topics:\n  - id: invoice\n    name: 发票\n    keywords: [发票, 税号]\n  - id: logistics-delay\n    name: 物流延迟\n    keywords: [还没到, 物流]\n',
  'fixture.yaml',
);
const opts = { k: 3, maxDocumentShare: 0.5, minSimilarity: 0, taxonomy };

/** Each cluster's calls by group name, to compare with the fixture's groups. */
const groupsOf = (clusters: ReturnType<typeof discoverTopics>): string[][] =>
  clusters.map((c) => [...new Set(c.examples.map((e) => Object.keys(SAID).find((g) => SAID[g]!.includes(e))!))]);

test('obvious clusters are found, labelled by their words, and the uncovered one is emerging', () => {
  const clusters = discoverTopics(calls, opts);
  assert.equal(clusters.length, 3);
  for (const c of clusters) {
    assert.equal(c.size, 5, `${c.id}: ${c.keywords.join(' ')}`);
    assert.equal(c.utterances, 5, '你好 is a stopword: no utterance');
  }
  assert.deepEqual(groupsOf(clusters).map((g) => g.length), [1, 1, 1], 'each cluster holds one group');
  const byGroup = new Map(clusters.map((c, i) => [groupsOf(clusters)[i]![0]!, c]));
  assert.ok(byGroup.get('invoice')!.keywords.includes('发票'));
  assert.ok(byGroup.get('parcel')!.keywords.includes('物流'));
  assert.ok(byGroup.get('install')!.keywords.includes('安装'));
  assert.equal(byGroup.get('invoice')!.taxonomyTopic, 'invoice');
  assert.equal(byGroup.get('parcel')!.taxonomyTopic, 'logistics-delay');
  assert.equal(byGroup.get('install')!.emerging, true);
  assert.equal(byGroup.get('install')!.taxonomyTopic, null);
  assert.equal(byGroup.get('invoice')!.emerging, false);
  assert.deepEqual(
    byGroup.get('install')!.counts,
    ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'].map((period) => ({ period, calls: 1 })),
  );
});

test('deterministic: the same clusters every run and whatever the order of the calls', () => {
  const a = discoverTopics(calls, opts);
  const b = discoverTopics([...calls].reverse(), opts);
  assert.deepEqual(b, a);
  assert.deepEqual(discoverTopics(calls, opts), a);
});

test('weekly counts, small clusters dropped, no taxonomy means nothing is emerging', () => {
  const clusters = discoverTopics(calls, { ...opts, taxonomy: undefined, period: 'week' });
  for (const c of clusters) {
    assert.deepEqual(c.counts, [{ period: '2024-W10', calls: 5 }]);
    assert.equal(c.emerging, false);
    assert.equal(c.coverage, 0);
  }
  assert.deepEqual(discoverTopics(calls, { ...opts, minCalls: 6 }), []);
  assert.deepEqual(discoverTopics([], opts), []);
});

test('periods: calendar days in the given time zone, ISO weeks', () => {
  const lateEvening = Date.UTC(2024, 2, 4, 15, 30); // 23:30 in Beijing
  assert.equal(periodOf(lateEvening, 'day', 480), '2024-03-04');
  assert.equal(periodOf(lateEvening, 'day', 0), '2024-03-04');
  assert.equal(periodOf(Date.UTC(2024, 2, 4, 16, 30), 'day', 480), '2024-03-05');
  assert.equal(periodOf(Date.UTC(2024, 11, 30, 4), 'week', 480), '2025-W01');
  assert.equal(periodOf(Date.UTC(2021, 0, 3, 4), 'week', 480), '2020-W53');
});
