import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { processTag } from '../../../platform/process-identity.js';
import { sweepAbandoned } from './pocketsphinx-engine.js';
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

test('temp folders of dead processes (raw call audio) are swept; a live process keeps its own', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tingjian-sweep-'));
  try {
    const dead = path.join(tmp, `tingjian-sphinx-${processTag(2147483646)}-a1B2c3`);
    const live = path.join(tmp, `tingjian-sphinx-${processTag()}-d4E5f6`);
    for (const d of [dead, live]) {
      mkdirSync(d);
      writeFileSync(path.join(d, 'channel.raw'), Buffer.alloc(32));
    }
    mkdirSync(path.join(tmp, 'unrelated'));
    assert.equal(await sweepAbandoned(tmp), 1);
    assert.deepEqual(readdirSync(tmp).sort(), [path.basename(live), 'unrelated'].sort());
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
