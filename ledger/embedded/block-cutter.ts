/**
 * The embedded orderer's block cutter (Fabric's BatchSize.MaxMessageCount and
 * BatchTimeout): a block is cut when `maxTransactions` are waiting, or `timeoutMs` after
 * the first one arrived. Blocks commit one after another; transactions that arrive while
 * a block commits wait for the next one, so under load blocks fill up by themselves.
 */
export interface BlockCutterOptions<T, R> {
  readonly maxTransactions: number;
  readonly timeoutMs: number;
  /** Commits one block; resolves to one result per transaction, in order. */
  readonly commit: (batch: readonly T[]) => Promise<readonly R[]>;
}

interface Waiting<T, R> {
  readonly tx: T;
  readonly resolve: (r: R) => void;
  readonly reject: (e: unknown) => void;
}

export class BlockCutter<T, R> {
  readonly #o: BlockCutterOptions<T, R>;
  #pending: Waiting<T, R>[] = [];
  #timer: NodeJS.Timeout | undefined;
  #due = false;
  #committing: Promise<void> | undefined;

  constructor(options: BlockCutterOptions<T, R>) {
    if (!(options.maxTransactions >= 1) || !(options.timeoutMs >= 0)) throw new RangeError('maxTransactions ≥ 1 and timeoutMs ≥ 0');
    this.#o = options;
  }

  /** Queues a transaction; resolves when its block has committed. */
  submit(tx: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ tx, resolve, reject });
      if (this.#pending.length === 1 && !this.#timer) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#due = true;
          this.#pump();
        }, this.#o.timeoutMs);
      }
      this.#pump();
    });
  }

  /** Cuts and commits whatever is waiting, and waits for every block in flight. */
  async flush(): Promise<void> {
    this.#due = true;
    this.#pump();
    while (this.#committing || this.#pending.length > 0) {
      await this.#committing;
      this.#due = true;
      this.#pump();
    }
  }

  get pending(): number {
    return this.#pending.length;
  }

  #pump(): void {
    if (this.#committing || this.#pending.length === 0) return;
    if (!this.#due && this.#pending.length < this.#o.maxTransactions) return;
    const batch = this.#pending.splice(0, this.#o.maxTransactions);
    this.#due = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#committing = this.#commit(batch).finally(() => {
      this.#committing = undefined;
      if (this.#pending.length > 0 && !this.#timer) {
        // The rest waited at least as long as this block took: cut them next.
        this.#due = true;
      }
      this.#pump();
    });
  }

  async #commit(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.#o.commit(batch.map((w) => w.tx));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (e) {
      for (const w of batch) w.reject(e);
    }
  }
}
