import os from 'node:os';
import { TingjianError } from '../../../domain/errors.js';
import type { TimeSpan } from '../../../domain/signals.js';
import type { WorkerPool } from '../../../platform/worker-pool.js';
import { WorkerExitError, WorkerTaskError } from '../../../platform/worker-pool.js';
import type { AsrEngine, AsrRequest, AsrSegment } from '../../../ports/asr-engine.js';
import { PCM_SAMPLE_RATE } from '../../../ports/voice-activity-detector.js';
import { resolveAsrModelDir, type AsrModelTypeSetting, type ResolvedAsrModel } from './model-dir.js';
import { hotwordString, segmentFrom, type DecodedPiece } from './recognition-result.js';
import { startRecognizerWorkers, type DecodeRequest } from './recognizer-worker.js';
import { loadSherpaOnnx, probeInChildProcess } from './sherpa-onnx-native.js';

export interface SherpaOnnxAsrOptions {
  /** TINGJIAN_ASR_MODEL_DIR; unset is reported by check(). */
  modelDir: string | undefined;
  modelType: AsrModelTypeSetting;
  /** TINGJIAN_ASR_LANGUAGE: a hint for SenseVoice and Whisper, a label for the others. */
  language: string;
  /** Worker threads, each holding its own copy of the model; default: the cores of this machine. */
  threads?: number;
  /** Where choices made for the user go (type detected, int8 picked, hotwords ignored). */
  log?: (message: string) => void;
}

const FIX = 'check TINGJIAN_ASR_MODEL_DIR and TINGJIAN_ASR_MODEL_TYPE (see docs/asr-models.md)';

/**
 * Offline speech recognition with sherpa-onnx (SenseVoice, Paraformer, Whisper, transducers) on
 * a pool of worker threads, one recognizer each. Spans are decoded independently and spread over
 * the pool, so one long call keeps every core busy. Before any thread loads the model, it is
 * loaded once in a throwaway process (see probeInChildProcess): some bad models make sherpa-onnx
 * end the process it runs in, and that must not be the server.
 */
export class SherpaOnnxAsrEngine implements AsrEngine {
  readonly language: string;
  /** What the engine decided or ignored, e.g. "hotwords ignored: sense-voice models take no hotwords". */
  readonly notes: string[] = [];
  private model: ResolvedAsrModel | null = null;
  private verified: ResolvedAsrModel | null = null;
  private checking: Promise<ResolvedAsrModel> | null = null;
  private pool: WorkerPool<DecodeRequest, DecodedPiece[]> | null = null;
  private poolKey = '';
  private hotwordsNoted = false;

  constructor(private readonly options: SherpaOnnxAsrOptions) {
    this.language = options.language;
    try {
      this.model = this.resolve();
    } catch {
      // check() reports a missing or incomplete folder; the name falls back to the configured type.
    }
  }

  /** `sherpa-onnx/sense-voice`, …; the configured type (`sherpa-onnx/auto`) until the folder resolves. */
  get name(): string {
    return `sherpa-onnx/${this.model?.type ?? this.options.modelType}`;
  }

  /** Worker threads the pool may run. */
  get threads(): number {
    return this.options.threads ?? os.availableParallelism();
  }

  async check(): Promise<void> {
    const model = this.resolve();
    this.model = model;
    loadSherpaOnnx('speech recognition (TINGJIAN_ASR_ENGINE=sherpa-onnx)');
    try {
      await probeInChildProcess('offline-recognizer', model.recognizerConfig);
    } catch (e) {
      throw new TingjianError('CONFIG_INVALID', `sherpa-onnx cannot use the ${model.type} model in ${model.dir}: ${(e as Error).message}; ${FIX}`, { dir: model.dir, modelType: model.type, files: model.files });
    }
    if (this.verified === null) for (const n of model.notes) this.note(n);
    this.verified = model;
  }

