import os from 'node:os';
import type { Config } from '../../config/config.js';
import type { AsrEngine } from '../../ports/asr-engine.js';
import { PocketsphinxEngine } from './pocketsphinx/pocketsphinx-engine.js';
import { createSherpaOnnxAsrEngine } from './sherpa-onnx/create-sherpa-onnx.js';

/** The configured engine (TINGJIAN_ASR_ENGINE), or null for `none`. Creating one loads nothing yet. */
export function createAsrEngine(config: Config, log?: (message: string) => void): AsrEngine | null {
  const threads = config.asrThreads ?? os.availableParallelism();
  switch (config.asrEngine) {
    case 'none':
      return null;
    case 'pocketsphinx':
      return new PocketsphinxEngine({ program: config.pocketsphinxPath, modelDir: config.pocketsphinxModelDir, processes: threads });
    case 'sherpa-onnx':
      return createSherpaOnnxAsrEngine(config, log ? { log } : {});
  }
}
