/**
 * At most `size` tasks at once, the rest wait in order. For work done by child processes (which
 * a worker-thread pool does not cover): e.g. pocketsphinx processes shared by every call a
 * process transcribes, so two calls at once do not run twice the processes the cores can take.
 * @example const cpu = new Semaphore(os.availableParallelism()); await cpu.run(() => decode(share));
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`semaphore size must be a positive integer, got ${size}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter (active stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