  async transcribe(request: AsrRequest): Promise<AsrSegment[]> {
    const model = await this.ready();
    const spans = [...request.spans].sort((a, b) => a.startMs - b.startMs);
    if (spans.length === 0) return [];
    const pool = this.poolFor(model);
    const hotwords = this.hotwordsFor(model, request.hotwords ?? []);
    // The first failure stops what has not started: the rest would fail the same way.
    const controller = new AbortController();
    const failures: Array<{ error: unknown; span: TimeSpan }> = [];
    const jobs = spans.map(async (span) => {
      const from = Math.max(0, Math.floor((span.startMs * PCM_SAMPLE_RATE) / 1000));
      const to = Math.min(request.samples.length, Math.ceil((span.endMs * PCM_SAMPLE_RATE) / 1000));
      if (to <= from) return null;
      // A copy of the span's samples, moved (not copied again) to the thread that decodes it.
      const samples = request.samples.slice(from, to);
      try {
        const pieces = await pool.run({ samples, ...(hotwords ? { hotwords } : {}) }, { transfer: [samples.buffer], signal: controller.signal });
        return segmentFrom(span, pieces);
      } catch (e) {
        if (failures.length === 0) failures.push({ error: e, span });
        controller.abort();
        return null;
      }
    });
    const segments = await Promise.all(jobs);
    if (failures[0]) throw this.explain(failures[0], model);
    return segments.filter((s): s is AsrSegment => s !== null);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }

  private resolve(): ResolvedAsrModel {
    return resolveAsrModelDir({ modelDir: this.options.modelDir, modelType: this.options.modelType, language: this.options.language });
  }

  /** The model checked once (concurrent callers share the check); a failed check is retried next time. */
  private async ready(): Promise<ResolvedAsrModel> {
    if (this.verified) return this.verified;
    this.checking ??= this.check()
      .then(() => this.verified as ResolvedAsrModel)
      .finally(() => (this.checking = null));
    return this.checking;
  }

  /** The pool for this model; a model changed since (check() found other files) gets a new one. */
  private poolFor(model: ResolvedAsrModel): WorkerPool<DecodeRequest, DecodedPiece[]> {
    const key = JSON.stringify(model.recognizerConfig);
    if (!this.pool || this.poolKey !== key) {
      void this.pool?.close();
      this.pool = startRecognizerWorkers(model.recognizerConfig, this.threads);
      this.poolKey = key;
    }
    return this.pool;
  }

  private hotwordsFor(model: ResolvedAsrModel, hotwords: readonly string[]): string | undefined {
    if (hotwords.length === 0) return undefined;
    if (!model.hotwords.supported) {
      if (!this.hotwordsNoted) this.note(`hotwords ignored: ${model.hotwords.reason}`);
      this.hotwordsNoted = true;
      return undefined;
    }
    return hotwordString(hotwords, model.hotwords.asciiCase) || undefined;
  }

  private explain({ error, span }: { error: unknown; span: TimeSpan }, model: ResolvedAsrModel): TingjianError {
    if (error instanceof TingjianError) return error;
    const where = `the speech at ${span.startMs}–${span.endMs} ms`;
    if (error instanceof WorkerTaskError && error.phase === 'setup') {
      return new TingjianError('CONFIG_INVALID', `sherpa-onnx could not load the ${model.type} model in ${model.dir}: ${error.message}; ${FIX}`, { dir: model.dir, modelType: model.type });
    }
    if (error instanceof WorkerTaskError || error instanceof WorkerExitError) {
      return new TingjianError('INTERNAL', `sherpa-onnx failed on ${where}: ${error.message}`, { startMs: span.startMs, endMs: span.endMs });
    }
    return new TingjianError('INTERNAL', `sherpa-onnx failed on ${where}: ${String(error)}`, undefined, { cause: error });
  }

  private note(message: string): void {
    this.notes.push(message);
    this.options.log?.(`${this.name}: ${message}`);
  }
}
