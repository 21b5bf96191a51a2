import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who a process is, in a form other processes can check: `host:pid:pidns`. Job claims and
 * staging files carry it, so after a crash the next process on the same host sees the pid is gone
 * and cleans up at once instead of waiting for a lease or an age limit. The pid namespace is part
 * of it because containers sharing a hostname each have their own pid 1, 2, …: a pid is only
 * known dead when it was ours to look up.
 */
const HOST = hostname().replaceAll(':', '_');
const PID_NS = (() => {
  try {
    return /\d+/.exec(readlinkSync('/proc/self/ns/pid'))?.[0] ?? '0';
  } catch {
    return '0';
  }
})();

/** The identity of process `pid` in this host and pid namespace. */
export function processTag(pid: number = process.pid): string {
  return `${HOST}:${pid}:${PID_NS}`;
}

/** A fresh worker id for this process: its tag plus a nonce (a restarted pid is a new worker). */
export function newWorkerId(): string {
  return `${processTag()}:${randomBytes(3).toString('hex')}`;
}

/**
 * True only when we can tell for sure that the process named at the start of `id` is gone:
 * same host, same pid namespace, and that pid no longer exists.
 */
export function isDeadLocalProcess(id: string): boolean {
  const [host, pidText, ns] = id.split(':');
  const pid = Number(pidText);
  if (host !== HOST || ns !== PID_NS || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
