import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { OfflineModelConfig, OfflineRecognizerConfig } from 'sherpa-onnx-node';
import { TingjianError } from '../../../domain/errors.js';
import { PCM_SAMPLE_RATE } from '../../../ports/voice-activity-detector.js';

export const ASR_MODEL_TYPES = ['sense-voice', 'paraformer', 'whisper', 'transducer'] as const;
export type AsrModelType = (typeof ASR_MODEL_TYPES)[number];
export type AsrModelTypeSetting = AsrModelType | 'auto';

/** Languages SenseVoice takes as a hint (sherpa-onnx --sense-voice-language). */
export const SENSE_VOICE_LANGUAGES = ['auto', 'zh', 'en', 'ja', 'ko', 'yue'] as const;

/** How the transducer's hotwords are split into its tokens, or why it cannot take hotwords. */
export type HotwordSupport = { supported: true; modelingUnit: 'cjkchar' | 'bpe' | 'cjkchar+bpe'; asciiCase: 'upper' | 'keep' } | { supported: false; reason: string };

export interface ResolvedAsrModel {
  type: AsrModelType;
  dir: string;
  /** Model files by role (tokens, model, encoder, decoder, joiner), absolute paths. */
  files: Record<string, string>;
  /** What a single worker thread loads: numThreads 1, 16 kHz. */
  recognizerConfig: OfflineRecognizerConfig;
  hotwords: HotwordSupport;
  /** Choices made on the user's behalf, for the log: detected type, int8 picked, hints ignored. */
  notes: string[];
}

export interface ModelDirRequest {
  modelDir: string | undefined;
  modelType: AsrModelTypeSetting;
  /** TINGJIAN_ASR_LANGUAGE: `auto` or a language code. */
  language?: string;
}

const HOW_TO_FIX = 'Download a model as docs/asr-models.md describes, then point TINGJIAN_ASR_MODEL_DIR at the folder that holds its files (and set TINGJIAN_ASR_MODEL_TYPE to its type, or auto).';

/** The files each type needs, as the error messages say them. */
export const EXPECTED_FILES: Record<AsrModelType, string> = {
  'sense-voice': 'tokens.txt and model.int8.onnx (or model.onnx)',
  paraformer: 'tokens.txt and model.int8.onnx (or model.onnx)',
  whisper: '<name>-encoder.int8.onnx (or <name>-encoder.onnx), <name>-decoder.int8.onnx (or <name>-decoder.onnx) and <name>-tokens.txt, e.g. tiny-encoder.int8.onnx, tiny-decoder.int8.onnx, tiny-tokens.txt',
  transducer: 'tokens.txt, encoder*.onnx, decoder*.onnx and joiner*.onnx (int8 versions preferred), e.g. encoder-epoch-99-avg-1.int8.onnx',
};

const expectedForSetting = (t: AsrModelTypeSetting) =>
  t === 'auto' ? `one of: ${ASR_MODEL_TYPES.map((x) => `${x}: ${EXPECTED_FILES[x]}`).join('; ')}` : EXPECTED_FILES[t];

const invalid = (message: string, details: Record<string, unknown>) => new TingjianError('CONFIG_INVALID', `${message} ${HOW_TO_FIX}`, details);

/**
 * Reads the model folder and says which sherpa-onnx offline recognizer it holds and how to load
 * it. Only file names decide, except that SenseVoice and Paraformer ship the same names
 * (model.onnx + tokens.txt): `auto` then tells them apart by SenseVoice's language tokens
 * (<|zh|>, …) in tokens.txt or by the folder's name. Throws CONFIG_INVALID naming the folder,
 * the type, the files expected and the files found.
 */
