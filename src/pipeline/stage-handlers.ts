import { decodeStage } from '../decode/decode-stage.js';
import { enrichStage } from '../enrich/enrich-stage.js';
import { indexStage } from '../index/index-stage.js';
import { ingestStage } from '../ingest/ingest-stage.js';
import { inspectStage } from '../inspect/inspect-stage.js';
import { transcribeStage } from '../transcribe/transcribe-stage.js';
import { vadStage } from '../vad/vad-stage.js';
import type { StageHandlers } from './stage-handler.js';

/** Every stage's handler, registered in one place; the runner refuses to start if one is missing. */
export const stageHandlers: StageHandlers = {
  ingest: ingestStage,
  decode: decodeStage,
  vad: vadStage,
  transcribe: transcribeStage,
  enrich: enrichStage,
  inspect: inspectStage,
  index: indexStage,
};
