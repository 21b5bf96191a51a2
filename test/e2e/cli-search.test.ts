import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli, said } from '../support/cli.js';
import { tempDir, transcriptInput } from '../support/factories.js';

// `tingjian search` on a real data folder (SQLite): chats ingested with --wait are indexed by the
// pipeline, then found by words and filters, printed as a table with 【】 around the words and
// the time of each sentence, or as the API's JSON.

const work = tempDir('tingjian-cli-search-');
after(() => work.cleanup());
const dataDir = path.join(work.dir, 'data');
const cli = (args: string[]) => runCli(args, { dataDir, cwd: work.dir, timeoutMs: 120_000 });
const seg = (speaker: 'agent' | 'customer', i: number, text: string) => ({ speaker, startMs: i * 4000, endMs: i * 4000 + 3000, text });

describe('tingjian search', () => {
  test('finds ingested chats by words and filters, with highlighted sentences and their times', async () => {
    const chats = [
      { externalId: 'cli-search-1', agentId: 'A1', businessLine: '电商客服', startedAt: '2025-09-18T10:30:00+08:00', segments: [seg('agent', 0, '您好，请问有什么可以帮您？'), seg('customer', 16, '我想退貨，面膜过敏了。')] },
      { externalId: 'cli-search-2', agentId: 'A2', businessLine: '物流', startedAt: '2025-09-19T10:30:00+08:00', segments: [seg('customer', 0, '我要投诉快递。'), seg('agent', 1, '抱歉，退货的话我帮您登记。')] },
    ];
    chats.forEach((c, i) => writeFileSync(path.join(work.dir, `chat${i}.json`), JSON.stringify(transcriptInput(c))));
    const ingest = await cli(['ingest', path.join(work.dir, 'chat0.json'), path.join(work.dir, 'chat1.json'), '--wait']);
    assert.equal(ingest.code, 0, said(ingest));

    const r = await cli(['search', '退货']);
    assert.equal(r.code, 0, said(r));
    const lines = r.stdout.split('\n');
    const first = lines.findIndex((l) => l.includes('cli-search-2'));
    const second = lines.findIndex((l) => l.includes('cli-search-1'));
    assert.ok(first > 0 && second > first, `newest first:\n${r.stdout}`);
    assert.match(lines[second]!, /1:04\.0\s+客户：我想【退貨】，面膜过敏了。/, said(r));
    assert.match(lines[first]!, /0:04\.0\s+客服：抱歉，【退货】的话我帮您登记。/, said(r));
    assert.match(r.stdout, /calls 1–2 of 2; words: 退货/);

    const filtered = await cli(['search', '退货', '--agent', 'A1', '--json']);
    assert.equal(filtered.code, 0, said(filtered));
    const body = JSON.parse(filtered.stdout) as { items: Array<{ externalId: string; at: string; snippets: Array<{ startMs: number; highlights: unknown[] }> }>; total: number };
    assert.deepEqual(body.items.map((i) => [i.externalId, i.at, i.snippets[0]?.startMs]), [['cli-search-1', '2025-09-18T02:30:00.000Z', 64_000]]);
    assert.equal(body.total, 1);

    const byLine = await cli(['search', '--business-line', '物流', '--from', '2025-09-19']);
    assert.equal(byLine.code, 0, said(byLine));
    assert.match(byLine.stdout, /cli-search-2/);
    assert.doesNotMatch(byLine.stdout, /cli-search-1/);

    const none = await cli(['search', '保险']);
    assert.equal(none.code, 0, said(none));
    assert.match(none.stdout, /^no calls found/);
  });

  test('bad input: a one-character word, a bad number', async () => {
    const short = await cli(['search', '退']);
    assert.equal(short.code, 2, said(short));
    assert.match(short.stderr, /INVALID_REQUEST: search needs at least 2 characters/);
    const score = await cli(['search', '退货', '--min-score', 'high']);
    assert.equal(score.code, 2, said(score));
    assert.match(score.stderr, /--min-score must be a number from 0 to 100, not "high"/);
  });
});
