import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { classifierMargin, decodeModel, encodeModel, MODEL_FORMAT, sentimentModelPath, shippedSentimentModel, type SentimentModelFile } from './sentiment-model.js';

test('Int16 quantisation round-trips within one step of the scale', () => {
  const weights = Float64Array.from({ length: 1 << 4 }, (_, i) => Math.sin(i) * 3);
  const file = encodeModel(4, -0.25, weights, { note: 'test' });
  const model = decodeModel(JSON.parse(JSON.stringify(file)) as SentimentModelFile);
  assert.equal(model.bias, -0.25);
  model.weights.forEach((q, i) => assert.ok(Math.abs(q * model.scale - weights[i]!) <= model.scale / 2 + 1e-12));
});

test('a model file of another format or size is refused', () => {
  const file = encodeModel(4, 0, new Float64Array(16), {});
  assert.throws(() => decodeModel({ ...file, format: 'other' as typeof MODEL_FORMAT }), /format other/);
  assert.throws(() => decodeModel({ ...file, bits: 5 }), /expected 64/);
});

test('the shipped model loads from models/sentiment and reads reviews the right way round', () => {
  const file = JSON.parse(readFileSync(sentimentModelPath(), 'utf8')) as SentimentModelFile;
  assert.equal(file.format, MODEL_FORMAT);
  assert.ok(readFileSync(sentimentModelPath()).length < 2 * 1024 * 1024, 'a small file');
  assert.equal(shippedSentimentModel(), shippedSentimentModel(), 'loaded once');
  assert.ok(classifierMargin('质量很好，物流也快，非常满意，下次还来买') > 2);
  assert.ok(classifierMargin('质量太差了，用了两天就坏了，退货还不给退') < -2);
  assert.equal(classifierMargin(''), 0);
});
