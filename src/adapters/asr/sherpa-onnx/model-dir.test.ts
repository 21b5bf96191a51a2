import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TingjianError } from '../../../domain/errors.js';
import { EXPECTED_FILES, resolveAsrModelDir, type AsrModelTypeSetting } from './model-dir.js';

/** A temp folder (named `name`) holding empty placeholder files, or files with the given text. */
async function modelDir(t: { after: (fn: () => Promise<void>) => void }, files: Record<string, string> | string[], name = 'model') {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tingjian-model-dir-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dir = path.join(root, name);
  await mkdir(dir);
  const entries = Array.isArray(files) ? files.map((f) => [f, ''] as const) : Object.entries(files);
  for (const [file, text] of entries) await writeFile(path.join(dir, file), text);
  return dir;
}

const resolve = (dir: string | undefined, modelType: AsrModelTypeSetting, language = 'auto') => resolveAsrModelDir({ modelDir: dir, modelType, language });

/** Runs fn, expecting CONFIG_INVALID; returns the message. */
function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof TingjianError, `expected a TingjianError, got ${String(e)}`);
    assert.equal(e.code, 'CONFIG_INVALID');
    return e.message;
  }
  assert.fail('expected CONFIG_INVALID');
}

const SENSE_VOICE_TOKENS = '<unk> 0\n<s> 1\n</s> 2\n<|zh|> 3\n<|en|> 4\n你 5\n';

test('sense-voice: model + tokens; the int8 model is preferred; language hint passed, auto as empty', async (t) => {
  const dir = await modelDir(t, ['model.onnx', 'model.int8.onnx', 'tokens.txt', 'README.md']);
  const m = resolve(dir, 'sense-voice', 'zh');
  assert.equal(m.type, 'sense-voice');
  assert.deepEqual(m.recognizerConfig.modelConfig.senseVoice, { model: path.join(dir, 'model.int8.onnx'), language: 'zh', useInverseTextNormalization: 1 });
  assert.equal(m.recognizerConfig.modelConfig.tokens, path.join(dir, 'tokens.txt'));
  assert.equal(m.recognizerConfig.modelConfig.numThreads, 1);
  assert.deepEqual(m.recognizerConfig.featConfig, { sampleRate: 16000, featureDim: 80 });
  assert.ok(m.notes.some((n) => n.includes('model.int8.onnx (int8 preferred over model.onnx)')));
  assert.equal(m.hotwords.supported, false);
  assert.equal(resolve(dir, 'sense-voice').recognizerConfig.modelConfig.senseVoice?.language, '');
});

test('sense-voice: only model.onnx is used when there is no int8 file', async (t) => {
  const dir = await modelDir(t, ['model.onnx', 'tokens.txt']);
  assert.equal(resolve(dir, 'sense-voice').files.model, path.join(dir, 'model.onnx'));
});

test('sense-voice: a language it does not know is CONFIG_INVALID naming TINGJIAN_ASR_LANGUAGE', async (t) => {
  const dir = await modelDir(t, ['model.int8.onnx', 'tokens.txt']);
  const message = configError(() => resolve(dir, 'sense-voice', 'fr'));
  assert.match(message, /TINGJIAN_ASR_LANGUAGE=fr/);
  assert.match(message, /auto, zh, en, ja, ko, yue/);
});

test('paraformer: model + tokens, greedy search; a language is only a label (noted)', async (t) => {
  const dir = await modelDir(t, ['model.int8.onnx', 'tokens.txt']);
  const m = resolve(dir, 'paraformer', 'zh');
  assert.deepEqual(m.recognizerConfig.modelConfig.paraformer, { model: path.join(dir, 'model.int8.onnx') });
  assert.equal(m.recognizerConfig.decodingMethod, 'greedy_search');
  assert.ok(m.notes.some((n) => /only a label/.test(n)));
});

test('whisper: <name>-encoder/-decoder (int8 preferred) and <name>-tokens.txt; language passed, auto as empty', async (t) => {
  const dir = await modelDir(t, ['tiny-encoder.onnx', 'tiny-encoder.int8.onnx', 'tiny-decoder.onnx', 'tiny-decoder.int8.onnx', 'tiny-tokens.txt']);
  const m = resolve(dir, 'whisper', 'zh');
  assert.deepEqual(m.recognizerConfig.modelConfig.whisper, {
    encoder: path.join(dir, 'tiny-encoder.int8.onnx'),
    decoder: path.join(dir, 'tiny-decoder.int8.onnx'),
    language: 'zh',
    task: 'transcribe',
  });
  assert.equal(m.recognizerConfig.modelConfig.tokens, path.join(dir, 'tiny-tokens.txt'));
  assert.equal(resolve(dir, 'whisper').recognizerConfig.modelConfig.whisper?.language, '');
  configError(() => resolve(dir, 'whisper', 'Chinese'));
});

