import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../config/config.js';
import { TingjianError } from '../../../domain/errors.js';
import { WorkerTaskError } from '../../../platform/worker-pool.js';
import { createSherpaOnnxAsrEngine } from './create-sherpa-onnx.js';
import { resolveAsrModelDir } from './model-dir.js';
import { startRecognizerWorkers } from './recognizer-worker.js';
import { SherpaOnnxAsrEngine } from './sherpa-onnx-asr-engine.js';
import { writeFakeParaformerDir } from './testing/onnx-fixtures.js';

// Recognition itself needs a real model (none can be downloaded here). These tests load tiny
// valid ONNX models that always "say" the same tokens (testing/onnx-fixtures.ts), placeholder
// files that are not ONNX, and valid ONNX files lacking what sherpa-onnx needs.

async function tempDir(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-asr-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A folder with the right file names but empty files: no ONNX model at all. */
async function placeholderDir(root: string) {
  const dir = path.join(root, 'placeholders');
  await mkdir(dir);
  await writeFile(path.join(dir, 'model.int8.onnx'), '');
  await writeFile(path.join(dir, 'tokens.txt'), '');
  return dir;
}

const engineFor = (modelDir: string | undefined, extra: Partial<ConstructorParameters<typeof SherpaOnnxAsrEngine>[0]> = {}) =>
  new SherpaOnnxAsrEngine({ modelDir, modelType: 'paraformer', language: 'zh', threads: 2, ...extra });

const seconds = (s: number) => new Float32Array(Math.round(s * 16_000));

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<string> {
  const e = await p.then(
    () => assert.fail('expected a rejection'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof TingjianError, `expected a TingjianError, got ${String(e)}`);
  assert.equal(e.code, code);
  assert.match(e.message, pattern);
  return e.message;
}

test('check() on a missing directory rejects with CONFIG_INVALID and the process keeps running', async (t) => {
  const missing = path.join(await tempDir(t), 'no-such-model');
  const engine = engineFor(missing, { modelType: 'auto' });
  assert.equal(engine.name, 'sherpa-onnx/auto');
  const message = await rejectsWith(engine.check(), 'CONFIG_INVALID', /does not exist/);
  assert.ok(message.includes(missing) && message.includes('TINGJIAN_ASR_MODEL_DIR'));
  await rejectsWith(engine.transcribe({ samples: seconds(1), spans: [{ startMs: 0, endMs: 500 }] }), 'CONFIG_INVALID', /does not exist/);
  assert.equal(process.exitCode ?? 0, 0);
  await engine.close();
});

test('check() on placeholder files that are not ONNX rejects with the ONNX Runtime reason; no process dies', async (t) => {
  const dir = await placeholderDir(await tempDir(t));
  const engine = engineFor(dir);
  const message = await rejectsWith(engine.check(), 'CONFIG_INVALID', /sherpa-onnx cannot use the paraformer model/);
  assert.match(message, /Load model from .*model\.int8\.onnx failed/);
  await rejectsWith(engine.transcribe({ samples: seconds(1), spans: [{ startMs: 0, endMs: 900 }] }), 'CONFIG_INVALID', /Load model from/);
  await engine.close();
});

test('check() on a valid ONNX file lacking the metadata sherpa-onnx needs (it calls exit() on those) rejects; this process lives', async (t) => {
  const dir = await writeFakeParaformerDir(path.join(await tempDir(t), 'no-metadata'), ['你'], { metadata: false });
  const engine = engineFor(dir);
  await rejectsWith(engine.check(), 'CONFIG_INVALID', /'vocab_size' does not exist in the metadata/);
  await engine.close();
});

test('a recognizer thread that cannot load the model rejects its task with the reason (setup phase); no process dies', async (t) => {
  const dir = await placeholderDir(await tempDir(t));
  const model = resolveAsrModelDir({ modelDir: dir, modelType: 'sense-voice' });
  const pool = startRecognizerWorkers(model.recognizerConfig, 1);
  const samples = seconds(1);
  const err = await pool.run({ samples }, { transfer: [samples.buffer] }).catch((e: unknown) => e);
  assert.ok(err instanceof WorkerTaskError, String(err));
  assert.equal(err.phase, 'setup');
  assert.match(err.message, /Load model from .*model\.int8\.onnx failed/);
  assert.equal(pool.threads, 0, 'the broken thread was retired');
  await pool.close();
});

test('transcribe: one segment per span, in time order, text from the model', async (t) => {
  const dir = await writeFakeParaformerDir(path.join(await tempDir(t), 'fake-paraformer'), ['你', '好']);
  const engine = engineFor(dir, { threads: 2 });
  await engine.check();
  assert.equal(engine.name, 'sherpa-onnx/paraformer');
  assert.equal(engine.language, 'zh');
  const spans = [
    { startMs: 3000, endMs: 3800 },
    { startMs: 200, endMs: 1500 },
    { startMs: 1600, endMs: 1700 }, // shorter than a second: padded, still decoded
    { startMs: 9000, endMs: 9500 }, // past the end of the samples: nothing to decode
  ];
  const segments = await engine.transcribe({ samples: seconds(5), spans });
  assert.deepEqual(segments, [
    { startMs: 200, endMs: 1500, text: '你好', confidence: null },
    { startMs: 1600, endMs: 1700, text: '你好', confidence: null },
    { startMs: 3000, endMs: 3800, text: '你好', confidence: null },
  ]);
  assert.deepEqual(await engine.transcribe({ samples: seconds(1), spans: [] }), []);
  await engine.close();
});

test('transcribe: a span longer than 28 s is decoded in pieces and joined into one segment', async (t) => {
  const dir = await writeFakeParaformerDir(path.join(await tempDir(t), 'fake-paraformer'), ['你', '好']);
  const engine = engineFor(dir, { threads: 1 });
  const segments = await engine.transcribe({ samples: seconds(40), spans: [{ startMs: 0, endMs: 40_000 }] });
  assert.deepEqual(segments, [{ startMs: 0, endMs: 40_000, text: '你好你好', confidence: null }]);
  await engine.close();
});

test('transcribe: spans where the model hears nothing are dropped', async (t) => {
  const dir = await writeFakeParaformerDir(path.join(await tempDir(t), 'silent-paraformer'), []);
  const engine = engineFor(dir);
  assert.deepEqual(await engine.transcribe({ samples: seconds(2), spans: [{ startMs: 0, endMs: 1000 }] }), []);
  await engine.close();
});

test('hotwords on a model type without them are ignored, said once in notes and the log', async (t) => {
  const dir = await writeFakeParaformerDir(path.join(await tempDir(t), 'fake-paraformer'), ['好']);
  const logged: string[] = [];
  const engine = engineFor(dir, { log: (m) => logged.push(m) });
  for (let i = 0; i < 2; i++) {
    const segments = await engine.transcribe({ samples: seconds(1), spans: [{ startMs: 0, endMs: 1000 }], hotwords: ['退款', '会员'] });
    assert.equal(segments[0]?.text, '好');
  }
  const hotwordNotes = engine.notes.filter((n) => n.startsWith('hotwords ignored'));
  assert.equal(hotwordNotes.length, 1);
  assert.match(hotwordNotes[0] as string, /paraformer models take no hotwords/);
  assert.equal(logged.filter((m) => m.includes('hotwords ignored')).length, 1);
  await engine.close();
});

test('a model file broken after check(): the thread fails to load it and transcribe rejects with CONFIG_INVALID', async (t) => {
  const dir = await writeFakeParaformerDir(path.join(await tempDir(t), 'fake-paraformer'), ['你']);
  const engine = engineFor(dir, { threads: 1 });
  await engine.check();
  await writeFile(path.join(dir, 'model.int8.onnx'), Buffer.from('definitely not protobuf'));
  const spans = [0, 1, 2].map((i) => ({ startMs: i * 1000, endMs: i * 1000 + 800 }));
  await rejectsWith(engine.transcribe({ samples: seconds(3), spans }), 'CONFIG_INVALID', /could not load the paraformer model .*Load model from/);
  await engine.close();
});

test('createSherpaOnnxAsrEngine reads the ASR settings; auto detection names the engine', async (t) => {
  const dir = await writeFakeParaformerDir(path.join(await tempDir(t), 'sherpa-onnx-paraformer-zh-2023-09-14'), ['你']);
  const config = loadConfig({ env: { TINGJIAN_ASR_ENGINE: 'sherpa-onnx', TINGJIAN_ASR_MODEL_DIR: dir, TINGJIAN_ASR_THREADS: '3', TINGJIAN_ASR_LANGUAGE: 'zh' } });
  const logged: string[] = [];
  const engine = createSherpaOnnxAsrEngine(config, { log: (m) => logged.push(m) });
  assert.equal(engine.name, 'sherpa-onnx/paraformer');
  assert.equal(engine.threads, 3);
  await engine.check();
  assert.ok(logged.some((m) => m.includes('model type auto: picked paraformer')), logged.join('\n'));
  await engine.close();
});
