import os from 'node:os';
import type { Config } from '../../config/config.js';
import type { AsrEngine } from '../../ports/asr-engine.js';
import { PocketsphinxEngine } from './pocketsphinx/pocketsphinx-engine.js';

/** The configured engine (TINGJIAN_ASR_ENGINE), or null for `none`. Creating one loads nothing yet. */
export function createAsrEngine(config: Config): AsrEngine | null {
  const threads = config.asrThreads ?? os.availableParallelism();
  switch (config.asrEngine) {
    case 'none':
      return null;
    case 'pocketsphinx':
      return new PocketsphinxEngine({ program: config.pocketsphinxPath, modelDir: config.pocketsphinxModelDir, processes: threads });
    case 'sherpa-onnx':
      throw new Error('sherpa-onnx engine not wired yet');
  }
}
