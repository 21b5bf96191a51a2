import assert from 'node:assert/strict';
import { test } from 'node:test';
import { balanceByLength } from '../balance-spans.js';
import { parseCtm, parseHyp } from './pocketsphinx-output.js';

test('hyp lines: text per utterance id, score dropped; an empty utterance is empty text', () => {
  const hyp = parseHyp('hello thank you for calling (u0 -24619)\n (u1 -512)\nyes (u2 -100)\n');
  assert.deepEqual([...hyp], [['u0', 'hello thank you for calling'], ['u1', ''], ['u2', 'yes']]);
});

test('ctm lines: word times in ms from the utterance start, fillers and pronunciation variants cleaned', () => {
  const ctm = parseCtm('u0 1 0.13 0.42 hello 0.791\nu0 1 0.55 0.05 <sil> 1.000\nu0 1 0.62 0.47 thank(2) 0.990\nu1 1 0.00 0.20 [NOISE] 0.5\n');
  assert.deepEqual(ctm.get('u0')!.words, [
    { word: 'hello', startMs: 130, endMs: 550, confidence: 0.791 },
    { word: 'thank', startMs: 620, endMs: 1090, confidence: 0.99 },
  ]);
  assert.equal(ctm.has('u1'), false);
});

test('spans balanced over processes by length, each share in time order', () => {
  const spans = [
    { startMs: 0, endMs: 9000 },
    { startMs: 10_000, endMs: 11_000 },
    { startMs: 12_000, endMs: 16_000 },
    { startMs: 17_000, endMs: 21_000 },
  ];
  const shares = balanceByLength(spans, 2);
  assert.deepEqual(shares, [[{ startMs: 0, endMs: 9000 }], [{ startMs: 10_000, endMs: 11_000 }, { startMs: 12_000, endMs: 16_000 }, { startMs: 17_000, endMs: 21_000 }]]);
  assert.equal(balanceByLength(spans, 8).length, 4, 'never more shares than spans');
  assert.deepEqual(balanceByLength([], 4), []);
});
