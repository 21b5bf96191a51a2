import { statSync } from 'node:fs';
import path from 'node:path';
import type { OfflineSpeakerDiarizationConfig } from 'sherpa-onnx-node';
import { TingjianError } from '../../../domain/errors.js';
import { WorkerPool, WorkerTaskError } from '../../../platform/worker-pool.js';
import type { SpeakerDiarizer } from '../../../ports/speaker-diarizer.js';
import { loadSherpaOnnx, probeInChildProcess, sherpaOnnxEntry } from './sherpa-onnx-native.js';

export interface SherpaOnnxDiarizerOptions {
  /** TINGJIAN_DIARIZATION_SEGMENTATION_MODEL: the pyannote segmentation .onnx. */
  segmentationModel: string | undefined;
  /** TINGJIAN_DIARIZATION_EMBEDDING_MODEL: the speaker embedding .onnx (3D-Speaker, NeMo, WeSpeaker). */
  embeddingModel: string | undefined;
  /** Speakers to find; a call has two. */
  numSpeakers?: number;
}

type Turn = { startMs: number; endMs: number; speaker: number };

const MODELS = [
  { key: 'segmentationModel', env: 'TINGJIAN_DIARIZATION_SEGMENTATION_MODEL', what: 'speaker segmentation model (pyannote, e.g. sherpa-onnx-pyannote-segmentation-3-0/model.onnx)' },
  { key: 'embeddingModel', env: 'TINGJIAN_DIARIZATION_EMBEDDING_MODEL', what: 'speaker embedding model (e.g. 3dspeaker_speech_eres2net_base_sv_zh-cn_3dspeaker_16k.onnx)' },
] as const;

/**
 * The diarizer runs on its own thread: processing a call takes seconds, which must not stall the
 * event loop. The constructor there is synchronous, which aborts the process on a model ONNX
 * Runtime cannot load, so it only ever sees models that probeInChildProcess loaded first.
 */
const DIARIZER_SETUP_SOURCE = `(data) => {
  const { OfflineSpeakerDiarization } = require(data.sherpaEntry);
  const sd = new OfflineSpeakerDiarization(data.config);
  return ({ samples }) => sd.process(samples).map((s) => ({ start: s.start, end: s.end, speaker: s.speaker }));
}`;

/**
 * Speaker diarization with sherpa-onnx: pyannote segmentation finds who-speaks-when regions,
 * speaker embeddings are clustered into `numSpeakers` voices (2 for a call).
 */
export class SherpaOnnxDiarizer implements SpeakerDiarizer {
  readonly name = 'sherpa-onnx/pyannote';
  private verified = false;
  private pool: WorkerPool<{ samples: Float32Array }, Array<{ start: number; end: number; speaker: number }>> | null = null;

  constructor(private readonly options: SherpaOnnxDiarizerOptions) {}

  async check(): Promise<void> {
    const config = this.config();
    loadSherpaOnnx('speaker diarization (TINGJIAN_DIARIZATION_*_MODEL)');
    try {
      await probeInChildProcess('speaker-diarization', config);
    } catch (e) {
      throw new TingjianError(
        'CONFIG_INVALID',
        `sherpa-onnx cannot use the diarization models ${config.segmentation.pyannote.model} and ${config.embedding.model}: ${(e as Error).message}; check TINGJIAN_DIARIZATION_SEGMENTATION_MODEL and TINGJIAN_DIARIZATION_EMBEDDING_MODEL (see docs/asr-models.md)`,
        { segmentationModel: config.segmentation.pyannote.model, embeddingModel: config.embedding.model },
      );
    }
    this.verified = true;
  }

  async diarize(samples: Float32Array): Promise<Turn[]> {
    if (!this.verified) await this.check();
    this.pool ??= new WorkerPool({ name: 'sherpa-onnx diarizer', setupSource: DIARIZER_SETUP_SOURCE, workerData: { sherpaEntry: sherpaOnnxEntry(), config: this.config() }, size: 1 });
    const copy = samples.slice();
    let segments: Array<{ start: number; end: number; speaker: number }>;
    try {
      segments = await this.pool.run({ samples: copy }, { transfer: [copy.buffer] });
    } catch (e) {
      const code = e instanceof WorkerTaskError && e.phase === 'setup' ? 'CONFIG_INVALID' : 'INTERNAL';
      throw new TingjianError(code, `sherpa-onnx speaker diarization failed: ${(e as Error).message}`);
    }
    return segments
      .map((s) => ({ startMs: Math.round(s.start * 1000), endMs: Math.round(s.end * 1000), speaker: s.speaker }))
      .filter((t) => t.endMs > t.startMs)
      .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }

  /** The sherpa-onnx config; CONFIG_INVALID naming every model file that is unset or missing, with its setting. */
  private config(): OfflineSpeakerDiarizationConfig {
    const problems: string[] = [];
    const paths = MODELS.map(({ key, env, what }) => {
      const value = this.options[key];
      if (!value) {
        problems.push(`no ${what} is set: set ${env} to its .onnx file`);
        return '';
      }
      const file = path.resolve(value);
      let isFile = false;
      try {
        isFile = statSync(file).isFile();
      } catch {
        // reported below
      }
      if (!isFile) problems.push(`the ${what} ${file} does not exist or is not a file: fix ${env}`);
      return file;
    });
    if (problems.length) throw new TingjianError('CONFIG_INVALID', `${problems.join('; ')} (see docs/asr-models.md)`, { problems });
    return {
      segmentation: { pyannote: { model: paths[0] as string }, numThreads: 1, debug: 0 },
      embedding: { model: paths[1] as string, numThreads: 1, debug: 0 },
      // A known speaker count makes the threshold irrelevant; sherpa-onnx's example values otherwise.
      clustering: { numClusters: this.options.numSpeakers ?? 2, threshold: 0.5 },
      minDurationOn: 0.2,
      minDurationOff: 0.5,
    };
  }
}
