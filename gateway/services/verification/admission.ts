import { VerificationBusyError } from './errors.ts';

/**
 * Bounds how many verifications run and wait at once. Verifying is CPU-bound on this
 * thread, so more at once only makes each slower; a bounded queue turns a flood of
 * uploads into quick refusals instead of a growing pile of buffered files.
 */
export class Admission {
  readonly #maxActive: number;
  readonly #maxQueued: number;
  #active = 0;
  readonly #queue: (() => void)[] = [];

  constructor(options: Readonly<{ maxActive: number; maxQueued: number }>) {
    this.#maxActive = options.maxActive;
    this.#maxQueued = options.maxQueued;
  }

  /** Runs `task` when a place is free. @throws {@link VerificationBusyError} the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#maxActive) {
      if (this.#queue.length >= this.#maxQueued) throw new VerificationBusyError({ active: this.#active, queued: this.#queue.length });
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    } else {
      this.#active++;
    }
    try {
      return await task();
    } finally {
      // Hand the place straight to the next waiter, or free it.
      const next = this.#queue.shift();
      if (next) next();
      else this.#active--;
    }
  }
}
