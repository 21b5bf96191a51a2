import type { CallStatus } from '../domain/call.js';
import { nextStage, type StageName, type StageStates } from './stages.js';

/**
 * Pure transitions of a call's per-stage progress. The job runner applies them inside the same
 * transaction as the job update, so the call's view and the job table never disagree.
 */
export function stageStarted(stages: StageStates, stage: StageName, attempts: number, now: number): StageStates {
  return { ...stages, [stage]: { status: 'running', attempts, updatedAt: now } };
}

export function stageFinished(
  stages: StageStates,
  stage: StageName,
  result: { status: 'done' | 'skipped'; note?: string | undefined },
  attempts: number,
  now: number,
): { stages: StageStates; status: CallStatus; next: StageName | null } {
  const next = nextStage(stage);
  const updated: StageStates = {
    ...stages,
    [stage]: { status: result.status, attempts, updatedAt: now, ...(result.note ? { note: result.note } : {}) },
  };
  if (next) updated[next] = { status: 'queued', attempts: 0, updatedAt: now };
  return { stages: updated, status: next ? 'processing' : 'done', next };
}

export function stageRetrying(stages: StageStates, stage: StageName, attempts: number, error: string, now: number): StageStates {
  return { ...stages, [stage]: { status: 'queued', attempts, error, updatedAt: now } };
}

export function stageFailed(
  stages: StageStates,
  stage: StageName,
  attempts: number,
  error: string,
  now: number,
): { stages: StageStates; status: CallStatus } {
  return { stages: { ...stages, [stage]: { status: 'failed', attempts, error, updatedAt: now } }, status: 'failed' };
}

/** A failed stage queued again by an operator (`tingjian retry`, POST …/retry): attempts start over. */
export function stageRequeued(stages: StageStates, stage: StageName, now: number): StageStates {
  const before = stages[stage];
  return { ...stages, [stage]: { status: 'queued', attempts: 0, updatedAt: now, note: `retried by an operator after: ${before.error ?? 'failure'}` } };
}
