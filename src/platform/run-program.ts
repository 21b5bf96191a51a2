import { spawn } from 'node:child_process';

export interface RunProgramOptions {
  /** Kill the program (SIGKILL) after this many ms and report `timedOut: true`. Default 60 s. */
  timeoutMs?: number;
  /** Keep at most this many bytes of stderr (head and tail, middle elided). Default 64 KiB. */
  maxStderrBytes?: number;
  /** Keep at most this many bytes of stdout (head and tail). Default 64 KiB. */
  maxStdoutBytes?: number;
}

export interface RunProgramResult {
  /** Exit code; null when the program was killed (timeout) or died on a signal. */
  code: number | null;
  /** stderr as text, capped: a huge log keeps its first and last bytes around an elision marker. */
  stderr: string;
  /** stdout as text, capped the same way. */
  stdout: string;
  timedOut: boolean;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_CAP_BYTES = 64 * 1024;

/**
 * Whether a spawn error means the program is not there (or not runnable): only then is it a
 * missing dependency for an operator to install. EAGAIN/EMFILE/ENOMEM are a busy machine: retry.
 */
export const programMissing = (err: NodeJS.ErrnoException): boolean => err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'ENOTDIR';

/**
 * Runs a program without a shell (arguments are passed verbatim, so file names need no quoting),
 * with stdin closed and a hard timeout. A non-zero exit is NOT an error here: callers read the
 * output and decide. It rejects (with `onSpawnError`'s error) only when the program cannot be
 * started at all.
 */
export function runProgram(
  program: string,
  args: readonly string[],
  opts: RunProgramOptions & { onSpawnError: (err: NodeJS.ErrnoException) => Error },
): Promise<RunProgramResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const stderr = new CappedBuffer(opts.maxStderrBytes ?? DEFAULT_CAP_BYTES);
  const stdout = new CappedBuffer(opts.maxStdoutBytes ?? DEFAULT_CAP_BYTES);

  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(opts.onSpawnError(err));
    });
    // 'close' (not 'exit') so both pipes are drained before we resolve.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: stderr.text(), stdout: stdout.text(), timedOut });
    });
  });
}

/**
 * Collects a stream up to `cap` bytes: the first 3/4 and the last 1/4. programs put what we need
 * (ffmpeg: stream info, first errors) at the start and the final verdict at the end; a corrupt file can
 * log one line per packet, which must not grow memory without bound.
 */
class CappedBuffer {
  private readonly headCap: number;
  private readonly tailCap: number;
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer = Buffer.alloc(0);
  private dropped = 0;

  constructor(cap: number) {
    this.headCap = Math.floor((cap * 3) / 4);
    this.tailCap = cap - this.headCap;
  }

  push(chunk: Buffer): void {
    if (this.headBytes < this.headCap) {
      const take = Math.min(chunk.length, this.headCap - this.headBytes);
      this.head.push(chunk.subarray(0, take));
      this.headBytes += take;
      chunk = chunk.subarray(take);
      if (chunk.length === 0) return;
    }
    const joined = Buffer.concat([this.tail, chunk]);
    const excess = Math.max(0, joined.length - this.tailCap);
    this.dropped += excess;
    this.tail = joined.subarray(excess);
  }

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    if (this.dropped === 0) return head + this.tail.toString('utf8');
    return `${head}\n…[${this.dropped} bytes elided]…\n${this.tail.toString('utf8')}`;
  }
}
