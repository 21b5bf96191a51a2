import os from 'node:os';
import { TingjianError } from '../../domain/errors.js';
import { WorkerPool, WorkerTaskError } from '../../platform/worker-pool.js';

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
  if (sizeHint < OFF_THREAD_MIN_BYTES) return null;
  let reply: CopyReply;
  try {
    reply = await copyWorkers.run({ src, dst, max });
  } catch (e) {
    // A file error (ENOENT, EACCES, ENOSPC, …) is the answer; no thread (or a dead one) is not.
    if (e instanceof WorkerTaskError && e.code) throw Object.assign(new Error(e.message), { code: e.code });
    return null;
  }
  if ('tooLarge' in reply) throw tooLarge(max);
  return reply;
}

/**
 * One copy on a staging thread (see src/platform/worker-pool.ts for how the code gets there):
 * plain CommonJS, so it runs the same from TypeScript sources (tsx) and from dist.
 */
const COPY_SETUP_SOURCE = `() => {
  const { openSync, readSync, writeSync, closeSync } = require('node:fs');
  const { createHash } = require('node:crypto');
  const buf = Buffer.allocUnsafe(${COPY_CHUNK_BYTES});
  return ({ src, dst, max }) => {
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
        if (size > max) return { tooLarge: true };
        hash.update(buf.subarray(0, n));
        for (let off = 0; off < n; ) off += writeSync(output, buf, off, n - off);
      }
      return { sha256: hash.digest('hex'), size };
    } finally {
      if (output >= 0) closeSync(output);
      if (input >= 0) closeSync(input);
    }
  };
}`;

interface CopyRequest {
  src: string;
  dst: string;
  max: number;
}
type CopyReply = CopyResult | { tooLarge: true };

/**
 * Staging threads shared by every store in the process, started on first use, one per core (at
 * most 4) as concurrent copies need them. Idle threads never keep the process alive; one that
 * dies fails its copy (the caller redoes it in-thread) and is replaced on a later call.
 */
const copyWorkers = new WorkerPool<CopyRequest, CopyReply>({
  name: 'staging',
  setupSource: COPY_SETUP_SOURCE,
  size: Math.max(1, Math.min(os.availableParallelism(), 4)),
});