test('whisper: names with dashes (distil-large-v3) and fp32-only files', async (t) => {
  const dir = await modelDir(t, ['distil-large-v3-encoder.onnx', 'distil-large-v3-decoder.onnx', 'distil-large-v3-tokens.txt']);
  const m = resolve(dir, 'whisper');
  assert.equal(m.files.encoder, path.join(dir, 'distil-large-v3-encoder.onnx'));
  assert.equal(m.files.tokens, path.join(dir, 'distil-large-v3-tokens.txt'));
});

test('transducer: encoder/decoder/joiner each pick their int8 file; Chinese tokens → cjkchar hotwords, modified beam search', async (t) => {
  const dir = await modelDir(t, {
    'encoder-epoch-99-avg-1.onnx': '',
    'encoder-epoch-99-avg-1.int8.onnx': '',
    'decoder-epoch-99-avg-1.onnx': '',
    'joiner-epoch-99-avg-1.onnx': '',
    'joiner-epoch-99-avg-1.int8.onnx': '',
    'tokens.txt': '<blk> 0\n<unk> 1\n你 2\n好 3\n',
  });
  const m = resolve(dir, 'transducer');
  assert.deepEqual(m.recognizerConfig.modelConfig.transducer, {
    encoder: path.join(dir, 'encoder-epoch-99-avg-1.int8.onnx'),
    decoder: path.join(dir, 'decoder-epoch-99-avg-1.onnx'),
    joiner: path.join(dir, 'joiner-epoch-99-avg-1.int8.onnx'),
  });
  assert.deepEqual(m.hotwords, { supported: true, modelingUnit: 'cjkchar', asciiCase: 'upper' });
  assert.equal(m.recognizerConfig.modelConfig.modelingUnit, 'cjkchar');
  assert.equal(m.recognizerConfig.decodingMethod, 'modified_beam_search');
});

test('transducer: bpe.vocab → cjkchar+bpe (bilingual) or bpe (English) with the vocabulary path', async (t) => {
  const zhEn = await modelDir(t, { 'encoder.onnx': '', 'decoder.onnx': '', 'joiner.onnx': '', 'bpe.vocab': '', 'tokens.txt': '<blk> 0\n你 1\n▁HELLO 2\n' }, 'zh-en');
  const m = resolve(zhEn, 'transducer');
  assert.deepEqual(m.hotwords, { supported: true, modelingUnit: 'cjkchar+bpe', asciiCase: 'upper' });
  assert.equal(m.recognizerConfig.modelConfig.bpeVocab, path.join(zhEn, 'bpe.vocab'));
  const en = await modelDir(t, { 'encoder.onnx': '', 'decoder.onnx': '', 'joiner.onnx': '', 'bpe.vocab': '', 'tokens.txt': '<blk> 0\n▁the 1\ning 2\n' }, 'en');
  assert.deepEqual(resolve(en, 'transducer').hotwords, { supported: true, modelingUnit: 'bpe', asciiCase: 'keep' });
});

test('transducer: without Chinese tokens or bpe.vocab, hotwords are off and decoding stays greedy', async (t) => {
  const dir = await modelDir(t, ['encoder.onnx', 'decoder.onnx', 'joiner.onnx', 'tokens.txt']);
  const m = resolve(dir, 'transducer');
  assert.equal(m.hotwords.supported, false);
  assert.equal(m.recognizerConfig.decodingMethod, 'greedy_search');
  assert.equal(m.recognizerConfig.modelConfig.modelingUnit, undefined);
});

test('auto: transducer and whisper by file names, and says what it picked', async (t) => {
  const transducer = await modelDir(t, ['encoder-epoch-20-avg-1.onnx', 'decoder-epoch-20-avg-1.onnx', 'joiner-epoch-20-avg-1.onnx', 'tokens.txt'], 'zipformer');
  const m = resolve(transducer, 'auto');
  assert.equal(m.type, 'transducer');
  assert.ok(m.notes.some((n) => n.startsWith('model type auto: picked transducer')));
  const whisper = await modelDir(t, ['small-encoder.int8.onnx', 'small-decoder.int8.onnx', 'small-tokens.txt'], 'whisper-small');
  assert.equal(resolve(whisper, 'auto').type, 'whisper');
});

