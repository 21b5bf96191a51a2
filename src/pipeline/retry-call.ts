import type { Call } from '../domain/call.js';
import { notFound, TingjianError } from '../domain/errors.js';
import type { Database } from '../ports/repositories.js';
import { stageRequeued } from './call-progress.js';
import { STAGES } from './stages.js';

/**
 * Runs a failed call again from the stage that failed, with fresh attempts — for when what failed
 * it is fixed (a model folder set right, ffmpeg installed, disk freed). The stages before it are
 * not redone; the job and the call's progress change in one transaction. CONFLICT unless failed.
 * @example await retryCall(db, callId, { maxAttempts: 4 }); runner.wake();
 */
export async function retryCall(db: Database, callId: string, opts: { maxAttempts: number }): Promise<Call> {
  return db.transaction(async (r) => {
    const call = await r.calls.get(callId);
    if (!call) throw notFound('call', callId);
    const stage = STAGES.find((s) => call.stages[s].status === 'failed');
    if (call.status !== 'failed' || !stage) {
      throw new TingjianError('CONFLICT', `call ${callId} is ${call.status}, not failed: only a failed call can be retried`, { status: call.status });
    }
    const now = Date.now();
    const stages = stageRequeued(call.stages, stage, now);
    await r.jobs.enqueue({ callId, stage, maxAttempts: opts.maxAttempts, runAfter: now, now });
    await r.calls.updateProgress(callId, 'processing', stages, now);
    return { ...call, status: 'processing', stages, updatedAt: now };
  });
}
