import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Who holds a job: `host:pid:nonce`. After a crash the next process on the same host sees the
 * pid is gone and takes the job back at once, instead of waiting for the lease to run out.
 */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** True only when we can tell for sure: same host and that pid no longer exists. */
export function isDeadLocalWorker(workerId: string): boolean {
  const [host, pidText] = workerId.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
