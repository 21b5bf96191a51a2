import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TranscriptSegment } from '../domain/transcript.js';
import { findSnippets } from './search-snippets.js';
import { parseQuery } from './search-tokens.js';

const seg = (index: number, text: string, speaker: TranscriptSegment['speaker'] = 'customer'): TranscriptSegment => ({ index, speaker, startMs: index * 1000, endMs: index * 1000 + 900, text });
const marked = (text: string, spans: Array<{ start: number; end: number }>) => spans.reduce((s, h, i) => s.slice(0, h.start + i * 2) + `[${s.slice(h.start + i * 2, h.end + i * 2)}]` + s.slice(h.end + i * 2), text);

test('the sentences holding the query, highlighted in the stored text, with their times', () => {
  const segments = [seg(0, '您好，请问有什么可以帮您？', 'agent'), seg(1, '我想退貨，這個退貨政策是什麼？'), seg(2, '好的'), seg(3, '退货要在七天内申请。', 'agent')];
  const { snippets, matchedSegments } = findSnippets(segments, parseQuery('退货'));
  assert.equal(matchedSegments, 2);
  assert.deepEqual(
    snippets.map((s) => [s.index, s.speaker, s.startMs, s.endMs, marked(s.text, s.highlights)]),
    [
      [1, 'customer', 1000, 1900, '我想[退貨]，這個[退貨]政策是什麼？'],
      [3, 'agent', 3000, 3900, '[退货]要在七天内申请。'],
    ],
    'traditional text is highlighted where it was said, offsets into the original',
  );
});

test('at most three, those with the most query words first, shown in transcript order; words whole', () => {
  const segments = [seg(0, '退货'), seg(1, '退货'), seg(2, 'VIP退货'), seg(3, '退货'), seg(4, 'vip客户要退货'), seg(5, 'VIPS')];
  const { snippets, matchedSegments } = findSnippets(segments, parseQuery('退货 vip'));
  assert.equal(matchedSegments, 5, 'VIPS is another word');
  assert.deepEqual(
    snippets.map((s) => marked(s.text, s.highlights)),
    ['[退货]', '[VIP退货]', '[vip]客户要[退货]'],
  );
  assert.deepEqual(findSnippets(segments, []), { snippets: [], matchedSegments: 0 }, 'filters only: no sentences');
});

test('overlapping words merge into one highlight', () => {
  const { snippets } = findSnippets([seg(0, '退货政策')], parseQuery('退货 货政'));
  assert.deepEqual(snippets[0]!.highlights, [{ start: 0, end: 3 }]);
});

test('words beyond ASCII match whatever their case', () => {
  const { snippets } = findSnippets([seg(0, 'ÄRGER im Café')], parseQuery('ärger CAFÉ'));
  assert.equal(marked(snippets[0]!.text, snippets[0]!.highlights), '[ÄRGER] im [Café]');
});
