import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { TingjianError } from '../../domain/errors.js';

/** Chunk size when staging a file: few syscalls, and the chunk stays in L2 between read, hash and write. */
const COPY_CHUNK_BYTES = 1024 * 1024;

/** Files from this size on are staged on a worker thread (starting one costs ~20 ms, once). */
const OFF_THREAD_MIN_BYTES = 4 * 1024 * 1024;

export const tooLarge = (max: number) =>
  new TingjianError('UPLOAD_TOO_LARGE', `the upload is larger than the limit of ${max} bytes; raise TINGJIAN_MAX_UPLOAD_MB or split the recording`, { maxBytes: max });

export interface CopyResult {
  sha256: string;
  size: number;
}

/**
 * Copy `src` to the new file `dst` (created exclusively, mode 0o666 less the umask, as stage()
 * creates it) on a staging thread and hash the bytes written; UPLOAD_TOO_LARGE past `max`.
 * Null when the file is too small to be worth a thread, or no thread could do it (the caller
 * then streams it in-process). A partial `dst` is left for the caller to remove.
 */
export async function copyAndHashOffThread(src: string, dst: string, max: number, sizeHint: number): Promise<CopyResult | null> {
  const offThread = sizeHint >= OFF_THREAD_MIN_BYTES ? copyWorkers.copy(src, dst, max) : null;
  if (!offThread) return null;
  try {
    return await offThread;
  } catch (e) {
    // Too large, or a file error (ENOENT, EACCES, ENOSPC, …): that is the answer.
    if (e instanceof TingjianError || (e as NodeJS.ErrnoException).code) throw e;
    return null; // the worker died
  }
}

/** The worker's code: plain CommonJS, so it runs the same from TypeScript sources (tsx) and from dist. */
const COPY_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, writeSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const buf = Buffer.allocUnsafe(${COPY_CHUNK_BYTES});
parentPort.on('message', ({ id, src, dst, max }) => {
  let input = -1;
  let output = -1;
  try {
    input = openSync(src, 'r');
    output = openSync(dst, 'wx');
    const hash = createHash('sha256');
    let size = 0;
    let n;
    while ((n = readSync(input, buf, 0, buf.length, null)) > 0) {
      size += n;
      if (size > max) return parentPort.postMessage({ id, tooLarge: true });
      hash.update(buf.subarray(0, n));
      for (let off = 0; off < n; ) off += writeSync(output, buf, off, n - off);
    }
    parentPort.postMessage({ id, sha256: hash.digest('hex'), size });
  } catch (e) {
    parentPort.postMessage({ id, error: { message: String((e && e.message) || e), code: e && e.code } });
  } finally {
    if (output >= 0) closeSync(output);
    if (input >= 0) closeSync(input);
  }
});
`;

type CopyReply = { id: number; sha256: string; size: number } | { id: number; tooLarge: true } | { id: number; error: { message: string; code?: string } };

interface CopyWorker {
  worker: Worker;
  pending: Map<number, { resolve: (r: CopyResult) => void; reject: (e: Error) => void; max: number }>;
}

/**
 * Staging threads shared by every store in the process, started on first use, one per core (at
 * most 4) as concurrent copies need them. A worker is unref'd while idle, so it never keeps the
 * process alive; one that dies fails its pending copies (the caller redoes them in-thread) and
 * is replaced on a later call.
 */
class CopyWorkers {
  private readonly workers: CopyWorker[] = [];
  private readonly limit = Math.max(1, Math.min(os.availableParallelism(), 4));
  private nextId = 0;
  private unavailable = false;

  /** The copy's result, or null when no worker can be started (the caller copies in-thread). */
  copy(src: string, dst: string, max: number): Promise<CopyResult> | null {
    const w = this.pick();
    if (!w) return null;
    const id = this.nextId++;
    return new Promise<CopyResult>((resolve, reject) => {
      w.pending.set(id, { resolve, reject, max });
      if (w.pending.size === 1) w.worker.ref();
      w.worker.postMessage({ id, src, dst, max });
    });
  }

  private pick(): CopyWorker | null {
    const idle = this.workers.find((w) => w.pending.size === 0);
    if (idle) return idle;
    if (this.workers.length < this.limit && !this.unavailable) {
      const started = this.start();
      if (started) return started;
    }
    return this.workers.reduce<CopyWorker | null>((a, b) => (!a || b.pending.size < a.pending.size ? b : a), null);
  }

  private start(): CopyWorker | null {
    let worker: Worker;
    try {
      // execArgv: [] — the worker is plain JS; it needs none of the parent's loaders (e.g. tsx).
      worker = new Worker(COPY_WORKER_SOURCE, { eval: true, execArgv: [] });
    } catch {
      this.unavailable = true;
      return null;
    }
    const w: CopyWorker = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (m: CopyReply) => {
      const job = w.pending.get(m.id);
      if (!job) return;
      w.pending.delete(m.id);
      if (w.pending.size === 0) worker.unref();
      if ('sha256' in m) job.resolve({ sha256: m.sha256, size: m.size });
      else if ('tooLarge' in m) job.reject(tooLarge(job.max));
      else job.reject(Object.assign(new Error(m.error.message), m.error.code ? { code: m.error.code } : {}));
    });
    const fail = (e: Error) => {
      const i = this.workers.indexOf(w);
      if (i >= 0) this.workers.splice(i, 1);
      for (const job of w.pending.values()) job.reject(e);
      w.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the staging worker stopped (exit code ${code})`)));
    this.workers.push(w);
    return w;
  }
}

const copyWorkers = new CopyWorkers();
