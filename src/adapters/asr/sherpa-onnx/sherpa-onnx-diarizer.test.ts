import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../config/config.js';
import { TingjianError } from '../../../domain/errors.js';
import { createSherpaOnnxDiarizer } from './create-sherpa-onnx.js';
import { SherpaOnnxDiarizer } from './sherpa-onnx-diarizer.js';

// No diarization model can be downloaded here, so these cover configuration and loading
// failures; segmenting real speech is not tested.

async function tempDir(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-diarize-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function rejectsWith(p: Promise<unknown>, code: string, ...patterns: RegExp[]) {
  const e = await p.then(
    () => assert.fail('expected a rejection'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof TingjianError, `expected a TingjianError, got ${String(e)}`);
  assert.equal(e.code, code);
  for (const p of patterns) assert.match(e.message, p);
}

test('createSherpaOnnxDiarizer is null when neither diarization model is set', () => {
  assert.equal(createSherpaOnnxDiarizer(loadConfig({ env: {} })), null);
});

test('one model set without the other: check() names the missing setting', async () => {
  const d = createSherpaOnnxDiarizer(loadConfig({ env: { TINGJIAN_DIARIZATION_SEGMENTATION_MODEL: '/x/model.onnx' } }));
  assert.ok(d);
  assert.equal(d.name, 'sherpa-onnx/pyannote');
  await rejectsWith(d.check(), 'CONFIG_INVALID', /TINGJIAN_DIARIZATION_EMBEDDING_MODEL/, /docs\/asr-models\.md/);
});

test('a model file that does not exist: CONFIG_INVALID naming the file and its setting', async (t) => {
  const dir = await tempDir(t);
  const segmentation = path.join(dir, 'model.onnx');
  await writeFile(segmentation, '');
  const embedding = path.join(dir, 'missing-embedding.onnx');
  const d = new SherpaOnnxDiarizer({ segmentationModel: segmentation, embeddingModel: embedding });
  await rejectsWith(d.check(), 'CONFIG_INVALID', new RegExp(embedding.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), /TINGJIAN_DIARIZATION_EMBEDDING_MODEL/);
  await rejectsWith(d.diarize(new Float32Array(16_000)), 'CONFIG_INVALID', /does not exist/);
});

test('placeholder files that are not ONNX: check() rejects with the reason; the abort happens in the probe process, not here', async (t) => {
  const dir = await tempDir(t);
  const segmentation = path.join(dir, 'model.onnx');
  const embedding = path.join(dir, 'embedding.onnx');
  await writeFile(segmentation, '');
  await writeFile(embedding, '');
  const d = new SherpaOnnxDiarizer({ segmentationModel: segmentation, embeddingModel: embedding });
  await rejectsWith(d.check(), 'CONFIG_INVALID', /sherpa-onnx cannot use the diarization models/, /Load model from .* failed/, /SIGABRT/);
  await d.close();
});
