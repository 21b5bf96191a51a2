import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashedFeatures } from '../hashed-features.js';
import { trainLogisticRegression } from './logistic-regression.js';
import { neutralUtterances } from './neutral-utterances.js';
import { isHeldOut } from './sentiment-corpus.js';

const DOCS = [
  { text: '很好很满意', label: 1 },
  { text: '非常好用，喜欢', label: 1 },
  { text: '太差了，失望', label: 0 },
  { text: '质量差，不满意', label: 0 },
  { text: '请问运费多少', label: 0.5 },
];
const OPTIONS = { bits: 12, epochs: 20, learningRate: 0.2, l2: 1e-6, seed: 7 };

test('training is deterministic and learns a separable toy set', () => {
  const a = trainLogisticRegression(DOCS, OPTIONS);
  const b = trainLogisticRegression(DOCS, OPTIONS);
  assert.deepEqual(a.weights, b.weights);
  assert.equal(a.bias, b.bias);
  const buf = new Int32Array(64);
  const margin = (t: string) => {
    const n = hashedFeatures(t, 12, buf);
    let z = a.bias;
    for (let k = 0; k < n; k++) z += a.weights[buf[k]!]!;
    return z;
  };
  for (const d of DOCS.filter((d) => d.label !== 0.5)) assert.equal(margin(d.text) > 0, d.label === 1, d.text);
  assert.ok(Math.abs(margin('请问运费多少')) < 1, 'a neutral text is pulled towards 0');
});

test('the held-out split is a stable tenth, decided by the text alone', () => {
  const texts = Array.from({ length: 5000 }, (_, i) => `评论${i}号，东西收到了`);
  const held = texts.filter(isHeldOut).length;
  assert.ok(held > 400 && held < 600, String(held));
  assert.equal(isHeldOut('同一条评论'), isHeldOut('同一条评论'));
});

test('the generated neutral utterances are distinct and stable', () => {
  const u = neutralUtterances();
  assert.equal(new Set(u).size, u.length);
  assert.deepEqual(neutralUtterances(), u);
  assert.ok(u.length > 1000);
});
