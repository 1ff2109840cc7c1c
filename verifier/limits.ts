import { LimitExceededError } from './errors.ts';

/**
 * Bounds that keep hostile input from taking unbounded time or memory. Every one of them
 * turns into a verdict when hit (document FORMAT_FAILURE or a per-signature failure), never
 * into a crash or a hang.
 */
export interface VerifyLimits {
  /** Largest input accepted, in bytes. @default 256 MiB */
  readonly maxFileBytes: number;
  /** Most revisions (incremental updates + 1) followed through /Prev. @default 512 */
  readonly maxRevisions: number;
  /** Most xref entries over all revisions. @default 1,000,000 */
  readonly maxObjects: number;
  /** Deepest nesting of arrays and dictionaries in one object. @default 64 */
  readonly maxDepth: number;
  /** Longest chain of indirect references followed for one value. @default 32 */
  readonly maxReferenceChain: number;
  /** Largest decoded (decompressed) stream, in bytes. @default 64 MiB */
  readonly maxStreamBytes: number;
  /** Most bytes decoded from all streams of one verification. @default 256 MiB */
  readonly maxDecodedBytes: number;
  /** Most signatures and document time-stamps examined. @default 64 */
  readonly maxSignatures: number;
  /** Most certificates considered when building paths. @default 1,000 */
  readonly maxCertificates: number;
  /** Most signature checks spent building certificate paths for one signature. @default 256 */
  readonly maxPathChecks: number;
  /** Most entries in an OFD (zip) package's central directory. @default 10,000 */
  readonly maxArchiveEntries: number;
  /**
   * Largest uncompressed-to-compressed ratio of one OFD package entry (zip bombs); a larger
   * entry is refused unread. Per-entry size is bounded by maxStreamBytes, all entries
   * together by maxDecodedBytes. @default 500
   */
  readonly maxCompressionRatio: number;
  /** Wall-clock budget for one verification, in milliseconds. @default 10,000 */
  readonly timeMs: number;
}

export const DEFAULT_LIMITS: VerifyLimits = Object.freeze({
  maxFileBytes: 256 * 1024 * 1024,
  maxRevisions: 512,
  maxObjects: 1_000_000,
  maxDepth: 64,
  maxReferenceChain: 32,
  maxStreamBytes: 64 * 1024 * 1024,
  maxDecodedBytes: 256 * 1024 * 1024,
  maxSignatures: 64,
  maxCertificates: 1000,
  maxPathChecks: 256,
  maxArchiveEntries: 10_000,
  maxCompressionRatio: 500,
  timeMs: 10_000,
});

/** The running account of one verification against its {@link VerifyLimits}. */
export class Budget {
  readonly limits: VerifyLimits;
  readonly #deadline: number;
  #decoded = 0;
  #ticks = 0;

  constructor(limits: Partial<VerifyLimits> = {}) {
    this.limits = Object.keys(limits).length === 0 ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, ...limits };
    this.#deadline = Date.now() + this.limits.timeMs;
  }

  /** Milliseconds left before {@link VerifyLimits.timeMs} runs out. */
  remainingMs(): number {
    return this.#deadline - Date.now();
  }

  /** Cheap enough for inner loops: reads the clock every 256 calls. */
  tick(): void {
    if ((++this.#ticks & 0xff) === 0) this.checkTime();
  }

  checkTime(): void {
    if (Date.now() >= this.#deadline) {
      throw new LimitExceededError({ limit: 'timeMs', message: `verification took longer than ${this.limits.timeMs} ms` });
    }
  }

  /** Accounts for `n` freshly decoded bytes. */
  chargeDecoded(n: number): void {
    this.#decoded += n;
    if (this.#decoded > this.limits.maxDecodedBytes) {
      throw new LimitExceededError({ limit: 'maxDecodedBytes', message: `decoded streams exceed ${this.limits.maxDecodedBytes} bytes` });
    }
  }

  /** Throws when `value` exceeds the named limit. */
  check(limit: Exclude<keyof VerifyLimits, 'timeMs'>, value: number, what: string): void {
    if (value > this.limits[limit]) {
      throw new LimitExceededError({ limit, message: `${what}: ${value} exceeds ${limit} (${this.limits[limit]})` });
    }
  }
}
