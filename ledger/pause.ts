/** A wait that ends after its time, or at once when woken. */
export interface Pause {
  readonly done: Promise<void>;
  /** Ends the wait now; harmless after it has ended. */
  wake(): void;
}

/**
 * How the ledger's pollers wait (the outbox worker between drains, the embedded event
 * stream between reads, the reconciler before it reconnects): a stop, or a commit that
 * makes new work, must not sit out the rest of the interval.
 *
 * @example
 * const p = pause(250);
 * this.#wake = p.wake; // stop() and an enqueue call it
 * await p.done;
 */
export function pause(ms: number): Pause {
  let wake!: () => void;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, wake };
}
