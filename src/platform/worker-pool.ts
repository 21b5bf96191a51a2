import { Worker, type Transferable } from 'node:worker_threads';

/**
 * A pool of worker threads that each run one task at a time, for work that must leave the event
 * loop: staging uploads (src/adapters/blob/file-copy-hasher.ts), speech recognition and
 * diarization (src/adapters/asr/sherpa-onnx/).
 *
 * The worker code is plain CommonJS source evaluated in the thread, so the same code runs from
 * the TypeScript sources (through tsx) and from dist/ without a loader or a separate file to ship.
 * `setupSource` is a function expression `(workerData) => handler`; it runs once per thread as it
 * starts (e.g. to load a model) and may return a promise. `handler(request)` answers one task,
 * returning or resolving to the result; what it throws rejects that task.
 *
 * Threads start on demand up to `size`, are unref'd while idle (an idle pool never keeps the
 * process alive), and one that dies fails its task and is replaced by a later one.
 */
export interface WorkerPoolOptions {
  /** Names the pool in errors: "the <name> worker stopped (exit code 1)". */
  name: string;
  setupSource: string;
  /** Handed to `setup` in every thread (structured-cloned). */
  workerData?: unknown;
  /** Most threads at once. */
  size: number;
}

export interface RunOptions {
  /** Buffers moved to the thread instead of copied (they are unusable here afterwards). */
  transfer?: readonly Transferable[];
  /** Aborting drops the task while it still waits for a thread; a running task finishes. */
  signal?: AbortSignal;
}

/** A task's own failure: thrown by `setup` (phase 'setup', the thread is retired) or by the handler. */
export class WorkerTaskError extends Error {
  readonly phase: 'setup' | 'task';
  /** The thrown error's string `code`, e.g. ENOENT. */
  readonly code: string | undefined;
  constructor(message: string, phase: 'setup' | 'task', code: string | undefined) {
    super(message);
    this.name = 'WorkerTaskError';
    this.phase = phase;
    this.code = code;
  }
}

/** The thread stopped (crashed, was terminated, or the pool closed) or could not be started. */
export class WorkerExitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerExitError';
  }
}

type Reply = { ok: true; result: unknown } | { ok: false; error: { message: string; code?: string; phase: 'setup' | 'task' } };

interface Task {
  request: unknown;
  transfer: readonly Transferable[];
  resolve: (result: unknown) => void;
  reject: (e: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

/** Wraps the caller's setup in the message protocol; the thread answers one task at a time. */
const threadSource = (setupSource: string) => `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const setup = (${setupSource});
const ready = Promise.resolve().then(() => setup(workerData));
// A failed setup is reported with every task below; it must not also count as unhandled.
ready.catch(() => {});
parentPort.on('message', async (request) => {
  let phase = 'setup';
  try {
    const handle = await ready;
    phase = 'task';
    parentPort.postMessage({ ok: true, result: await handle(request) });
  } catch (e) {
    const code = e && typeof e.code === 'string' ? e.code : undefined;
    parentPort.postMessage({ ok: false, error: { message: String((e && e.message) || e), code, phase } });
  }
});
`;

export class WorkerPool<Request, Result> {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly source: string;
  private unavailable: WorkerExitError | null = null;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.source = threadSource(options.setupSource);
  }

  /** Threads running now (started and not stopped). */
  get threads(): number {
    return this.slots.length;
  }

  run(request: Request, options: RunOptions = {}): Promise<Result> {
    if (this.closed) return Promise.reject(new WorkerExitError(`the ${this.options.name} worker pool is closed`));
    if (this.unavailable) return Promise.reject(this.unavailable);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<Result>((resolve, reject) => {
      const task: Task = { request, transfer: options.transfer ?? [], resolve: resolve as (r: unknown) => void, reject, signal, onAbort: undefined };
      if (signal) {
        task.onAbort = () => {
          const i = this.queue.indexOf(task);
          if (i >= 0) {
            this.queue.splice(i, 1);
            reject(abortReason(signal));
          }
        };
        signal.addEventListener('abort', task.onAbort, { once: true });
      }
      this.queue.push(task);
      this.dispatch();
    });
  }

  /** Stops every thread; waiting and running tasks reject with WorkerExitError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closedError = new WorkerExitError(`the ${this.options.name} worker pool was closed`);
    for (const task of this.queue.splice(0)) settle(task, () => task.reject(closedError));
    const slots = this.slots.splice(0);
    for (const slot of slots) if (slot.task) settle(slot.task, (t) => t.reject(closedError));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.task === null) ?? this.start();
      if (!slot) break;
      const task = this.queue.shift() as Task;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage(task.request, task.transfer);
    }
    // Nothing will ever run what is left when no thread can start and none is running.
    if (this.unavailable && this.slots.length === 0) {
      for (const task of this.queue.splice(0)) settle(task, (t) => t.reject(this.unavailable as Error));
    }
  }

  private start(): Slot | null {
    if (this.slots.length >= this.options.size || this.unavailable) return null;
    let worker: Worker;
    try {
      // execArgv: [] — the thread runs plain JS and needs none of the parent's loaders (tsx).
      worker = new Worker(this.source, { eval: true, execArgv: [], workerData: this.options.workerData });
    } catch (e) {
      this.unavailable = new WorkerExitError(`cannot start a ${this.options.name} worker thread: ${(e as Error).message}`);
      return null;
    }
    const slot: Slot = { worker, task: null };
    worker.unref();
    worker.on('message', (reply: Reply) => this.answer(slot, reply));
    worker.on('error', (e: Error) => this.lose(slot, new WorkerExitError(`the ${this.options.name} worker failed: ${e.message}`)));
    worker.on('exit', (code) => this.lose(slot, new WorkerExitError(`the ${this.options.name} worker stopped (exit code ${code})`)));
    this.slots.push(slot);
    return slot;
  }

  private answer(slot: Slot, reply: Reply): void {
    const task = slot.task;
    if (!task) return;
    slot.task = null;
    slot.worker.unref();
    if (reply.ok) settle(task, (t) => t.resolve(reply.result));
    else {
      const { message, code, phase } = reply.error;
      // A thread whose setup failed stays broken; retire it so a later task starts afresh.
      if (phase === 'setup') this.retire(slot);
      settle(task, (t) => t.reject(new WorkerTaskError(message, phase, code)));
    }
    this.dispatch();
  }

  private lose(slot: Slot, error: WorkerExitError): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    const task = slot.task;
    slot.task = null;
    if (task) settle(task, (t) => t.reject(error));
    if (!this.closed) this.dispatch();
  }

  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate();
  }
}

function settle(task: Task, outcome: (task: Task) => void): void {
  if (task.signal && task.onAbort) task.signal.removeEventListener('abort', task.onAbort);
  outcome(task);
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