export function resolveAsrModelDir(request: ModelDirRequest): ResolvedAsrModel {
  const { modelType } = request;
  const language = request.language ?? 'auto';
  if (!request.modelDir) {
    throw invalid(`no ASR model directory is set (TINGJIAN_ASR_MODEL_DIR); model type ${modelType} expects ${expectedForSetting(modelType)}.`, { modelType });
  }
  const dir = path.resolve(request.modelDir);
  const names = listFiles(dir, modelType);
  const found = names.length ? names.join(', ') : 'no files';
  const missing = (type: AsrModelTypeSetting, what: string) =>
    invalid(`the ASR model directory ${dir} (model type ${type}) ${what}: expected ${expectedForSetting(type)}; found ${found}.`, { dir, modelType: type, found: names });

  const notes: string[] = [];
  let type: AsrModelType;
  if (modelType === 'auto') {
    const detected = detectType(dir, names);
    if ('ambiguous' in detected) {
      throw invalid(
        `the ASR model directory ${dir} (model type auto) holds ${detected.ambiguous}, which a SenseVoice and a Paraformer model both ship, and nothing tells which this is; set TINGJIAN_ASR_MODEL_TYPE=sense-voice or paraformer. Found ${found}.`,
        { dir, modelType, found: names },
      );
    }
    if (!detected.type) throw missing('auto', 'holds no model Tingjian recognizes');
    type = detected.type;
    notes.push(`model type auto: picked ${type} (${detected.because})`);
  } else {
    type = modelType;
  }

  const files = pickFiles(type, names);
  if (!files) throw missing(type, 'is missing files');
  for (const [role, name] of Object.entries(files)) {
    if (name.includes('.int8.') && names.includes(name.replace('.int8.', '.'))) notes.push(`${role}: using ${name} (int8 preferred over ${name.replace('.int8.', '.')})`);
  }
  const abs = Object.fromEntries(Object.entries(files).map(([role, name]) => [role, path.join(dir, name)]));
  if (type === 'transducer' && names.includes('bpe.vocab')) abs.bpeVocab = path.join(dir, 'bpe.vocab');
  const hotwords = type === 'transducer' ? transducerHotwordSupport(dir, abs.tokens as string, names) : { supported: false as const, reason: `${type} models take no hotwords in sherpa-onnx (only transducer models do)` };
  const modelConfig = modelConfigFor(type, abs, language, notes, hotwords);
  const recognizerConfig: OfflineRecognizerConfig = {
    featConfig: { sampleRate: PCM_SAMPLE_RATE, featureDim: 80 },
    modelConfig,
    // Hotwords arrive per call, so a transducer always decodes with the method that can use them.
    ...(type === 'transducer' && hotwords.supported ? { decodingMethod: 'modified_beam_search', maxActivePaths: 4 } : { decodingMethod: 'greedy_search' }),
  };
  return { type, dir, files: abs, recognizerConfig, hotwords, notes };
}

function listFiles(dir: string, modelType: AsrModelTypeSetting): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw invalid(`the ASR model directory ${dir} (model type ${modelType}) does not exist: expected ${expectedForSetting(modelType)}; found nothing.`, { dir, modelType, found: [] });
  }
  if (!isDir) throw invalid(`the ASR model directory ${dir} (model type ${modelType}) is a file, not a directory: expected a folder holding ${expectedForSetting(modelType)}.`, { dir, modelType, found: [] });
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => e.name)
    .sort();
}

/** The file for one role: the int8 version when both exist (a quarter of the memory, near-equal accuracy). */
function preferInt8(candidates: string[]): string | undefined {
  return candidates.find((n) => n.includes('.int8.')) ?? candidates[0];
}

function pickFiles(type: AsrModelType, names: string[]): Record<string, string> | null {
  const has = (n: string) => names.includes(n);
  switch (type) {
    case 'sense-voice':
    case 'paraformer': {
      const model = preferInt8(['model.int8.onnx', 'model.onnx'].filter(has));
      return model && has('tokens.txt') ? { model, tokens: 'tokens.txt' } : null;
    }
    case 'whisper': {
      for (const prefix of whisperPrefixes(names)) {
        const encoder = preferInt8([`${prefix}-encoder.int8.onnx`, `${prefix}-encoder.onnx`].filter(has));
        const decoder = preferInt8([`${prefix}-decoder.int8.onnx`, `${prefix}-decoder.onnx`].filter(has));
        const tokens = [`${prefix}-tokens.txt`, 'tokens.txt'].find(has);
        if (encoder && decoder && tokens) return { encoder, decoder, tokens };
      }
      return null;
    }
    case 'transducer': {
      const role = (r: string) => preferInt8(names.filter((n) => n.startsWith(r) && n.endsWith('.onnx')));
      const encoder = role('encoder');
      const decoder = role('decoder');
      const joiner = role('joiner');
      return encoder && decoder && joiner && has('tokens.txt') ? { encoder, decoder, joiner, tokens: 'tokens.txt' } : null;
    }
  }
}

/** `tiny` for tiny-encoder.onnx, `distil-large-v3` for distil-large-v3-encoder.int8.onnx. */
function whisperPrefixes(names: string[]): string[] {
  const prefixes = names.map((n) => /^(.+)-encoder(?:\.int8)?\.onnx$/.exec(n)?.[1]).filter((p): p is string => !!p);
  return [...new Set(prefixes)];
}

type Detection = { type: AsrModelType; because: string } | { type: null } | { ambiguous: string };

