import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeText } from '../rules/text/normalize-text.js';
import { termPattern } from './search-snippets.js';
import { indexTokens, parseQuery, runsOf, SEARCH_BREAK, SEGMENT_BREAK } from './search-tokens.js';

const show = (tokens: string[]) => tokens.map((t) => (t === SEARCH_BREAK ? '|' : t === SEGMENT_BREAK ? '‖' : t)).join(' ');

test('Han text becomes overlapping bigrams, words stay whole, a break between segments', () => {
  assert.equal(show(indexTokens(['我想退货', '退貨政策是什么'])), '我想 想退 退货 ‖ 退货 货政 政策 策是 是什 什么');
  assert.equal(show(indexTokens(['VIP客户，订单号12345。'])), 'vip 客户 订单 单号 12345');
  assert.equal(show(indexTokens(['Ｈｅｌｌｏ World'])), 'hello world');
  assert.deepEqual(indexTokens([]), []);
  assert.deepEqual(indexTokens(['', '。。', '好']), [], 'nothing to find: no tokens, no breaks');
  assert.equal(show(indexTokens(['𠀀𠀁好'])), '𠀀𠀁 𠀁好', 'a Han character outside the BMP is one character');
  assert.equal(show(indexTokens(['a\uE000b'])), 'a b', 'private-use characters (SEARCH_BREAK is one) are never tokens');
});

test('a break only where a gap could otherwise read as adjacent', () => {
  assert.equal(show(indexTokens(['退货，政策'])), '退货 政策', '货 ≠ 政: no query can chain them');
  assert.equal(show(indexTokens(['退货，货政'])), '退货 | 货政');
  assert.equal(show(indexTokens(['VIP，客户'])), 'vip | 客户');
  assert.equal(show(indexTokens(['vip 12345'])), 'vip 12345');
  assert.equal(show(indexTokens(['vip的12345'])), 'vip | 12345', 'a lone Han character stands between');
  assert.equal(show(indexTokens(['嗯，', '好，退货'])), '退货');
});

test('a query: terms at spaces, each a phrase; too short is a bad request naming the word', () => {
  assert.deepEqual(parseQuery('退貨 VIP  订单号12345'), [
    { text: '退货', tokens: ['退货'] },
    { text: 'vip', tokens: ['vip'] },
    { text: '订单号12345', tokens: ['订单', '单号', '12345'] },
  ]);
  assert.deepEqual(parseQuery('退货，货政'), [{ text: '退货,货政', tokens: ['退货', SEARCH_BREAK, '货政'] }]);
  assert.deepEqual(parseQuery('退货 退貨'), [{ text: '退货', tokens: ['退货'] }], 'the same term once');
  for (const bad of ['好', '退货 好', 'a', '，，']) {
    assert.throws(() => parseQuery(bad), (e: { code?: string; message?: string }) => e.code === 'INVALID_REQUEST' && /at least 2 characters/.test(e.message ?? ''), bad);
  }
  assert.throws(() => parseQuery(Array.from({ length: 11 }, (_, i) => `词${i}`).join(' ')), /at most 10 words/);
});

/** An FTS phrase: the query's tokens in a row somewhere in the document's. */
function phraseIn(doc: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= doc.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (doc[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

test('property: the index finds a term exactly where the snippet pattern finds it in a sentence', () => {
  // Seeded: the same texts every run. A small alphabet so that bigrams repeat and chain, with
  // traditional and full-width forms, words, digits, punctuation and lone Han characters.
  let seed = 2024;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const alphabet = ['退', '货', '貨', '政', '策', '退', '货', 'a', 'b', 'Ａ', '1', '，', ' ', '。', '好'];
  const text = (len: number) => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('');
  let compared = 0;
  for (let n = 0; n < 8000; n++) {
    const segments = Array.from({ length: 1 + rnd(3) }, () => text(1 + rnd(12)));
    const source = segments[rnd(segments.length)]!;
    const start = rnd(source.length);
    const candidate = rnd(3) === 0 ? text(2 + rnd(4)) : source.slice(start, start + 2 + rnd(5));
    let terms;
    try {
      terms = parseQuery(candidate);
    } catch {
      continue; // too short
    }
    if (terms.length !== 1) continue;
    const [term] = terms;
    // A lone Han character at a term's edge has no token: the index then finds more than the pattern (documented).
    const runs = runsOf(term!.text);
    if ([runs[0]!, runs[runs.length - 1]!].some((r) => r.kind === 'han' && r.chars.length === 1)) continue;
    const indexed = phraseIn(indexTokens(segments), term!.tokens);
    const shown = segments.some((s) => termPattern(term!).test(normalizeText(s)));
    assert.equal(indexed, shown, `term ${JSON.stringify(term!.text)} in ${JSON.stringify(segments)}: index ${indexed}, sentences ${shown}`);
    compared++;
  }
  assert.ok(compared > 1500, `compared ${compared}`);
});