test('auto: SenseVoice by its language tokens, else by the folder name; Paraformer by the folder name', async (t) => {
  const byTokens = await modelDir(t, { 'model.int8.onnx': '', 'tokens.txt': SENSE_VOICE_TOKENS }, 'some-model');
  const sv = resolve(byTokens, 'auto');
  assert.equal(sv.type, 'sense-voice');
  assert.ok(sv.notes.some((n) => n.includes("SenseVoice's language tokens")));
  const byName = await modelDir(t, ['model.int8.onnx', 'tokens.txt'], 'sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17');
  assert.equal(resolve(byName, 'auto').type, 'sense-voice');
  const paraformer = await modelDir(t, { 'model.int8.onnx': '', 'tokens.txt': '<blank> 0\n<s> 1\n</s> 2\n你 3\n' }, 'sherpa-onnx-paraformer-zh-2023-09-14');
  assert.equal(resolve(paraformer, 'auto').type, 'paraformer');
});

test('auto: model.onnx + tokens.txt with nothing telling SenseVoice from Paraformer asks for the type', async (t) => {
  const dir = await modelDir(t, ['model.onnx', 'tokens.txt'], 'my-model');
  const message = configError(() => resolve(dir, 'auto'));
  assert.match(message, /TINGJIAN_ASR_MODEL_TYPE=sense-voice or paraformer/);
  assert.ok(message.includes(dir));
  assert.match(message, /found model\.onnx, tokens\.txt/i);
});

test('every type: a folder missing files names the folder, the type, the files expected and found, and the fix', async (t) => {
  const dir = await modelDir(t, ['notes.txt', 'model.bin']);
  for (const type of ['sense-voice', 'paraformer', 'whisper', 'transducer'] as const) {
    const message = configError(() => resolve(dir, type));
    assert.ok(message.includes(dir), message);
    assert.ok(message.includes(`model type ${type}`), message);
    assert.ok(message.includes(EXPECTED_FILES[type]), message);
    assert.ok(message.includes('found model.bin, notes.txt'), message);
    assert.ok(message.includes('TINGJIAN_ASR_MODEL_DIR') && message.includes('TINGJIAN_ASR_MODEL_TYPE') && message.includes('docs/asr-models.md'), message);
  }
});

test('a transducer folder without its joiner, or without tokens.txt, is incomplete', async (t) => {
  const noJoiner = await modelDir(t, ['encoder.onnx', 'decoder.onnx', 'tokens.txt'], 'a');
  assert.match(configError(() => resolve(noJoiner, 'transducer')), /is missing files: expected tokens\.txt, encoder\*\.onnx, decoder\*\.onnx and joiner\*\.onnx/);
  const noTokens = await modelDir(t, ['model.int8.onnx'], 'b');
  assert.match(configError(() => resolve(noTokens, 'sense-voice')), /found model\.int8\.onnx\./);
});

test('an empty folder: nothing found, every type listed for auto', async (t) => {
  const dir = await modelDir(t, []);
  const message = configError(() => resolve(dir, 'auto'));
  assert.ok(message.includes(`the ASR model directory ${dir} (model type auto) holds no model Tingjian recognizes`), message);
  assert.match(message, /found no files/);
  for (const type of ['sense-voice', 'paraformer', 'whisper', 'transducer'] as const) assert.ok(message.includes(`${type}: ${EXPECTED_FILES[type]}`), message);
});

test('a missing folder, a file instead of a folder, and no folder set are CONFIG_INVALID with the fix', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tingjian-model-dir-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const missing = path.join(root, 'nope');
  const m1 = configError(() => resolve(missing, 'sense-voice'));
  assert.ok(m1.includes(`the ASR model directory ${missing} (model type sense-voice) does not exist`), m1);
  assert.ok(m1.includes(EXPECTED_FILES['sense-voice']) && m1.includes('found nothing') && m1.includes('TINGJIAN_ASR_MODEL_DIR'), m1);
  const file = path.join(root, 'model.onnx');
  await writeFile(file, '');
  assert.match(configError(() => resolve(file, 'paraformer')), /is a file, not a directory/);
  const m3 = configError(() => resolve(undefined, 'auto'));
  assert.match(m3, /no ASR model directory is set \(TINGJIAN_ASR_MODEL_DIR\)/);
  assert.match(m3, /docs\/asr-models\.md/);
});
