import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import type { RuleResult } from '../../src/domain/inspection.js';
import type { TextAnalysis } from '../../src/domain/text-analysis.js';
import { reindexCalls } from '../../src/search/reindex-calls.js';
import { SearchService } from '../../src/search/search-service.js';
import { storedCall, tempDir } from '../support/factories.js';

// Calls stored before the search index existed (here: stored without the pipeline) become
// searchable with `tingjian reindex`: the same document the index stage writes.

const tmp = tempDir();
const db = await openDatabase(`sqlite:${path.join(tmp.dir, 'tingjian.db')}`);
await db.migrate();
after(async () => {
  await db.close();
  tmp.cleanup();
});

test('reindexing stored calls makes them searchable by words and by inspection and analysis filters', async () => {
  const spoken = storedCall({ startedAt: Date.UTC(2025, 8, 18) });
  const silent = storedCall({ startedAt: Date.UTC(2025, 8, 19) });
  for (const c of [spoken, silent]) await db.repos.calls.insert(c);
  await db.repos.transcripts.save({ callId: spoken.id, engine: 'provided', language: 'zh-CN', segments: [{ index: 0, speaker: 'customer', startMs: 1200, endMs: 4000, text: '快递三天了还没到，我要投诉。' }] });
  const version = await db.repos.ruleSets.append({ modules: [] }, { sha256: 'a'.repeat(64), createdAt: 1 });
  await db.repos.ruleSets.publish(version, 1);
  const results: RuleResult[] = [{ ruleId: 'svc.complaint', ruleName: '投诉', outcome: 'hit', severity: 'normal', hits: 1, evidence: [] }];
  await db.repos.inspections.save(spoken.id, { ruleSetVersion: version, ruleSetHash: 'h', results, score: null }, 2);
  const analysis: TextAnalysis = {
    version: 1,
    segments: [],
    customerSentiment: { score: -0.7, label: 'negative' },
    curve: { points: [], start: null, end: null, lowest: null, turningPoints: [], trend: null },
    topics: [{ id: 'logistics-delay', name: '物流延迟', confidence: 0.9, segments: [0], source: 'rule' }],
    summary: { problem: null, actions: [], outcome: 'unresolved', outcomeEvidence: null },
    pii: [],
  };
  await db.repos.artifacts.saveTextAnalysis(spoken.id, analysis, 3);

  const search = new SearchService(db);
  const find = async (q: string, filters = {}) => (await search.search({ q, filters, limit: 10, offset: 0 })).items.map((i) => i.callId);
  assert.deepEqual(await find('投诉'), [], 'not indexed yet');

  let progress = 0;
  assert.equal(await reindexCalls(db, { onProgress: (n) => (progress = n) }), 2);
  assert.equal(progress, 2);
  const [hit] = (await search.search({ q: '投诉', filters: {}, limit: 10, offset: 0 })).items;
  assert.equal(hit?.callId, spoken.id);
  assert.deepEqual(hit?.snippets.map((s) => [s.startMs, s.text.slice(s.highlights[0]!.start, s.highlights[0]!.end)]), [[1200, '投诉']]);
  assert.deepEqual(await find('快递', { ruleId: 'svc.complaint', topic: 'logistics-delay', sentiment: 'negative' }), [spoken.id]);
  assert.deepEqual(await find('', { agentId: spoken.agentId! }), [silent.id, spoken.id], 'a call without transcript is found by its filters');
  assert.equal(await reindexCalls(db), 2, 'again: replaced, not doubled');
  assert.deepEqual(await find('投诉'), [spoken.id]);
});
