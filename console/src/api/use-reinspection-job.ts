import { useEffect, useState } from 'react';
import { fetchReinspection, type ReinspectionJob } from './rule-sets';

const POLL_MS = 1000;
const OVER = new Set<ReinspectionJob['status']>(['done', 'failed', 'cancelled']);

/**
 * A re-inspection job as it runs: GET /api/v1/reinspections/:id every second until it is done,
 * failed or cancelled. A failed poll is reported in `error`; with `retryAfterError` the next tick
 * tries again (the job goes on on the server), else polling stops there.
 */
export function useReinspectionJob(first: ReinspectionJob, opts: { retryAfterError: boolean }): { job: ReinspectionJob; error: Error | undefined; over: boolean } {
  const [job, setJob] = useState(first);
  const [error, setError] = useState<Error | undefined>();
  const over = OVER.has(job.status);
  const { retryAfterError } = opts;
  useEffect(() => {
    if (over) return;
    const ac = new AbortController();
    const timer = setTimeout(() => {
      fetchReinspection(job.id, ac.signal).then(
        (j) => {
          setError(undefined);
          setJob(j);
        },
        (e: unknown) => {
          if (ac.signal.aborted) return;
          setError(e instanceof Error ? e : new Error(String(e)));
          // A new object of the same job runs this effect again: the next tick.
          if (retryAfterError) setJob((j) => ({ ...j }));
        },
      );
    }, POLL_MS);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [job, over, retryAfterError]);
  return { job, error, over };
}
