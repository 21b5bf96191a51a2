import type { StageHandler } from '../pipeline/stage-handler.js';

/** Inspect: judging against the published rule set lands with the 判准 issue (#4). */
export const inspectStage: StageHandler = async () => ({ status: 'skipped', note: 'no rule set published yet' });