function detectType(dir: string, names: string[]): Detection {
  if (pickFiles('transducer', names)) return { type: 'transducer', because: 'found encoder, decoder and joiner models' };
  if (pickFiles('whisper', names)) return { type: 'whisper', because: 'found <name>-encoder/-decoder models and <name>-tokens.txt' };
  const single = pickFiles('sense-voice', names);
  if (!single) return { type: null };
  const tokens = readTokens(path.join(dir, 'tokens.txt'));
  if (/^<\|(zh|en|yue|ja|ko|nospeech)\|>\s/m.test(tokens)) return { type: 'sense-voice', because: `found ${single.model} and SenseVoice's language tokens in tokens.txt` };
  const folder = path.basename(dir).toLowerCase();
  if (/sense-?voice/.test(folder)) return { type: 'sense-voice', because: `found ${single.model} and tokens.txt in a folder named ${path.basename(dir)}` };
  if (folder.includes('paraformer')) return { type: 'paraformer', because: `found ${single.model} and tokens.txt in a folder named ${path.basename(dir)}` };
  return { ambiguous: `${single.model} and tokens.txt` };
}

/** tokens.txt is a few hundred KiB at most; an unreadable one is left for sherpa-onnx to report. */
function readTokens(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function modelConfigFor(type: AsrModelType, files: Record<string, string>, language: string, notes: string[], hotwords: HotwordSupport): OfflineModelConfig {
  const tokens = files.tokens as string;
  const base = { tokens, numThreads: 1, debug: 0, provider: 'cpu' };
  switch (type) {
    case 'sense-voice': {
      if (!(SENSE_VOICE_LANGUAGES as readonly string[]).includes(language)) {
        throw new TingjianError('CONFIG_INVALID', `TINGJIAN_ASR_LANGUAGE=${language} is not a SenseVoice language; use one of ${SENSE_VOICE_LANGUAGES.join(', ')}`, { language });
      }
      // Inverse text normalization adds punctuation and writes numbers as digits: what QA rules match on.
      return { ...base, senseVoice: { model: files.model as string, language: language === 'auto' ? '' : language, useInverseTextNormalization: 1 } };
    }
    case 'whisper': {
      if (language !== 'auto' && !/^[a-z]{2,3}$/.test(language)) {
        throw new TingjianError('CONFIG_INVALID', `TINGJIAN_ASR_LANGUAGE=${language} is not a Whisper language code (e.g. zh, en, yue) or auto`, { language });
      }
      return { ...base, whisper: { encoder: files.encoder as string, decoder: files.decoder as string, language: language === 'auto' ? '' : language, task: 'transcribe' } };
    }
    case 'paraformer':
      if (language !== 'auto') notes.push(`TINGJIAN_ASR_LANGUAGE=${language} is only a label: paraformer models take no language hint`);
      return { ...base, paraformer: { model: files.model as string } };
    case 'transducer': {
      if (language !== 'auto') notes.push(`TINGJIAN_ASR_LANGUAGE=${language} is only a label: transducer models take no language hint`);
      const units = hotwords.supported ? { modelingUnit: hotwords.modelingUnit, ...(files.bpeVocab ? { bpeVocab: files.bpeVocab } : {}) } : {};
      return { ...base, ...units, transducer: { encoder: files.encoder as string, decoder: files.decoder as string, joiner: files.joiner as string } };
    }
  }
}

/**
 * sherpa-onnx must split a hotword into the model's tokens: per character for Chinese (cjkchar),
 * with the BPE vocabulary for English pieces (bpe.vocab). Which applies is read from tokens.txt;
 * without a usable split, hotwords are switched off rather than passed (an unknown modeling unit
 * makes sherpa-onnx exit the process).
 */
function transducerHotwordSupport(dir: string, tokensFile: string, names: string[]): HotwordSupport {
  const tokens = readTokens(tokensFile);
  const cjk = /^\p{Script=Han}\s/mu.test(tokens);
  const hasBpe = names.includes('bpe.vocab');
  const asciiCase = /^\S*[a-z]\S*\s/m.test(tokens.replace(/^<[^>]*>\s.*$/gm, '')) ? 'keep' : 'upper';
  if (hasBpe) return { supported: true, modelingUnit: cjk ? 'cjkchar+bpe' : 'bpe', asciiCase };
  if (cjk) return { supported: true, modelingUnit: 'cjkchar', asciiCase };
  return { supported: false, reason: `the transducer in ${dir} has neither Chinese character tokens nor a bpe.vocab, so hotwords cannot be split into its tokens` };
}
